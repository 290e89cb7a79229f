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
import { openPaperState, type PaperState } from './paper-state.ts';
import { createPaperSim } from './paper-venue.ts';
import { STEP_SETS } from '../../core/steps/step.ts';

/** The adapters a process runs on. */
export interface Backends {
  config: KraiteConfig;
  topology: Topology;
  store: StepStore;
  queue: QueuePort;
  router: LaneRouter;
  mode: { store: 'memory' | 'mysql'; queue: 'memory' | 'bullmq' };
  /** The embedded store and paper venue kept in KRAITE_DATA_DIR (openBackends with persist); null otherwise. */
  paper: PaperState | null;
  close(): Promise<void>;
}

/** How to open the backends. */
export interface OpenBackendsOptions {
  /** Keep the embedded store (and the paper venue) in KRAITE_DATA_DIR across restarts: the embedded fleet, `npm start`. */
  persist?: boolean;
}

const UNIQUE_KEYS = { ...TRADING_UNIQUE_KEYS, ...MARKET_UNIQUE_KEYS };

/** Opens the store named by DATABASE_URL, or the in-memory one. */
export async function createStore(config: KraiteConfig): Promise<StepStore> {
  if (!config.DATABASE_URL) return new MemoryStepStore({ uniqueKeys: UNIQUE_KEYS });
  const { openMySqlStepStore } = await import('../adapters/mysql/open-mysql-store.ts');
  const { FLEET_GROUP_COMMIT } = await import('../adapters/mysql/group-commit.ts');
  const store = await openMySqlStepStore(config.DATABASE_URL, { groupCommit: config.KRAITE_GROUP_COMMIT === 'on' ? FLEET_GROUP_COMMIT : undefined });
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
export async function openBackends(env: Record<string, string | undefined>, options: OpenBackendsOptions = {}): Promise<Backends> {
  const config = loadConfig(env);
  const topology = await loadTopology(config.KRAITE_TOPOLOGY);
  // Paper trading that follows a live market (KRAITE_PAPER_MARKET_URL) lists that market's contracts, known only
  // once the trading runtime has read them: it stays in memory for now.
  const paper = options.persist && !config.DATABASE_URL && !config.KRAITE_PAPER_MARKET_URL
    ? await openPaperState({ dataDir: config.KRAITE_DATA_DIR, uniqueKeys: UNIQUE_KEYS, createSim: config.KRAITE_EXCHANGE_URL ? undefined : (recorder) => createPaperSim({ recorder }) })
    : null;
  const store = paper?.store ?? await createStore(config);
  const closeStore = () => (paper ? paper.close() : store.close());
  let queue: QueuePort;
  try {
    queue = await createQueue(config);
    // The in-process queue of the last run died with it: its dispatched steps go back to the dispatcher now, not after stale recovery's minutes.
    if (paper && !config.REDIS_URL) await requeueLostDispatches(store);
  } catch (error) {
    await closeStore();
    throw error;
  }
  rememberEdgeContext(queue, { config, topology, env });
  return {
    config, topology, store, queue, router: new TopologyRouter(topology), paper,
    mode: { store: config.DATABASE_URL ? 'mysql' : 'memory', queue: config.REDIS_URL ? 'bullmq' : 'memory' },
    async close() {
      await queue.close();
      await closeStore();
    },
  };
}

/** Moves dispatched steps back to pending (their queue was in-process and is gone); returns how many. */
export async function requeueLostDispatches(store: StepStore): Promise<number> {
  let moved = 0;
  for (const set of STEP_SETS) {
    const lost = await store.listSteps(set, { state: ['dispatched'], limit: 100_000 });
    if (lost.length === 0) continue;
    await store.transaction(async (tx) => {
      for (const s of lost) if (await tx.updateStep(set, s.id, ['dispatched'], { state: 'pending', dispatchedAt: null })) moved += 1;
    });
  }
  return moved;
}

/** Opens the shared store for an operator command; the embedded store lives only inside its process. */
export async function openStore(env: Record<string, string | undefined>): Promise<StepStore> {
  const config = loadConfig(env);
  if (!config.DATABASE_URL) {
    throw new ValidationError('this command reads the shared store: set DATABASE_URL (the embedded store lives inside the running `npm start` process; positions, orders, steps, regime, accounts:list, accounts:trading and symbols:set reach it while it runs)', 'NO_DATABASE');
  }
  return createStore(config);
}
