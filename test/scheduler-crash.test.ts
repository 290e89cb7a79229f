// athena's scheduler SIGKILLed right after a slot and restarted: the restarted scheduler fires the
// next slot of every entry (the old per-entry lease, owned by the dead pid and living a whole
// cadence, made it skip them silently), creates no duplicate, and `kraite schedule` shows who
// fired each entry and holds its lease. MariaDB + Redis, the scheduler in its own process.
import { spawn, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextSlotAfter } from '../core/scheduler/cadence.ts';
import { SCHEDULE } from '../core/scheduler/schedule-table.ts';
import type { FireReport } from '../core/scheduler/scheduler.ts';
import { silentLogger } from '../core/ports/logger.ts';
import { identityRouter } from '../core/queue/router.port.ts';
import { StepEngine } from '../core/steps/engine.ts';
import { TERMINAL_STATES } from '../core/steps/step.ts';
import { BullMqQueue } from '../edge/adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../edge/adapters/bullmq/redis-connection.ts';
import type { MySqlStepStore } from '../edge/adapters/mysql/mysql-step-store.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { main } from '../edge/cli/main.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';
import { SCHEDULE_LANES, scheduleStubRegistry } from './support/schedule-stubs.ts';
import { until } from './support/wait-until.ts';

const childScript = fileURLToPath(new URL('./support/scheduler-child.ts', import.meta.url));
const keys = testPrefix();
let db: TestDatabase;
let store: MySqlStepStore;
let queue: BullMqQueue;
const children: ChildProcess[] = [];

/** A scheduler process and a way to send it one command and read its answer. */
async function startScheduler(at: number) {
  const proc = spawn(process.execPath, ['--import', 'tsx', childScript], {
    env: { ...process.env, DATABASE_URL: db.url, REDIS_URL, PREFIX: keys.prefix, START_AT: String(at) }, stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(proc);
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.value !== 'ready') throw new Error(`scheduler child said ${String(first.value)}`);
  const send = async (command: string): Promise<FireReport[]> => {
    proc.stdin!.write(`${command}\n`);
    return JSON.parse((await lines.next()).value as string) as FireReport[];
  };
  const kill = async () => {
    const gone = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await gone;
  };
  return { send, kill };
}

const settled = () => until('scheduled steps finish', async () => (await store.listSteps('default', { limit: 10_000 })).every((s) => TERMINAL_STATES.has(s.state)), 20_000);

beforeAll(async () => {
  db = await freshDatabase();
  store = await openMySqlStepStore(db.url);
  queue = new BullMqQueue({ connection: redisOptions(REDIS_URL), prefix: keys.prefix });
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await queue.close();
  await store.close();
  await keys.cleanup();
  await db.drop();
});

describe('a scheduler SIGKILLed right after a slot', () => {
  it('restarted, fires the next slot of every entry, once', async () => {
    // The workers: run whatever the schedulers create.
    const engine = new StepEngine({ store, queue, registry: scheduleStubRegistry(), router: identityRouter, logger: silentLogger, worker: 'workers' });
    const consumers = SCHEDULE_LANES.map((lane) => queue.consume(lane, 4, async (job) => void (await engine.execute(job))));
    const entries = SCHEDULE.filter((e) => e.step);
    // 03:10:00.100 is a slot (or the tail of coalesced ones) of every entry: the daily 03:10 one included.
    const crashAt = Date.UTC(2026, 0, 1, 3, 10, 0, 100);
    const first = await startScheduler(Date.UTC(2025, 11, 31, 23, 59, 59));
    expect((await first.send(`tick ${crashAt}`)).filter((r) => r.outcome === 'fired').map((r) => r.entry)).toEqual(entries.map((e) => e.name));
    await settled();
    await first.kill();

    const second = await startScheduler(crashAt + 2_000);
    // Nothing was missed: the catch-up at start finds every latest slot fired already.
    expect((await second.send('catchup')).filter((r) => r.outcome === 'fired')).toEqual([]);
    const firstAfter = new Map<string, FireReport>();
    for (const at of [...new Set(entries.map((e) => nextSlotAfter(e.cadence, crashAt)))].sort((a, b) => a - b)) {
      for (const r of await second.send(`tick ${at}`)) if (!firstAfter.has(r.entry)) firstAfter.set(r.entry, r);
      await settled();
    }
    expect(entries.map((e) => [e.name, firstAfter.get(e.name)?.outcome, firstAfter.get(e.name)?.slot])).toEqual(entries.map((e) => [e.name, 'fired', nextSlotAfter(e.cadence, crashAt)]));

    // One block per entry and slot (the dedupe key is unique): before and after the crash.
    const roots = (await store.listSteps('default', { limit: 10_000 })).filter((s) => s.dedupeKey);
    expect(new Set(roots.map((s) => s.dedupeKey)).size).toBe(roots.length);
    expect(roots.every((s) => s.state === 'completed')).toBe(true);

    // `kraite schedule` reads what the scheduler did and who holds each current slot's lease.
    const out: string[] = [];
    await main(['schedule', '--json'], { out: (l) => out.push(l), err: (l) => out.push(l), env: { REDIS_URL, KRAITE_QUEUE_PREFIX: keys.prefix } });
    const rows = (JSON.parse(out.join('\n')) as { entries: { name: string; lastOutcome: string | null; lastBy: string | null; lastSlot: string | null }[] }).entries;
    for (const e of entries) {
      expect(rows.find((r) => r.name === e.name)).toMatchObject({ lastOutcome: expect.stringMatching(/^fired/), lastBy: `athena@${hostname()}` });
    }
    for (const c of consumers) await c.close(1000);
  }, 120_000);
});
