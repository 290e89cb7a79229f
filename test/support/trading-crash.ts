// The pieces of the trading crash tests: a real simulator on loopback, a MariaDB database and
// BullMQ queues, a dispatch daemon with fast stale recovery in the test process, and trading
// worker processes (trading-worker-child.ts) that a test SIGKILLs and restarts.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../core/ports/clock.ts';
import { identityRouter } from '../../core/queue/router.port.ts';
import { inProcessExchange } from '../../core/sim/in-process-exchange.ts';
import { DispatchDaemon } from '../../core/steps/dispatch-daemon.ts';
import { StepEngine } from '../../core/steps/engine.ts';
import type { EngineLimits } from '../../core/steps/engine-options.ts';
import { HandlerRegistry } from '../../core/steps/registry.ts';
import { importCredentialsKey } from '../../core/trading/credentials.ts';
import { seedPaperTrading } from '../../core/trading/paper-seed.ts';
import type { Direction } from '../../core/trading/statuses.ts';
import { BullMqQueue } from '../../edge/adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../../edge/adapters/bullmq/redis-connection.ts';
import { openMySqlStepStore } from '../../edge/adapters/mysql/open-mysql-store.ts';
import type { MySqlStepStore } from '../../edge/adapters/mysql/mysql-step-store.ts';
import { startSimulator, type RunningSimulator } from '../../edge/sim/index.ts';
import { tradingHandlers } from '../../handlers/trading/index.ts';
import { freshDatabase, type TestDatabase } from './mysql-database.ts';
import { REDIS_URL, testPrefix } from './redis.ts';

/** Lanes the crash workers consume. */
export const CRASH_LANES = ['positions', 'orders', 'priority', 'user-data-stream'];
/** Fast heartbeats and a short stale threshold, so a killed worker's step comes back within seconds. */
export const CRASH_LIMITS = { heartbeatMs: 100, staleRunningMs: 1_000, staleDispatchedMs: 3_000, backoffMs: 100, maxBackoffMs: 1_000 };

const childPath = fileURLToPath(new URL('./trading-worker-child.ts', import.meta.url));

/** One crash scenario's world. */
export interface CrashWorld {
  sim: RunningSimulator;
  store: MySqlStepStore;
  engine: StepEngine;
  accounts: { id: number; apiKey: string }[];
  startWorker(): Promise<ChildProcess>;
  close(): Promise<void>;
}

/** Builds the world: `accounts` paper accounts, each trading `directions`. */
export async function crashWorld(options: {
  accounts: number; directions: Record<string, Direction>; slots?: number; weightPerMinute?: number;
  /** Servers other than the shared test MariaDB and Redis (a test that restarts them). */
  mysqlRootUrl?: string; redisUrl?: string;
  /** Engine limits of the workers and of this process (default CRASH_LIMITS: stale recovery within a second). */
  limits?: Partial<EngineLimits>;
  /** A worker identity every worker shares, as one box's restarts do (default: one per process, by pid). */
  workerId?: string;
}): Promise<CrashWorld> {
  const limits = options.limits ?? CRASH_LIMITS;
  const db: TestDatabase = await freshDatabase(options.mysqlRootUrl);
  const redisUrl = options.redisUrl ?? REDIS_URL;
  const redis = testPrefix(redisUrl);
  const keys = Array.from({ length: options.accounts }, (_, i) => ({ apiKey: `crash-key-${i}`, secret: `crash-secret-${i}`, balance: '1000000' }));
  const sim = await startSimulator({ accounts: keys, clock: systemClock, rateLimits: { weightPerMinute: options.weightPerMinute ?? 2400 } });
  const store = await openMySqlStepStore(db.url);
  const queue = new BullMqQueue({ connection: redisOptions(redisUrl), prefix: redis.prefix });
  const rawKey = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
  const key = await importCredentialsKey(rawKey);
  const accounts: { id: number; apiKey: string }[] = [];
  const slots = options.slots ?? 1;
  for (const [i, k] of keys.entries()) {
    const ex = inProcessExchange(sim.engine, { apiKey: k.apiKey, secret: k.secret }, systemClock);
    const id = await seedPaperTrading(store, ex, {
      key, now: Date.now(), directions: options.directions,
      account: { name: `crash-${i}`, apiKey: k.apiKey, secret: k.secret, tradingEnabled: true, settings: { LONG: { slots, rungs: 4 }, SHORT: { slots, rungs: 4 } } },
    });
    accounts.push({ id, apiKey: k.apiKey });
  }
  const exchanges = { forAccount: async () => { throw new Error('the test process never calls the exchange'); } };
  const engine = new StepEngine({ store, queue, registry: new HandlerRegistry(tradingHandlers({ exchanges })), router: identityRouter, worker: 'crash-test', limits });
  const daemon = new DispatchDaemon(engine, { tickMs: 50, recoverEveryMs: 250 });
  daemon.start();
  const children = new Set<ChildProcess>();

  return {
    sim, store, engine, accounts,
    startWorker() {
      const proc = spawn(process.execPath, ['--import', 'tsx', childPath], {
        env: {
          ...process.env, DATABASE_URL: db.url, REDIS_URL: redisUrl, PREFIX: redis.prefix, SIM_URL: sim.restUrl, CREDENTIALS_KEY: rawKey,
          LIMITS: JSON.stringify(limits), ...(options.workerId ? { WORKER_ID: options.workerId } : {}),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.add(proc);
      proc.once('exit', () => children.delete(proc));
      return new Promise((resolve, reject) => {
        proc.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(proc));
        proc.once('exit', (code, signal) => reject(new Error(`worker exited early (${code ?? signal})`)));
      });
    },
    async close() {
      await daemon.stop();
      for (const c of children) c.kill('SIGKILL');
      await queue.close();
      await store.close();
      await sim.close();
      await redis.cleanup();
      await db.drop();
    },
  };
}

/** Kills `proc` and waits until it is gone. */
export async function kill(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const gone = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await gone;
}

/** Every order the simulator ever accepted for an account, grouped by client id. */
export function ordersByClientId(sim: RunningSimulator, apiKey: string): Map<string, number> {
  const account = sim.engine.account(apiKey)!;
  const counts = new Map<string, number>();
  for (const o of account.orders.values()) counts.set(o.clientOrderId, (counts.get(o.clientOrderId) ?? 0) + 1);
  for (const a of account.algoOrders.values()) counts.set(a.clientAlgoId, (counts.get(a.clientAlgoId) ?? 0) + 1);
  return counts;
}
