// Block images on MariaDB (edge/adapters/mysql/block-images.ts): a finish of a step this process
// claimed locks, writes and commits in one packet, and an image gone stale behind the process's
// back (another process's write, recovery, an archived row) is caught by the guard: nothing of the
// guessed transaction lands, and the re-run on a live read decides on the rows as they are.
import { createPool, type Pool, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { result } from '../core/steps/effects.ts';
import { StepEngine } from '../core/steps/engine.ts';
import { defineHandler, HandlerRegistry } from '../core/steps/registry.ts';
import type { MySqlStepStore } from '../edge/adapters/mysql/mysql-step-store.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { CONTRACT_ROWS_DDL, CONTRACT_ROWS_TABLE } from './contracts/step-store.contract.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { RecordingQueue } from './support/recording-queue.ts';
import { deferred } from './support/step-drafts.ts';

let db: TestDatabase;
let raw: Pool;
let store: MySqlStepStore;
beforeAll(async () => {
  db = await freshDatabase();
  raw = createPool({ uri: db.url, connectionLimit: 2 });
  await raw.query(CONTRACT_ROWS_DDL);
});
afterAll(async () => {
  await raw.end();
  await db.drop();
});
beforeEach(async () => {
  for (const table of ['default_steps', 'step_events', CONTRACT_ROWS_TABLE]) await raw.query(`DELETE FROM ${table}`);
  store = await openMySqlStepStore(db.url, { connectionLimit: 4 });
  gate = deferred();
  runs = 0;
  return () => store.close();
});

/** Each run of `img.gated` counts itself, waits for `gate` (both reset per case), then writes a domain row as its effect. */
let gate = deferred();
let runs = 0;
const gated = defineHandler({
  name: 'img.gated', lane: 'work', args: z.object({ n: z.number() }),
  run: async (job) => {
    runs += 1;
    await gate.promise;
    return result.complete([{ kind: 'insert', table: CONTRACT_ROWS_TABLE, row: { id: 100 + job.args.n, account_id: 1, client_id: `c${job.args.n}`, status: 'new', qty: '1', note: null } }], { n: job.args.n });
  },
});
const hop = defineHandler({ name: 'img.hop', lane: 'work', args: z.object({}), run: async () => result.complete() });

/** An engine that chains promoted siblings, and a queue the test hands jobs from. */
function engine() {
  const queue = new RecordingQueue();
  return { queue, engine: new StepEngine({ store, queue, registry: new HandlerRegistry([gated, hop]), worker: 'img', chain: () => true }) };
}

/** Until `n` gated handlers have started (the store's claims are done by then). */
const started = async (n: number) => {
  while (runs < n) await new Promise((r) => setImmediate(r));
};

const stepRow = async (id: number) => (await raw.query<RowDataPacket[]>('SELECT state, worker, row_version FROM default_steps WHERE id = ?', [id]))[0][0]!;
const packets = () => ({ commits: store.stats.commits, roundTrips: store.stats.roundTrips, stale: store.stats.staleImages });
const since = (before: ReturnType<typeof packets>) => {
  const now = packets();
  return { commits: now.commits - before.commits, roundTrips: now.roundTrips - before.roundTrips, stale: now.stale - before.stale };
};

describe('block images on MariaDB', () => {
  it('finishes a claimed step in one round trip, and a chained sibling too', async () => {
    const { queue, engine: e } = engine();
    const steps = await e.start([{ handler: 'img.hop' }, { handler: 'img.hop' }, { handler: 'img.hop' }]);
    // claim (1 packet: the claim and its block), then three finishes of one packet each.
    const before = packets();
    expect(await e.execute(queue.take()!)).toBe('ran');
    expect(since(before)).toEqual({ commits: 4, roundTrips: 4, stale: 0 });
    for (const s of steps) expect((await stepRow(s.id)).state).toBe('completed');
    // Every write bumped row_version: the claim and the finish of each row, the chained claims too.
    expect((await Promise.all(steps.map((s) => stepRow(s.id)))).map((r) => Number(r.row_version))).toEqual([2, 2, 2]);
  });

  it('drops a finish whose step recovery took away meanwhile: the guard stops it, nothing lands, the re-run sees the loss', async () => {
    const { queue, engine: e } = engine();
    const [first] = await e.start([{ handler: 'img.gated', args: { n: 1 } }]);
    const run = e.execute(queue.take()!);
    await started(1);
    // Another process's recovery moves the step back to pending (a write that bumps row_version, as every store write does).
    await raw.query("UPDATE default_steps SET state = 'pending', worker = NULL, row_version = row_version + 1 WHERE id = ?", [first!.id]);
    const before = packets();
    gate.resolve();
    expect(await run).toBe('lost');
    expect(since(before).stale).toBe(1);
    expect(await store.findRows(CONTRACT_ROWS_TABLE, {})).toEqual([]);
    expect((await stepRow(first!.id)).state).toBe('pending');
  });

  it('decides on a sibling as it is now when another process changed it: an operator cancel after the claim wins', async () => {
    const { queue, engine: e } = engine();
    const [first, second] = await e.start([{ handler: 'img.gated', args: { n: 2 } }, { handler: 'img.hop' }]);
    const run = e.execute(queue.take()!);
    await started(1);
    await raw.query("UPDATE default_steps SET state = 'cancelled', row_version = row_version + 1 WHERE id = ?", [second!.id]);
    gate.resolve();
    expect(await run).toBe('ran');
    // Guessed on the image, the finish would have chained the sibling into running; live, it sees it cancelled.
    expect((await stepRow(second!.id)).state).toBe('cancelled');
    expect((await stepRow(first!.id)).state).toBe('completed');
    expect(store.stats.staleImages).toBeGreaterThan(0);
  });

  it('catches a row gone from the block (the count, not only the versions)', async () => {
    const { queue, engine: e } = engine();
    const [first, second] = await e.start([{ handler: 'img.gated', args: { n: 3 } }, { handler: 'img.hop', delayMs: 3_600_000 }]);
    const run = e.execute(queue.take()!);
    await started(1);
    await raw.query('DELETE FROM default_steps WHERE id = ?', [second!.id]);
    const before = packets();
    gate.resolve();
    expect(await run).toBe('ran');
    expect(since(before).stale).toBe(1);
    expect((await stepRow(first!.id)).state).toBe('completed');
  });

  it('bumps row_version on a heartbeat, so no decision is made on an image with an old heartbeat', async () => {
    const { engine: e } = engine();
    const [step] = await e.start([{ handler: 'img.hop' }]);
    const claimed = await store.claimDispatched('default', step!.id, 'img#hb', 1);
    expect(claimed?.state).toBe('running');
    const version = Number((await stepRow(step!.id)).row_version);
    expect(await store.heartbeat('default', step!.id, 'img#hb', 2)).toBe(true);
    expect(Number((await stepRow(step!.id)).row_version)).toBe(version + 1);
  });

  it('lands both finishes of two parallel siblings claimed from one block, each once (whichever guesses second re-runs live if its image went stale)', async () => {
    const { queue, engine: e } = engine();
    // Two steps of one index run in parallel; both claims leave images. Whether the second finish
    // guesses on a stale image or on the first one's published one depends on when it gets its
    // connection, so only the outcome is asserted.
    const steps = await e.start([{ handler: 'img.gated', args: { n: 4 }, index: 0 }, { handler: 'img.gated', args: { n: 5 }, index: 0 }]);
    const jobs = [queue.take()!, queue.take()!];
    const done = jobs.map((j) => e.execute(j));
    await started(2);
    gate.resolve();
    expect(await Promise.all(done)).toEqual(['ran', 'ran']);
    for (const s of steps) expect((await stepRow(s.id)).state).toBe('completed');
    expect((await store.findRows(CONTRACT_ROWS_TABLE, {})).map((r) => Number(r.id)).sort()).toEqual([104, 105]);
  });
});
