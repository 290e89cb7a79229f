// The StepStore contract (core/steps/step-store.port.ts): one suite, run against every adapter
// (in-memory, MariaDB), so the embedded default cannot drift from the real store. Kept in one file
// on purpose: it reads as the port's specification, case by case.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Row } from '../../core/steps/effects.ts';
import { DuplicateKeyError, type StepEvent, type StepStore, type StepTx } from '../../core/steps/step-store.port.ts';
import type { Group, NewStep, Step, StepPatch, StepSet, StepState } from '../../core/steps/step.ts';
import { T0, deferred, draft, uuid, withDeadline } from '../support/step-drafts.ts';

/** What a store under test declares about itself. */
export interface StepStoreContractOptions {
  /**
   * Whether two transactions can be open at once (a SQL store). A store that serialises its
   * transactions (in-memory) runs the two-dispatcher cases one transaction after the other.
   */
  concurrentTransactions?: boolean;
}

/** The domain table the row cases use; SQL adapters create it with CONTRACT_ROWS_DDL. */
export const CONTRACT_ROWS_TABLE = 'contract_orders';

/** DDL of the contract's domain table (the in-memory store needs none: `id` is its built-in unique key). */
export const CONTRACT_ROWS_DDL = `CREATE TABLE ${CONTRACT_ROWS_TABLE} (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, account_id BIGINT NOT NULL, client_id VARCHAR(64) NOT NULL,
  status VARCHAR(32) NOT NULL, qty VARCHAR(40) NOT NULL, note VARCHAR(191) NULL,
  row_version BIGINT UNSIGNED NOT NULL DEFAULT 0 INVISIBLE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`;

const ids = (steps: Step[]) => steps.map((s) => s.id);
const sorted = (list: number[]) => [...list].sort((a, b) => a - b);
const order = (id: number, over: Row = {}): Row => ({ id, account_id: 3, client_id: `c-${id}`, status: 'new', qty: '0.015', note: null, ...over });

