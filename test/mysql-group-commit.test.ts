// Group commit on MariaDB (edge/adapters/mysql/group-commit.ts): grouped transactions share a
// commit, each stays all-or-nothing on its own, and a group spoiled as a whole splits into members
// that re-run alone. The engine contract runs on a grouping store too (exactly-once must hold).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConditionFailedError, type StepTx } from '../core/steps/step-store.port.ts';
import type { MySqlStepStore } from '../edge/adapters/mysql/mysql-step-store.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { BullMqQueue } from '../edge/adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../edge/adapters/bullmq/redis-connection.ts';
import { engineContract } from './contracts/engine.contract.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';
import { draft, uuid } from './support/step-drafts.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe('group commit on MariaDB', () => {
  let store: MySqlStepStore;
  beforeEach(async () => {
    // A long window, so every transaction a case starts at once lands in one group.
    store = await openMySqlStepStore(db.url, { groupCommit: { windowMs: 20, maxBatch: 16 } });
    return async () => {
      // The engine contract below shares the database and expects no foreign steps in flight.
      await store.transaction(async (tx) => {
        for (const table of ['default_steps', 'trading_steps']) await tx.updateRows(table, {}, { state: 'cancelled' });
      });
      await store.close();
    };
  });

  const grouped = <T>(fn: (tx: StepTx) => Promise<T>) => store.transaction(fn, { group: true });
  const seed = async (n: number) => store.transaction((tx) => tx.insertSteps(Array.from({ length: n }, () => draft())));

  it('commits transactions that arrive together once, each with its own writes', async () => {
    const steps = await seed(5);
    const commits = store.stats.commits;
    const moved = await Promise.all(steps.map((s) => grouped(async (tx) => {
      await tx.lockBlock('default', s.blockUuid);
      return tx.updateStep('default', s.id, ['pending'], { state: 'dispatched', dispatchedAt: 1 });
    })));
    expect(moved).toEqual([true, true, true, true, true]);
    expect(store.stats.commits - commits).toBe(1);
    for (const s of steps) expect((await store.getStep('default', s.id))!.state).toBe('dispatched');
  });

  it('locks the blocks members name up front in one statement: a group of finishes is two round trips', async () => {
    const steps = await seed(5);
    const before = { commits: store.stats.commits, roundTrips: store.stats.roundTrips };
    const moved = await Promise.all(steps.map((s) => store.transaction(async (tx) => {
      const [locked] = await tx.lockBlock('default', s.blockUuid);
      expect(locked!.id).toBe(s.id);
      return tx.updateStep('default', s.id, ['pending'], { state: 'dispatched', dispatchedAt: 1 });
    }, { group: true, lockBlocks: [{ set: 'default', blockUuid: s.blockUuid }] })));
    expect(moved).toEqual([true, true, true, true, true]);
    expect({ commits: store.stats.commits - before.commits, roundTrips: store.stats.roundTrips - before.roundTrips }).toEqual({ commits: 1, roundTrips: 2 });
    for (const s of steps) expect((await store.getStep('default', s.id))!.state).toBe('dispatched');
  });

  it('a member reads a locked-up-front block live once a member before it changed a row of it', async () => {
    const [a, b] = await seed(2);
    const block = uuid();
    await store.transaction(async (tx) => {
      for (const s of [a!, b!]) await tx.updateRows('default_steps', { id: s.id }, { block_uuid: block });
    });
    const seen: string[][] = [];
    await Promise.all([a!, b!].map((s) => store.transaction(async (tx) => {
      seen.push((await tx.lockBlock('default', block)).map((r) => r.state));
      await tx.updateStep('default', s.id, ['pending'], { state: 'dispatched', dispatchedAt: 1 });
    }, { group: true, lockBlocks: [{ set: 'default', blockUuid: block }] })));
    // The second member sees the first member's change, as if they had run one after the other.
    expect(seen).toEqual([['pending', 'pending'], ['dispatched', 'pending']]);
  });

  it('rolls back only the member that failed, whether its writes were still waiting or already sent', async () => {
    const steps = await seed(4);
    const move = (i: number, fail: 'no' | 'unsent' | 'sent') => grouped(async (tx) => {
      const s = steps[i]!;
      await tx.lockBlock('default', s.blockUuid);
      await tx.updateStep('default', s.id, ['pending'], { state: 'dispatched', dispatchedAt: 1 });
      // A read sends the waiting write before the failure.
      if (fail === 'sent') await tx.getStep('default', s.id);
      if (fail !== 'no') throw new ConditionFailedError('default_steps', { id: s.id });
      return s.id;
    });
    const results = await Promise.allSettled([move(0, 'no'), move(1, 'unsent'), move(2, 'sent'), move(3, 'no')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(ConditionFailedError);
    const states = await Promise.all(steps.map(async (s) => (await store.getStep('default', s.id))!.state));
    expect(states).toEqual(['dispatched', 'pending', 'pending', 'dispatched']);
  });

  it('splits a group that a deadlock spoiled: every member re-runs alone and commits', async () => {
    const steps = await seed(3);
    const runs = [0, 0, 0];
    const results = await Promise.all(steps.map((s, i) => grouped(async (tx) => {
      runs[i]! += 1;
      await tx.lockBlock('default', s.blockUuid);
      await tx.updateStep('default', s.id, ['pending'], { state: 'dispatched', dispatchedAt: 1 });
      // The middle member's first run is the deadlock victim (InnoDB rolls the whole transaction back).
      if (i === 1 && runs[i] === 1) throw Object.assign(new Error('Deadlock found when trying to get lock'), { errno: 1213 });
      return i;
    })));
    expect(results).toEqual([0, 1, 2]);
    // The group stopped at the victim: the member after it ran once, alone.
    expect(runs).toEqual([2, 2, 1]);
    for (const s of steps) expect((await store.getStep('default', s.id))!.state).toBe('dispatched');
  });
});

engineContract('MariaDB with BullMQ, group commit', async () => {
  const store = await openMySqlStepStore(db.url, { groupCommit: { windowMs: 1, maxBatch: 16, lanes: 2 } });
  const keys = testPrefix();
  const queue = new BullMqQueue({ connection: redisOptions(REDIS_URL), prefix: keys.prefix });
  return {
    store, queue,
    async cleanup() {
      await queue.close();
      await store.close();
      await keys.cleanup();
    },
  };
}, { chain: true });
