// Chooses the store and queue adapters from the configuration: in-memory and in-process when
// DATABASE_URL / REDIS_URL are unset (the embedded mode), MySQL and BullMQ when they are set.
import { MemoryQueue } from '../../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../../core/adapters/memory/memory-step-store.ts';
import { TopologyRouter } from '../../core/fleet/lane-router.ts';
import type { Topology } from '../../core/fleet/topology.schema.ts';
import { ValidationError } from '../../core/errors.ts';
import type { QueuePort } from '../../core/queue/queue.port.ts';
import type { LaneRouter } from '../../core/queue/router.port.ts';
import type { StepStore } from '../../core/steps/step-store.port.ts';
import { MARKET_UNIQUE_KEYS } from '../../core/market/tables.ts';
import { TRADING_UNIQUE_KEYS } from '../../core/trading/tables.ts';
import { loadTopology } from '../fleet/load-topology.ts';
import { loadConfig, type KraiteConfig } from './config.ts';
import { rememberEdgeContext } from '../scheduler/edge-context.ts';

/** The adapters a process runs on. */
export interface Backends {
  config: KraiteConfig;
  topology: Topology;
  store: StepStore;
  queue: QueuePort;
  router: LaneRouter;
  mode: { store: 'memory' | 'mysql'; queue: 'memory' | 'bullmq' };
  close(): Promise<void>;
}

/** Opens the store named by DATABASE_URL, or the in-memory one. */
export async function createStore(config: KraiteConfig): Promise<StepStore> {
  if (!config.DATABASE_URL) return new MemoryStepStore({ uniqueKeys: { ...TRADING_UNIQUE_KEYS, ...MARKET_UNIQUE_KEYS } });
  const { openMySqlStepStore } = await import('../adapters/mysql/open-mysql-store.ts');
  const store = await openMySqlStepStore(config.DATABASE_URL);
  try {
    await store.countByState('default');
  } catch (error) {
    await store.close();
    // ER_NO_SUCH_TABLE: the database is reachable but was never migrated.
    if ((error as { errno?: number }).errno === 1146) throw new ValidationError('the database has no Kraite schema yet: run `kraite migrate` first', 'NOT_MIGRATED');
    throw error;
  }
  return store;
}

/** Opens the queue named by REDIS_URL, or the in-process one. */
export async function createQueue(config: KraiteConfig): Promise<QueuePort> {
  if (!config.REDIS_URL) return new MemoryQueue();
  const { openBullMqQueue } = await import('../adapters/bullmq/open-bullmq-queue.ts');
  return openBullMqQueue(config.REDIS_URL, config.KRAITE_QUEUE_PREFIX);
}

/** Opens store, queue and router for a process. */
export async function openBackends(env: Record<string, string | undefined>): Promise<Backends> {
  const config = loadConfig(env);
  const topology = await loadTopology(config.KRAITE_TOPOLOGY);
  const store = await createStore(config);
  let queue: QueuePort;
  try {
    queue = await createQueue(config);
  } catch (error) {
    await store.close();
    throw error;
  }
  rememberEdgeContext(queue, { config, topology, env });
  return {
    config, topology, store, queue, router: new TopologyRouter(topology),
    mode: { store: config.DATABASE_URL ? 'mysql' : 'memory', queue: config.REDIS_URL ? 'bullmq' : 'memory' },
    async close() {
      await queue.close();
      await store.close();
    },
  };
}

/** Opens the shared store for an operator command; the embedded store lives only inside its process. */
export async function openStore(env: Record<string, string | undefined>): Promise<StepStore> {
  const config = loadConfig(env);
  if (!config.DATABASE_URL) {
    throw new ValidationError('this command reads the shared store: set DATABASE_URL (the embedded store lives inside the running `npm start` process; positions, orders, steps, regime, accounts:list, accounts:trading and symbols:set reach it while it runs)', 'NO_DATABASE');
  }
  return createStore(config);
}
