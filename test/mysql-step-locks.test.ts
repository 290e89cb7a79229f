// Lock order on MariaDB (core/ARCHITECTURE.md, "Lock order"): a worker claiming a step while a
// sibling of its block finishes must never deadlock, and a deadlock that still happens is re-run
// inside the store instead of reaching the queue as a dropped job.
// KRAITE_LOCK_RACE_ITERATIONS sets the race's rounds (default 100; the figure is 1,000).
import { createPool, type Pool, type PoolConnection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { result } from '../core/steps/effects.ts';
import { StepEngine } from '../core/steps/engine.ts';
import { defineHandler, HandlerRegistry } from '../core/steps/registry.ts';
import type { MySqlStepStore } from '../edge/adapters/mysql/mysql-step-store.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { stepClaimContract } from './contracts/step-claim.contract.ts';
import { RecordingQueue } from './support/recording-queue.ts';
import { deferred, draft, uuid } from './support/step-drafts.ts';
import { until } from './support/wait-until.ts';

const ITERATIONS = Number(process.env.KRAITE_LOCK_RACE_ITERATIONS ?? 100);
/** Parallel siblings per block: each one's claim races the others' finishes. */
const SIBLINGS = 4;

let db: TestDatabase;
let store: MySqlStepStore;
let raw: Pool;
beforeAll(async () => {
  db = await freshDatabase();
  raw = createPool({ uri: db.url, connectionLimit: 2 });
});
afterAll(async () => {
  await raw.end();
  await db.drop();
});
beforeEach(async () => {
  store = await openMySqlStepStore(db.url, { connectionLimit: 2 * SIBLINGS + 2 });
  return () => store.close();
});

let hold: Promise<void> = Promise.resolve();
const noop = defineHandler({ name: 'lock.noop', lane: 'work', args: z.object({}), run: async () => result.complete() });
const spawn = defineHandler({ name: 'lock.spawn', lane: 'work', args: z.object({}), run: async () => result.complete([{ kind: 'spawn', steps: [{ handler: 'lock.noop' }] }]) });
const held = defineHandler({ name: 'lock.held', lane: 'work', args: z.object({}), run: async () => (await hold, result.complete()) });

const engineOn = (queue = new RecordingQueue(), chain?: () => boolean, heartbeatMs?: number) => ({
  queue, engine: new StepEngine({ store, queue, registry: new HandlerRegistry([noop, spawn, held]), worker: 'locks', chain, limits: heartbeatMs ? { heartbeatMs } : undefined }),
});

stepClaimContract('MariaDB', async () => {
  for (const table of ['default_steps', 'trading_steps']) await raw.query(`DELETE FROM ${table}`);
  const own = await openMySqlStepStore(db.url);
  return { store: own, cleanup: () => own.close() };
});

describe('step locks on MariaDB', () => {
  it(`claims racing a sibling's finish never deadlock (${ITERATIONS} rounds of ${SIBLINGS} parallel siblings)`, async () => {
    const { engine } = engineOn();
    const conflicts = () => ({ deadlocks: store.stats.deadlocks, lockWaitTimeouts: store.stats.lockWaitTimeouts });
    const before = conflicts();
    for (let round = 0; round < ITERATIONS; round++) {
      const block = uuid();
      // SIBLINGS dispatched steps at index 0 and one pending step after them, as a promote leaves them.
      const steps = await store.transaction((tx) => tx.insertSteps([
        ...Array.from({ length: SIBLINGS }, () => draft({ handler: 'lock.noop', blockUuid: block, state: 'dispatched', dispatchAfter: 0 })),
        draft({ handler: 'lock.noop', blockUuid: block, index: 1, dispatchAfter: 0 }),
      ]));
      const outcomes = await Promise.all(steps.slice(0, SIBLINGS).map((s) => engine.execute({ set: 'default', stepId: s.id, dispatchedAt: 0 })));
      expect(outcomes).toEqual(Array(SIBLINGS).fill('ran'));
      expect((await store.getStep('default', steps[SIBLINGS]!.id))!.state).toBe('dispatched');
    }
    expect(conflicts()).toEqual(before);
  }, 600_000);

  it(`a child block settling its parent never deadlocks with the parent's siblings finishing (${Math.ceil(ITERATIONS / 2)} rounds)`, async () => {
    // Chaining runs each spawned child in its parent's slot, so one parent's child climbs into the
    // parents' block while the other parents finish there.
    const { engine } = engineOn(new RecordingQueue(), () => true);
    const conflicts = () => ({ deadlocks: store.stats.deadlocks, lockWaitTimeouts: store.stats.lockWaitTimeouts });
    const before = conflicts();
    for (let round = 0; round < Math.ceil(ITERATIONS / 2); round++) {
      const block = uuid();
      const steps = await store.transaction((tx) => tx.insertSteps([
        ...Array.from({ length: SIBLINGS }, () => draft({ handler: 'lock.spawn', blockUuid: block, state: 'dispatched', dispatchAfter: 0 })),
        draft({ handler: 'lock.noop', blockUuid: block, index: 1, dispatchAfter: 0 }),
      ]));
      await Promise.all(steps.slice(0, SIBLINGS).map((s) => engine.execute({ set: 'default', stepId: s.id, dispatchedAt: 0 })));
      expect((await store.listSteps('default', { blockUuid: block })).map((s) => s.state).sort()).toEqual(Array(SIBLINGS + 1).fill('completed'));
    }
    expect(conflicts()).toEqual(before);
  }, 600_000);

  it('re-runs a finish that InnoDB picked as a deadlock victim: the worker sees the step run, not an error', async () => {
    // No heartbeat during the case: its UPDATE of the step's row, queued behind the foreign lock,
    // would pass for the finish's wait below, and the foreign transaction would take the block
    // entry before the finish did (no cycle, no victim).
    const { queue, engine } = engineOn(new RecordingQueue(), undefined, 3_600_000);
    const gate = deferred();
    hold = gate.promise;
    const [step] = await engine.start([{ handler: 'lock.held' }]);
    const run = engine.execute(queue.take()!);
    await until('the step running', async () => (await store.getStep('default', step!.id))!.state === 'running', 10_000);
    // A foreign transaction, heavier than the finish (so InnoDB picks the finish as the victim),
    // holds the step's row; the finish locks the block's index entry and waits for the row (with a
    // locking read, or on its claim's image with the UPDATE that carries its writes); the
    // foreign transaction then asks for that index entry: a cycle InnoDB breaks by killing the finish.
    const foreign: PoolConnection = await raw.getConnection();
    try {
      await foreign.query('START TRANSACTION');
      await foreign.query(`INSERT INTO default_steps (handler, args, state, tree_uuid, block_uuid, idx, lane, group_name, dispatch_after, max_attempts, backoff_ms, created_at, updated_at)
        SELECT 'ballast', '{}', 'completed', UUID(), UUID(), 0, 'none', 'kappa', 0, 1, 0, 0, 0 FROM seq_1_to_50`);
      await foreign.query('SELECT id FROM default_steps WHERE id = ? FOR UPDATE', [step!.id]);
      const before = { ...store.stats };
      gate.resolve();
      await until('the finish waiting for the row', async () => {
        const [rows] = await raw.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX t
          JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
          WHERE p.DB = ? AND t.trx_state = 'LOCK WAIT' AND (t.trx_query LIKE '%ORDER BY idx, id FOR UPDATE' OR t.trx_query LIKE '%FORCE INDEX (ix_block)%')`, [db.name]);
        return Number(rows[0]!.n) > 0;
      }, 30_000);
      await foreign.query('SELECT id FROM default_steps FORCE INDEX (ix_block) WHERE block_uuid = ? FOR UPDATE', [step!.blockUuid]);
      await foreign.query('ROLLBACK');
      expect(await run).toBe('ran');
      expect((await store.getStep('default', step!.id))!.state).toBe('completed');
      expect(store.stats.deadlocks).toBe(before.deadlocks + 1);
    } finally {
      // Never hand back a connection with the foreign transaction open: it would keep the step's
      // row locked, and the finish would wait out innodb_lock_wait_timeout (50 s) before its re-run.
      await foreign.query('ROLLBACK').then(() => foreign.release(), () => foreign.destroy());
      hold = Promise.resolve();
    }
  });
});