/** Runs the store contract against what `make` builds (a fresh, empty store per case). */
export function stepStoreContract(
  name: string,
  make: () => Promise<{ store: StepStore; cleanup(): Promise<void> }>,
  options: StepStoreContractOptions = {},
): void {
  const concurrent = options.concurrentTransactions ?? false;

  describe(`step store contract: ${name}`, () => {
    let store: StepStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ store, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    const insert = (...steps: NewStep[]) => store.transaction((tx) => tx.insertSteps(steps));
    /** Inserts one step, applies `patch` (fields a NewStep cannot carry), and returns it as stored. */
    const seed = async (over: Partial<NewStep> = {}, patch: StepPatch = {}): Promise<Step> => {
      const [step] = await insert(draft(over));
      if (Object.keys(patch).length > 0) await store.transaction((tx) => tx.updateStep(step!.set, step!.id, [step!.state], patch));
      return (await store.getStep(step!.set, step!.id))!;
    };
    const move = (s: Step, patch: StepPatch) => store.transaction((tx) => tx.updateStep(s.set, s.id, [s.state], patch));
    const claim = async (group: Group = 'alpha', now = T0, limit = 1000, set: StepSet = 'default') =>
      ids(await store.transaction((tx) => tx.claimRunnable(set, group, now, limit)));
    /** Claims like a dispatcher: claim, then mark dispatched inside the same transaction. */
    const dispatch = async (tx: StepTx, limit: number) => {
      const claimed = await tx.claimRunnable('default', 'alpha', T0, limit);
      for (const s of claimed) expect(await tx.updateStep('default', s.id, ['pending'], { state: 'dispatched', dispatchedAt: T0 })).toBe(true);
      return ids(claimed);
    };

    describe('steps', () => {
      it('inserts steps with increasing ids in input order and reads every field back', async () => {
        const tree = uuid();
        const [full, other, resolver] = await insert(
          draft({ handler: 'test.full', treeUuid: tree, blockUuid: tree, index: 3, lane: 'priority', priority: 7, group: 'delta',
            dispatchAfter: T0 + 250, maxAttempts: 5, backoffMs: 1500, dedupeKey: `dk-${tree}`, label: 'position:412',
            args: { positionId: 412, prices: ['1.5', '2.25'], nested: { ok: true, none: null }, note: 'Ⓢ ünïcode' } }),
          draft({ set: 'trading' }),
          draft({ treeUuid: tree, blockUuid: tree, index: 4, isResolver: true, state: 'not_runnable' }));
        expect(full).toEqual({
          id: expect.any(Number), set: 'default', handler: 'test.full',
          args: { positionId: 412, prices: ['1.5', '2.25'], nested: { ok: true, none: null }, note: 'Ⓢ ünïcode' },
          state: 'pending', treeUuid: tree, blockUuid: tree, index: 3, parentId: null, childBlockUuid: null, lane: 'priority', priority: 7,
          group: 'delta', dispatchAfter: T0 + 250, attempts: 0, maxAttempts: 5, backoffMs: 1500, isThrottled: false, isResolver: false,
          dedupeKey: `dk-${tree}`, response: null, errorMessage: null, errorStack: null, startedAt: null, completedAt: null,
          durationMs: null, dispatchedAt: null, stallCount: 0, worker: null, heartbeatAt: null, label: 'position:412', createdAt: T0, updatedAt: T0,
        });
        expect([other!.set, resolver!.set, resolver!.isResolver, resolver!.state]).toEqual(['trading', 'default', true, 'not_runnable']);
        expect(resolver!.id).toBeGreaterThan(full!.id);
        const [child] = await insert(draft({ treeUuid: tree, parentId: full!.id }));
        for (const s of [full!, other!, resolver!, child!]) {
          expect(await store.getStep(s.set, s.id)).toEqual(s);
          expect(await store.transaction((tx) => tx.getStep(s.set, s.id, { lock: true }))).toEqual(s);
        }
        expect(child!.parentId).toBe(full!.id);
      });

      it('inserts a step already dispatched with its dispatch time; the dispatcher never claims it, the worker does', async () => {
        const [sent, queued] = await insert(draft({ state: 'dispatched', dispatchedAt: T0 + 7 }), draft({ blockUuid: uuid() }));
        expect(sent).toMatchObject({ state: 'dispatched', dispatchedAt: T0 + 7, attempts: 0, worker: null });
        expect(queued).toMatchObject({ state: 'pending', dispatchedAt: null });
        expect(await store.getStep('default', sent!.id)).toEqual(sent);
        expect(await claim()).toEqual([queued!.id]);
        expect(await store.claimDispatched('default', sent!.id, 'box-1#run', T0 + 9)).toMatchObject({ state: 'running', worker: 'box-1#run', attempts: 1, dispatchedAt: T0 + 7 });
        expect(await store.claimDispatched('default', sent!.id, 'box-2#run', T0 + 9)).toBeNull();
      });

      it('returns null for an unknown id and keeps the two sets apart', async () => {
        const [a] = await insert(draft());
        expect(await store.getStep('default', a!.id + 1000)).toBeNull();
        expect(await store.getStep('trading', a!.id)).toBeNull();
        expect(await store.transaction((tx) => tx.getStep('trading', a!.id))).toBeNull();
      });

      it('updates a step only from an expected state, and round-trips every patched field', async () => {
        const a = await seed();
        expect(await move({ ...a, state: 'running' }, { state: 'completed' })).toBe(false);
        expect(await store.transaction((tx) => tx.updateStep('default', a.id, ['running', 'dispatched'], { state: 'completed' }))).toBe(false);
        expect(await store.transaction((tx) => tx.updateStep('default', a.id, [], { state: 'completed' }))).toBe(false);
        expect(await store.transaction((tx) => tx.updateStep('default', a.id + 1000, ['pending'], { state: 'dispatched' }))).toBe(false);
        expect(await store.getStep('default', a.id)).toEqual(a);
        const patch: StepPatch = {
          state: 'running', attempts: 2, isThrottled: true, response: { filled: '0.015', legs: [1, 2] }, errorMessage: 'boom', errorStack: 'at x',
          startedAt: T0 + 1, completedAt: T0 + 2, durationMs: 1, dispatchedAt: T0 + 3, stallCount: 1, worker: 'box-1:42', heartbeatAt: T0 + 4,
          childBlockUuid: uuid(), dispatchAfter: T0 + 5, priority: -3, lane: 'priority', label: 'account:3', updatedAt: T0 + 6,
        };
        expect(await store.transaction((tx) => tx.updateStep('default', a.id, ['dispatched', 'pending'], patch))).toBe(true);
        expect(await store.getStep('default', a.id)).toEqual({ ...a, ...patch });
        const cleared: StepPatch = { response: null, isThrottled: false, errorMessage: null, childBlockUuid: null, worker: null };
        expect(await store.transaction((tx) => tx.updateStep('default', a.id, ['running'], cleared))).toBe(true);
        expect(await store.getStep('default', a.id)).toEqual({ ...a, ...patch, ...cleared });
      });

      it('reports a matched update that changes nothing as applied', async () => {
        const a = await seed({ priority: 4 });
        expect(await move(a, { priority: 4, state: 'pending' })).toBe(true);
        expect(await move(a, {})).toBe(true);
        expect(await move({ ...a, state: 'running' }, {})).toBe(false);
      });

      it('refuses a clashing dedupe key with DuplicateKeyError, keeping the first step', async () => {
        const key = `start:${uuid()}`;
        const [first] = await insert(draft({ dedupeKey: key }));
        const clash = store.transaction((tx) => tx.insertSteps([draft({ label: 'same-tx' }), draft({ dedupeKey: key })]));
        await expect(clash).rejects.toBeInstanceOf(DuplicateKeyError);
        await expect(clash).rejects.toMatchObject({ code: 'DUPLICATE_KEY' });
        expect(await store.listSteps('default', { label: 'same-tx' })).toEqual([]);
        expect(await store.transaction((tx) => tx.findByDedupeKey('default', key))).toEqual(first);
        expect(await store.transaction((tx) => tx.findByDedupeKey('default', `${key}-other`))).toBeNull();
        expect(await store.transaction((tx) => tx.findByDedupeKey('trading', key))).toBeNull();
        await insert(draft({ set: 'trading', dedupeKey: key }), draft(), draft());
        expect(await store.countByState('default')).toEqual({ pending: 3 });
      });

      it('locks and returns a block ordered by index, then id', async () => {
        const block = uuid();
        const [i2, i0, i1a, i1b] = await insert(...[2, 0, 1, 1].map((index) => draft({ blockUuid: block, index })));
        await insert(draft());
        expect(ids(await store.transaction((tx) => tx.lockBlock('default', block)))).toEqual([i0!.id, i1a!.id, i1b!.id, i2!.id]);
        expect(await store.transaction((tx) => tx.lockBlock('trading', block))).toEqual([]);
      });
    });

    describe('transactions', () => {
      it('returns what the function returns', async () => {
        expect(await store.transaction(async () => 42)).toBe(42);
      });

      it('rolls back step, row and event writes when the function throws', async () => {
        const a = await seed();
        await store.transaction((tx) => tx.insertRow(CONTRACT_ROWS_TABLE, order(1)));
        const failure = store.transaction(async (tx) => {
          expect(await tx.updateStep('default', a.id, ['pending'], { state: 'dispatched' })).toBe(true);
          await tx.insertSteps([draft({ label: 'ghost' })]);
          await tx.insertRow(CONTRACT_ROWS_TABLE, order(2));
          expect(await tx.updateRows(CONTRACT_ROWS_TABLE, { id: 1 }, { status: 'filled' })).toBe(1);
          await tx.insertEvents([{ kind: 'test', subject: 'ghost', message: 'never', severity: 'info', stepId: null, set: null, createdAt: T0 }]);
          throw new Error('abort');
        });
        await expect(failure).rejects.toThrow('abort');
        expect(await store.getStep('default', a.id)).toEqual(a);
        expect(await store.listSteps('default', {})).toEqual([a]);
        expect(await store.findRows(CONTRACT_ROWS_TABLE, {})).toEqual([order(1)]);
        expect(await store.listEvents()).toEqual([]);
      });
    });

    describe('claimRunnable', () => {
      it('claims a block one index at a time, equal indexes together', async () => {
        const block = uuid();
        const [i0, i1a, i1b, i2] = await insert(...[0, 1, 1, 2].map((index) => draft({ blockUuid: block, index })));
        expect(await claim()).toEqual([i0!.id]);
        await move(i0!, { state: 'completed' });
        expect(await claim()).toEqual([i1a!.id, i1b!.id]);
        await move(i1a!, { state: 'completed' });
        expect(await claim()).toEqual([i1b!.id]);
        await move(i1b!, { state: 'skipped' });
        expect(await claim()).toEqual([i2!.id]);
      });

      it('applies the blocking rule to ordinary and resolve-exception steps', async () => {
        type Sibling = [StepState, 'work' | 'resolver'];
        const cases: { lower: Sibling[]; parallel?: Sibling; candidate: 'work' | 'resolver'; runnable: boolean }[] = [
          { lower: [], candidate: 'work', runnable: true },
          { lower: [['completed', 'work'], ['skipped', 'work']], candidate: 'work', runnable: true },
          { lower: [['completed', 'work'], ['not_runnable', 'resolver']], candidate: 'work', runnable: true },
          { lower: [], parallel: ['running', 'work'], candidate: 'work', runnable: true },
          ...(['pending', 'dispatched', 'running', 'failed', 'cancelled', 'stopped'] as const)
            .map((s) => ({ lower: [['completed', 'work'], [s, 'work']] as Sibling[], candidate: 'work' as const, runnable: false })),
          ...(['completed', 'skipped', 'stopped', 'cancelled', 'failed'] as const)
            .map((s) => ({ lower: [[s, 'work']] as Sibling[], candidate: 'resolver' as const, runnable: true })),
          ...(['pending', 'dispatched', 'running'] as const)
            .map((s) => ({ lower: [[s, 'work']] as Sibling[], candidate: 'resolver' as const, runnable: false })),
          ...(['completed', 'skipped'] as const)
            .map((s) => ({ lower: [['failed', 'work'], [s, 'resolver']] as Sibling[], candidate: 'resolver' as const, runnable: true })),
          ...(['pending', 'not_runnable', 'running', 'failed'] as const)
            .map((s) => ({ lower: [['failed', 'work'], [s, 'resolver']] as Sibling[], candidate: 'resolver' as const, runnable: false })),
        ];
        const candidates: { id: number; runnable: boolean; label: string }[] = [];
        for (const c of cases) {
          const block = uuid();
          const sibling = ([state, kind]: Sibling, index: number) => draft({ blockUuid: block, index, state, isResolver: kind === 'resolver' });
          const steps = await insert(...c.lower.map(sibling), ...(c.parallel ? [sibling(c.parallel, c.lower.length)] : []),
            draft({ blockUuid: block, index: c.lower.length, isResolver: c.candidate === 'resolver' }));
          candidates.push({ id: steps.at(-1)!.id, runnable: c.runnable, label: `${c.candidate} after ${JSON.stringify(c.lower)}${c.parallel ? ` beside ${c.parallel}` : ''}` });
        }
        const claimed = new Set(await claim());
        expect(candidates.map((c) => `${c.label}: ${claimed.has(c.id)}`)).toEqual(candidates.map((c) => `${c.label}: ${c.runnable}`));
      });

      it('claims a child only while its parent is running', async () => {
        const parents = await insert(...(['dispatched', 'running', 'completed'] as const).map((state) => draft({ state })));
        const children = await insert(...parents.map((p) => draft({ treeUuid: p.treeUuid, parentId: p.id })));
        expect(await claim()).toEqual([children[1]!.id]);
      });

      it('claims only due, pending steps of the asked group and set', async () => {
        const [due, early] = await insert(draft({ dispatchAfter: T0 }), draft({ dispatchAfter: T0 + 1 }));
        await insert(draft({ group: 'beta' }), draft({ set: 'trading' }), draft({ state: 'dispatched' }), draft({ state: 'running' }),
          draft({ state: 'not_runnable', isResolver: true }), draft({ state: 'failed' }));
        expect(await claim('alpha', T0)).toEqual([due!.id]);
        expect(await claim('alpha', T0 + 1)).toEqual([due!.id, early!.id]);
        expect(await claim('alpha', T0, 1000, 'trading')).toHaveLength(1);
        expect(await claim('gamma')).toEqual([]);
      });

      it('orders claims: not throttled first, then priority, due time and id, up to the limit', async () => {
        const throttled = await seed({ priority: 9, dispatchAfter: T0 - 500 }, { isThrottled: true });
        const [low, mid, early, twin] = await insert(
          draft({ priority: 0, dispatchAfter: T0 - 100 }), draft({ priority: 5, dispatchAfter: T0 }),
          draft({ priority: 5, dispatchAfter: T0 - 50 }), draft({ priority: 5, dispatchAfter: T0 - 50 }));
        expect(await claim()).toEqual([early!.id, twin!.id, mid!.id, low!.id, throttled.id]);
        expect(await claim('alpha', T0, 2)).toEqual([early!.id, twin!.id]);
        expect(await claim('alpha', T0, 0)).toEqual([]);
      });

      it('gives two dispatchers claiming one group at once disjoint steps, without waiting on each other', async () => {
        const block = uuid();
        const [head, next] = await insert(draft({ blockUuid: block, index: 0 }), draft({ blockUuid: block, index: 1 }));
        const roots = await insert(...Array.from({ length: 5 }, () => draft()));
        const claimedFirst = deferred<number[]>();
        const release = deferred();
        if (!concurrent) release.resolve();
        const first = store.transaction(async (tx) => {
          const got = await dispatch(tx, 2);
          claimedFirst.resolve(got);
          await release.promise;
          return got;
        });
        const a = await Promise.race([claimedFirst.promise, first.then(() => claimedFirst.promise)]);
        let b: number[];
        try {
          const second = store.transaction((tx) => dispatch(tx, 10));
          // The first transaction still holds its claimed rows: the second must skip them, not wait.
          b = concurrent ? await withDeadline(second, 10_000, 'the second claim waited on the first transaction instead of skipping its rows') : await second;
        } finally {
          release.resolve();
        }
        expect(await first).toEqual(a);
        expect(a).toEqual([head!.id, roots[0]!.id]);
        expect(a.filter((id) => b.includes(id))).toEqual([]);
        expect(sorted([...a, ...b])).toEqual(sorted([head!.id, ...ids(roots)]));
        expect(b).not.toContain(next!.id);
        expect(await store.countByState('default')).toEqual({ dispatched: 6, pending: 1 });
      });

      it('neither waits on nor skips a parent or sibling that another transaction holds', async () => {
        const parent = await seed({ state: 'running' });
        const [child] = await insert(draft({ treeUuid: parent.treeUuid, parentId: parent.id }));
        const block = uuid();
        const [head, next] = await insert(draft({ blockUuid: block, index: 0 }), draft({ blockUuid: block, index: 1 }));
        const held = deferred();
        const release = deferred();
        if (!concurrent) release.resolve();
        const holder = store.transaction(async (tx) => {
          await tx.getStep('default', parent.id, { lock: true });
          await tx.getStep('default', head!.id, { lock: true });
          held.resolve();
          await release.promise;
        });
        await Promise.race([held.promise, holder]);
        let claimed: number[];
        try {
          claimed = concurrent ? await withDeadline(claim(), 10_000, 'the claim waited on rows another transaction holds') : await claim();
        } finally {
          release.resolve();
        }
        await holder;
        expect(claimed).toContain(child!.id);
        expect(claimed).not.toContain(next!.id);
        // A held pending step is skipped by a concurrent claimer; a serialised store sees it free.
        expect(claimed.includes(head!.id)).toBe(!concurrent);
      });
    });

    describe('waiting parents and liveness', () => {
      it('finds running parents waiting on a child block, per group', async () => {
        const waiting = await seed({ state: 'running' }, { childBlockUuid: uuid() });
        const waiting2 = await seed({ state: 'running' }, { childBlockUuid: uuid() });
        await seed({ state: 'running' });
        await seed({ state: 'running', group: 'beta' }, { childBlockUuid: uuid() });
        await seed({ state: 'completed' }, { childBlockUuid: uuid() });
        expect(sorted(ids(await store.transaction((tx) => tx.findWaitingParents('default', 'alpha', 10))))).toEqual([waiting.id, waiting2.id]);
        expect(await store.transaction((tx) => tx.findWaitingParents('default', 'alpha', 1))).toHaveLength(1);
        expect(await store.transaction((tx) => tx.findWaitingParents('trading', 'alpha', 10))).toEqual([]);
      });

      it('refreshes the heartbeat of a step running for this worker only', async () => {
        const running = await seed({ state: 'running' }, { worker: 'w1', heartbeatAt: T0 });
        const pending = await seed({}, { worker: 'w1' });
        expect(await store.heartbeat('default', running.id, 'w1', T0 + 5)).toBe(true);
        expect(await store.heartbeat('default', running.id, 'w1', T0 + 5)).toBe(true);
        expect(await store.heartbeat('default', running.id, 'w2', T0 + 9)).toBe(false);
        expect(await store.heartbeat('default', pending.id, 'w1', T0 + 9)).toBe(false);
        expect(await store.heartbeat('trading', running.id, 'w1', T0 + 9)).toBe(false);
        expect((await store.getStep('default', running.id))!.heartbeatAt).toBe(T0 + 5);
      });

      it('finds stale running steps, but not parents waiting on their children', async () => {
        const stale = await seed({ state: 'running' }, { heartbeatAt: T0 - 100 });
        const silent = await seed({ state: 'running' });
        await seed({ state: 'running' }, { heartbeatAt: T0 + 100 });
        await seed({ state: 'running' }, { heartbeatAt: T0 - 100, childBlockUuid: uuid() });
        await seed({ state: 'dispatched' }, { heartbeatAt: T0 - 100 });
        expect(sorted(ids(await store.findStaleRunning('default', T0, 10)))).toEqual([stale.id, silent.id]);
        expect(await store.findStaleRunning('default', T0, 1)).toHaveLength(1);
        expect(await store.findStaleRunning('trading', T0, 10)).toEqual([]);
      });

      it('finds steps dispatched before a cut-off', async () => {
        const stale = await seed({ state: 'dispatched' }, { dispatchedAt: T0 - 100 });
        const stale2 = await seed({ state: 'dispatched' }, { dispatchedAt: T0 - 1 });
        await seed({ state: 'dispatched' }, { dispatchedAt: T0 });
        await seed({ state: 'running' }, { dispatchedAt: T0 - 100 });
        expect(sorted(ids(await store.findStaleDispatched('default', T0, 10)))).toEqual([stale.id, stale2.id]);
        expect(await store.findStaleDispatched('default', T0, 1)).toHaveLength(1);
      });

      it('names the groups with pending, dispatched or running work', async () => {
        expect(await store.activeGroups('default')).toEqual([]);
        const states: [Group, StepState][] = [['alpha', 'pending'], ['beta', 'running'], ['gamma', 'dispatched'], ['delta', 'completed'],
          ['epsilon', 'not_runnable'], ['zeta', 'failed'], ['alpha', 'running']];
        await insert(...states.map(([group, state]) => draft({ group, state })), draft({ set: 'trading', group: 'eta' }));
        expect([...await store.activeGroups('default')].sort()).toEqual(['alpha', 'beta', 'gamma']);
        expect(await store.activeGroups('trading')).toEqual(['eta']);
      });

      it('answers the next due time of pending steps after a moment', async () => {
        await insert(draft({ dispatchAfter: T0 - 5 }), draft({ dispatchAfter: T0 + 50 }), draft({ dispatchAfter: T0 + 10 }),
          draft({ dispatchAfter: T0 + 1, state: 'running' }), draft({ dispatchAfter: T0 + 2, state: 'not_runnable', isResolver: true }));
        expect(await store.nextDueAt('default', T0)).toBe(T0 + 10);
        expect(await store.nextDueAt('default', T0 + 10)).toBe(T0 + 50);
        expect(await store.nextDueAt('default', T0 + 50)).toBeNull();
        expect(await store.nextDueAt('trading', 0)).toBeNull();
      });

      it('counts steps per state', async () => {
        expect(await store.countByState('default')).toEqual({});
        await insert(draft(), draft(), draft({ state: 'completed' }), draft({ state: 'failed' }), draft({ set: 'trading' }));
        expect(await store.countByState('default')).toEqual({ pending: 2, completed: 1, failed: 1 });
      });
    });

    describe('listSteps', () => {
      it('lists newest first, 100 by default', async () => {
        await insert(...Array.from({ length: 105 }, () => draft()));
        const listed = ids(await store.listSteps('default', {}));
        expect(listed).toHaveLength(100);
        expect(listed).toEqual([...listed].sort((a, b) => b - a));
        expect(listed[0]).toBe(Math.max(...ids(await store.listSteps('default', { limit: 1000 }))));
      });

      it('pages by id: beforeId continues exactly where the last page ended, even within one millisecond', async () => {
        await insert(...Array.from({ length: 7 }, () => draft({ createdAt: T0 })));
        const all = ids(await store.listSteps('default', { limit: 1000 }));
        const first = ids(await store.listSteps('default', { limit: 3 }));
        const second = ids(await store.listSteps('default', { limit: 3, beforeId: first.at(-1)! }));
        const third = ids(await store.listSteps('default', { limit: 3, beforeId: second.at(-1)! }));
        expect([...first, ...second, ...third]).toEqual(all);
        expect(third).toHaveLength(1);
      });

      it('filters by state, handler, label, tree, block, parent and creation time', async () => {
        const root = await seed({ handler: 'orders.place', label: 'position:412', createdAt: T0 });
        const done = await seed({ handler: 'orders.cancel', label: 'account:3', createdAt: T0 + 10, state: 'completed' });
        const block = uuid();
        const [kid] = await insert(draft({ treeUuid: root.treeUuid, blockUuid: block, parentId: root.id, createdAt: T0 + 20 }));
        const list = async (filter: Parameters<StepStore['listSteps']>[1]) => ids(await store.listSteps('default', filter));
        expect(await list({ state: ['completed'] })).toEqual([done.id]);
        expect(await list({ state: ['pending', 'completed'] })).toEqual([kid!.id, done.id, root.id]);
        expect(await list({ state: [] })).toEqual([]);
        expect(await list({ handler: 'orders.place' })).toEqual([root.id]);
        expect(await list({ label: 'position' })).toEqual([root.id]);
        expect(await list({ label: '%' })).toEqual([]);
        expect(await list({ treeUuid: root.treeUuid })).toEqual([kid!.id, root.id]);
        expect(await list({ blockUuid: block })).toEqual([kid!.id]);
        expect(await list({ parentId: root.id })).toEqual([kid!.id]);
        expect(await list({ createdFrom: T0 + 10 })).toEqual([kid!.id, done.id]);
        expect(await list({ createdTo: T0 + 10 })).toEqual([done.id, root.id]);
        expect(await list({ createdFrom: T0 + 5, createdTo: T0 + 15, label: 'account' })).toEqual([done.id]);
        expect(await list({ limit: 1 })).toEqual([kid!.id]);
        expect(await store.listSteps('trading', {})).toEqual([]);
      });
    });

    describe('domain rows', () => {
      const T = CONTRACT_ROWS_TABLE;

      it('inserts rows and finds them by equality, ordered and limited', async () => {
        await store.transaction(async (tx) => {
          for (const row of [order(2, { client_id: 'b' }), order(1, { client_id: 'c' }), order(3, { client_id: 'a', account_id: 4 })]) {
            expect(await tx.insertRow(T, row)).toBe(true);
          }
          expect(await tx.findRows(T, { account_id: 3 })).toEqual([order(1, { client_id: 'c' }), order(2, { client_id: 'b' })]);
        });
        expect((await store.findRows(T, {})).map((r) => r.id)).toEqual([1, 2, 3]);
        expect((await store.findRows(T, {}, { orderBy: 'client_id' })).map((r) => r.id)).toEqual([3, 2, 1]);
        expect((await store.findRows(T, {}, { orderBy: 'client_id', desc: true, limit: 2 })).map((r) => r.id)).toEqual([1, 2]);
        expect(await store.findRows(T, { account_id: 3, client_id: 'b' })).toEqual([order(2, { client_id: 'b' })]);
        expect(await store.findRows(T, { client_id: "b' OR '1'='1" })).toEqual([]);
      });

      it('matches null in a where clause as IS NULL, in reads and updates', async () => {
        await store.transaction(async (tx) => {
          await tx.insertRow(T, order(1));
          await tx.insertRow(T, order(2, { note: 'manual' }));
          await tx.insertRow(T, order(3, { account_id: 4 }));
        });
        expect((await store.findRows(T, { note: null })).map((r) => r.id)).toEqual([1, 3]);
        expect(await store.transaction((tx) => tx.updateRows(T, { note: null, account_id: 3 }, { status: 'seen', note: 'checked' }))).toBe(1);
        expect(await store.findRows(T, {})).toEqual([order(1, { status: 'seen', note: 'checked' }), order(2, { note: 'manual' }), order(3, { account_id: 4 })]);
        expect(await store.transaction((tx) => tx.updateRows(T, { id: 2 }, { note: null }))).toBe(1);
        expect((await store.findRows(T, { note: null })).map((r) => r.id)).toEqual([2, 3]);
      });

      it('counts matched rows of a conditional update, even when nothing changes', async () => {
        await store.transaction((tx) => tx.insertRow(T, order(1, { status: 'open' })));
        expect(await store.transaction((tx) => tx.updateRows(T, { id: 1, status: 'open' }, { status: 'open' }))).toBe(1);
        expect(await store.transaction((tx) => tx.updateRows(T, { id: 1, status: 'closing' }, { status: 'closed' }))).toBe(0);
        expect(await store.transaction((tx) => tx.updateRows(T, { id: 1, status: 'open' }, { status: 'closing', qty: '0.020' }))).toBe(1);
        expect(await store.findRows(T, { id: 1 })).toEqual([order(1, { status: 'closing', qty: '0.020' })]);
      });

      it('appends a row without an id and returns the id the table gave it', async () => {
        const { id: _omit, ...bare } = order(0);
        const ids = await store.transaction(async (tx) => [await tx.appendRow(T, { ...bare, client_id: 'x' }), await tx.appendRow(T, { ...bare, client_id: 'y' })]);
        expect(ids[1]).toBe(ids[0]! + 1);
        expect(await store.findRows(T, { id: ids[1]! })).toEqual([{ ...bare, client_id: 'y', id: ids[1] }]);
        // A rolled-back append leaves nothing behind.
        await expect(store.transaction(async (tx) => {
          await tx.appendRow(T, { ...bare, client_id: 'z' });
          throw new Error('undo');
        })).rejects.toThrow('undo');
        expect(await store.findRows(T, { client_id: 'z' })).toEqual([]);
      });

      it('refuses a duplicate key, or skips it without spoiling the transaction when asked', async () => {
        await store.transaction((tx) => tx.insertRow(T, order(1)));
        const clash = store.transaction((tx) => tx.insertRow(T, order(1, { status: 'other' })));
        await expect(clash).rejects.toBeInstanceOf(DuplicateKeyError);
        await store.transaction(async (tx) => {
          expect(await tx.insertRow(T, order(1, { status: 'other' }), { ignoreDuplicate: true })).toBe(false);
          expect(await tx.insertRow(T, order(2), { ignoreDuplicate: true })).toBe(true);
        });
        expect(await store.findRows(T, {})).toEqual([order(1), order(2)]);
      });
    });

    describe('events', () => {
      it('appends events and lists them in order, after an id, up to a limit', async () => {
        const events: StepEvent[] = [
          { kind: 'recovery', subject: 'step 7', message: 'back to pending', severity: 'warning', stepId: 7, set: 'trading', createdAt: T0 },
          { kind: 'alert', subject: 'dispatcher', message: 'capped', severity: 'critical', stepId: null, set: null, createdAt: T0 + 1 },
        ];
        await store.transaction((tx) => tx.insertEvents(events));
        await store.transaction((tx) => tx.insertEvents([]));
        await store.transaction((tx) => tx.insertEvents([{ ...events[1]!, message: 'third', severity: 'info', createdAt: T0 + 2 }]));
        const all = await store.listEvents();
        expect(all).toEqual([
          { ...events[0], id: expect.any(Number) }, { ...events[1], id: expect.any(Number) },
          { ...events[1], message: 'third', severity: 'info', createdAt: T0 + 2, id: expect.any(Number) },
        ]);
        expect(sorted(all.map((e) => e.id))).toEqual(all.map((e) => e.id));
        expect((await store.listEvents({ afterId: all[0]!.id })).map((e) => e.message)).toEqual(['capped', 'third']);
        expect((await store.listEvents({ afterId: all[0]!.id, limit: 1 })).map((e) => e.message)).toEqual(['capped']);
      });
    });

    describe('retention', () => {
      /** A two-step tree (root and one child) whose steps end in `states` at `completedAt`. */
      const tree = async (states: [StepState, StepState], completedAt: [number | null, number | null], set: StepSet = 'default') => {
        const root = await seed({ set, state: states[0] }, completedAt[0] === null ? {} : { completedAt: completedAt[0] });
        const child = await seed({ set, treeUuid: root.treeUuid, parentId: root.id, state: states[1] },
          completedAt[1] === null ? {} : { completedAt: completedAt[1] });
        return { uuid: root.treeUuid, steps: [root, child] };
      };
      const live = async (t: { uuid: string }, set: StepSet = 'default') => (await store.listSteps(set, { treeUuid: t.uuid })).length;

      it('archives whole trees whose every step is terminal and older than the cut-off', async () => {
        const settled = await tree(['completed', 'completed'], [T0 - 1000, T0 - 900]);
        const failed = await tree(['failed', 'cancelled'], [T0 - 2000, T0 - 2000]);
        const open = await tree(['running', 'completed'], [null, T0 - 900]);
        const recent = await tree(['completed', 'stopped'], [T0 - 800, T0 + 10]);
        const waiting = await tree(['completed', 'not_runnable'], [T0 - 800, null]);
        const trading = await tree(['completed', 'skipped'], [T0 - 800, T0 - 800], 'trading');
        expect(await store.archiveSettledTrees('default', T0, 1000)).toBe(4);
        for (const s of [...settled.steps, ...failed.steps]) expect(await store.getStep('default', s.id)).toBeNull();
        expect([await live(open), await live(recent), await live(waiting), await live(trading, 'trading')]).toEqual([2, 2, 2, 2]);
        expect(await store.countArchived('default')).toBe(4);
        expect(await store.countArchived('trading')).toBe(0);
        expect(await store.archiveSettledTrees('default', T0, 1000)).toBe(0);
        expect(await store.archiveSettledTrees('trading', T0, 1000)).toBe(2);
        expect(await store.countArchived('trading')).toBe(2);
      });

      it('never splits a tree to honour the limit', async () => {
        const trees = [await tree(['completed', 'completed'], [T0 - 10, T0 - 10]), await tree(['completed', 'skipped'], [T0 - 10, T0 - 10])];
        expect(await store.archiveSettledTrees('default', T0, 1)).toBe(2);
        expect(sorted([await live(trees[0]!), await live(trees[1]!)])).toEqual([0, 2]);
        expect(await store.archiveSettledTrees('default', T0, 1)).toBe(2);
        expect(await store.archiveSettledTrees('default', T0, 1)).toBe(0);
        expect(await store.countArchived('default')).toBe(4);
      });

      it('purges archived trees older than the cut-off', async () => {
        await tree(['completed', 'completed'], [T0 - 3000, T0 - 2500]);
        await tree(['failed', 'cancelled'], [T0 - 1000, T0 - 1000]);
        expect(await store.archiveSettledTrees('default', T0, 1000)).toBe(4);
        expect(await store.purgeArchive('default', T0 - 2000, 1000)).toBe(2);
        expect(await store.countArchived('default')).toBe(2);
        expect(await store.purgeArchive('trading', T0, 1000)).toBe(0);
        expect(await store.purgeArchive('default', T0, 1000)).toBe(2);
        expect(await store.countArchived('default')).toBe(0);
      });
    });

    describe('saturation', () => {
      it('adds samples of the same set, group and minute, and lists by minute then group', async () => {
        const m = Math.floor(T0 / 60_000);
        const sample = (set: StepSet, group: Group, minute: number, n: [number, number, number, number]) =>
          ({ set, group, minute, ticks: n[0], capped: n[1], cappedWithLeftover: n[2], dispatched: n[3] });
        await store.recordSaturation(sample('default', 'alpha', m + 1, [1, 1, 0, 10]));
        await store.recordSaturation(sample('default', 'alpha', m + 1, [2, 0, 1, 5]));
        await store.recordSaturation(sample('default', 'gamma', m + 1, [1, 0, 0, 1]));
        await store.recordSaturation(sample('default', 'delta', m + 1, [1, 0, 0, 2]));
        await store.recordSaturation(sample('default', 'alpha', m, [1, 0, 0, 3]));
        await store.recordSaturation(sample('trading', 'alpha', m + 1, [9, 9, 9, 9]));
        const later = [sample('default', 'alpha', m + 1, [3, 1, 1, 15]), sample('default', 'delta', m + 1, [1, 0, 0, 2]), sample('default', 'gamma', m + 1, [1, 0, 0, 1])];
        expect(await store.listSaturation('default', m + 1)).toEqual(later);
        expect(await store.listSaturation('default', m)).toEqual([sample('default', 'alpha', m, [1, 0, 0, 3]), ...later]);
        expect(await store.listSaturation('trading', 0)).toEqual([sample('trading', 'alpha', m + 1, [9, 9, 9, 9])]);
        expect(await store.listSaturation('default', m + 2)).toEqual([]);
      });
    });
  });
}
