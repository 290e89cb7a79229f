// A worker SIGKILLed mid-step: recover-stale brings the step back and it runs exactly once more.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HandlerRegistry } from '../core/steps/registry.ts';
import { StepEngine } from '../core/steps/engine.ts';
import { recoverStale } from '../core/steps/recovery.ts';
import { DispatchDaemon } from '../core/steps/dispatch-daemon.ts';
import { BullMqQueue } from '../edge/adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../edge/adapters/bullmq/redis-connection.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import type { MySqlStepStore } from '../edge/adapters/mysql/mysql-step-store.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';
import { testHandlers } from './support/test-handlers.ts';

const child = fileURLToPath(new URL('./support/worker-child.ts', import.meta.url));
let db: TestDatabase;
let store: MySqlStepStore;
let queue: BullMqQueue;
const redisKeys = testPrefix();
const children: ChildProcess[] = [];

function startWorker(): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child], {
    env: { ...process.env, DATABASE_URL: db.url, REDIS_URL, PREFIX: redisKeys.prefix }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(proc);
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(proc));
    proc.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

beforeAll(async () => {
  db = await freshDatabase();
  store = await openMySqlStepStore(db.url);
  queue = new BullMqQueue({ connection: redisOptions(REDIS_URL), prefix: redisKeys.prefix });
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await queue.close();
  await store.close();
  await redisKeys.cleanup();
  await db.drop();
});

describe('a worker killed mid-step', () => {
  it('is recovered by recover-stale and the step re-runs once on another worker', async () => {
    const engine = new StepEngine({ store, queue, registry: new HandlerRegistry(testHandlers), worker: 'test', limits: { staleRunningMs: 1_000 } });
    const daemon = new DispatchDaemon(engine, { tickMs: 100, recoverEveryMs: 0 });
    daemon.start();
    const first = await startWorker();
    const [step] = await engine.start([{ handler: 'test.hang-first', args: { tag: 'crash' } }, { handler: 'test.log', args: { tag: 'crash-next' } }]);
    await expect.poll(async () => (await store.getStep('default', step!.id))!.state, { timeout: 20_000 }).toBe('running');

    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    await startWorker();
    // Nothing happens until the dead worker's heartbeat goes stale and recovery runs.
    await expect.poll(async () => (await recoverStale(engine, 'default')).runningRecovered, { timeout: 20_000, interval: 250 }).toBe(1);
    await expect.poll(async () => (await store.getStep('default', step!.id + 1))!.state, { timeout: 20_000 }).toBe('completed');

    await daemon.stop();
    const done = (await store.getStep('default', step!.id))!;
    expect([done.state, done.attempts, done.response]).toEqual(['completed', 2, { attempt: 2 }]);
    const log = (await store.listEvents({ limit: 1000 })).filter((e) => e.subject === 'log').map((e) => e.message);
    expect(log).toEqual(['crash', 'crash-next']);
    expect((await store.listEvents({ limit: 1000 })).filter((e) => e.kind === 'step.recovered').length).toBe(1);
  });
});
