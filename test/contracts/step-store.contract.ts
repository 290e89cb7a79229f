// The StepStore contract, run against the in-memory store and MariaDB.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateKeyError, type StepStore } from '../../core/steps/step-store.port.ts';
import type { Group, NewStep, Step } from '../../core/steps/step.ts';

let seq = 0;
const uuid = () => crypto.randomUUID();

/** A new step with overrides. */
function draft(over: Partial<NewStep> = {}): NewStep {
  const block = over.blockUuid ?? uuid();
  return {
    set: 'default', handler: 'h', args: { n: ++seq }, state: 'pending', treeUuid: over.treeUuid ?? block, blockUuid: block, index: 0, parentId: null,
    lane: 'work', priority: 0, group: 'alpha', dispatchAfter: 1_000, maxAttempts: 3, backoffMs: 100, isResolver: false, dedupeKey: null, label: null,
    createdAt: 1_000, ...over,
  };
}

/** Runs the store contract against what `make` builds. */
export function stepStoreContract(name: string, make: () => Promise<{ store: StepStore; cleanup(): Promise<void> }>): void {
  describe(`step store contract: ${name}`, () => {
    let store: StepStore;
    let cleanup: () => Promise<void>;
    let group: Group;
    const groups: Group[] = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa'];
    let g = 0;
    beforeEach(async () => {
      ({ store, cleanup } = await make());
      group = groups[g++ % groups.length]!;
    });
    afterEach(async () => {
      await cleanup();
    });

    const insert = (...steps: NewStep[]) => store.transaction((tx) => tx.insertSteps(steps));
    const claim = (now = 10_000, limit = 50, set: 'default' | 'trading' = 'default') => store.transaction((tx) => tx.claimRunnable(set, group, now, limit));
    const move = (s: Step, to: Step['state'], extra: Partial<Step> = {}) => store.transaction((tx) => tx.updateStep(s.set, s.id, [s.state], { state: to, ...extra }));

    it('inserts steps with ids and reads them back', async () => {
      const [a, b] = await insert(draft({ group, label: 'position:412' }), draft({ group }));
      expect(b!.id).toBeGreaterThan(a!.id);
      const read = await store.getStep('default', a!.id);
      expect(read).toMatchObject({ handler: 'h', args: a!.args, state: 'pending', group, label: 'position:412', attempts: 0, isResolver: false, childBlockUuid: null });
      expect(await store.getStep('trading', a!.id)).toBeNull();
    });

    it('applies an update only from an expected state', async () => {
      const [a] = await insert(draft({ group }));
      expect(await store.transaction((tx) => tx.updateStep('default', a!.id, ['running'], { state: 'completed' }))).toBe(false);
      expect(await store.transaction((tx) => tx.updateStep('default', a!.id, ['pending'], { state: 'dispatched', dispatchedAt: 5, response: { x: [1] } }))).toBe(true);
      expect(await store.getStep('default', a!.id)).toMatchObject({ state: 'dispatched', dispatchedAt: 5, response: { x: [1] } });
    });

    it('claims by the runnable rule: index order, equal indexes together, parent running, due time', async () => {
      const block = uuid();
      const [i0, i1a, i1b, i2] = await insert(
        draft({ group, blockUuid: block, index: 0 }), draft({ group, blockUuid: block, index: 1 }), draft({ group, blockUuid: block, index: 1 }), draft({ group, blockUuid: block, index: 2 }));
      const [later] = await insert(draft({ group, dispatchAfter: 20_000 }));
      expect((await claim()).map((s) => s.id)).toEqual([i0!.id]);
      await move(i0!, 'completed');
      expect((await claim()).map((s) => s.id)).toEqual([i1a!.id, i1b!.id]);
      await move(i1a!, 'completed');
      await move(i1b!, 'skipped');
      expect((await claim()).map((s) => s.id)).toEqual([i2!.id]);
      expect((await claim(20_000)).map((s) => s.id)).toEqual([i2!.id, later!.id]);

      const [parent] = await insert(draft({ group, state: 'dispatched' }));
      const child = uuid();
      await insert(draft({ group, blockUuid: child, treeUuid: parent!.treeUuid, parentId: parent!.id }));
      expect((await claim()).some((s) => s.parentId === parent!.id)).toBe(false);
      await move({ ...parent!, state: 'dispatched' }, 'running');
      expect((await claim()).some((s) => s.parentId === parent!.id)).toBe(true);
    });

    it('lets resolve-exception steps run only past a failed or finished block', async () => {
      const block = uuid();
      const [work, resolver] = await insert(draft({ group, blockUuid: block, index: 0 }), draft({ group, blockUuid: block, index: 1, isResolver: true, state: 'not_runnable' }));
      const [after] = await insert(draft({ group, blockUuid: block, index: 2 }));
      await move(work!, 'failed');
      await move(resolver!, 'pending');
      const ids = (await claim()).map((s) => s.id);
      expect(ids).toContain(resolver!.id);
      expect(ids).not.toContain(after!.id);
    });

    it('orders claims: not throttled first, then priority, then due time', async () => {
      const [throttled] = await insert(draft({ group, priority: 9, dispatchAfter: 1 }));
      await move(throttled!, 'pending', { isThrottled: true });
      const [low] = await insert(draft({ group, priority: 0, dispatchAfter: 1 }));
      const [high] = await insert(draft({ group, priority: 5, dispatchAfter: 3 }));
      const [lowEarly] = await insert(draft({ group, priority: 0, dispatchAfter: 0 }));
      expect((await claim()).map((s) => s.id)).toEqual([high!.id, lowEarly!.id, low!.id, throttled!.id]);
      expect((await claim(10_000, 2)).length).toBe(2);
    });

    it('gives two concurrent claimers disjoint steps', async () => {
      const steps = await insert(...Array.from({ length: 6 }, () => draft({ group })));
      let secondDone!: () => void;
      const second = new Promise<void>((r) => (secondDone = r));
      const mark = async (tx: Parameters<Parameters<StepStore['transaction']>[0]>[0], list: Step[]) => {
        for (const s of list) await tx.updateStep('default', s.id, ['pending'], { state: 'dispatched' });
        return list.map((s) => s.id);
      };
      const first = store.transaction(async (tx) => {
        const ids = await mark(tx, await tx.claimRunnable('default', group, 10_000, 3));
        // Hold the locks while the other claimer runs (an in-memory store runs it afterwards instead).
        await Promise.race([second, new Promise((r) => setTimeout(r, 300))]);
        return ids;
      });
      await new Promise((r) => setTimeout(r, 20));
      const other = store.transaction(async (tx) => mark(tx, await tx.claimRunnable('default', group, 10_000, 6))).finally(secondDone);
      const [a, b] = await Promise.all([first, other]);
      expect(a.length).toBe(3);
      expect([...a, ...b].sort((x, y) => x - y)).toEqual(steps.map((s) => s.id));
    });

    it('refuses a second block with the same dedupe key', async () => {
      const key = `k-${uuid()}`;
      const [a] = await insert(draft({ group, dedupeKey: key }));
      await expect(insert(draft({ group, dedupeKey: key }))).rejects.toBeInstanceOf(DuplicateKeyError);
      expect((await store.transaction((tx) => tx.findByDedupeKey('default', key)))!.id).toBe(a!.id);
    });

    it('rolls back every write of a transaction that throws', async () => {
      const [a] = await insert(draft({ group }));
      await expect(store.transaction(async (tx) => {
        await tx.updateStep('default', a!.id, ['pending'], { state: 'dispatched' });
        await tx.insertSteps([draft({ group, label: 'ghost' })]);
        await tx.insertEvents([{ kind: 'x', subject: 'ghost', message: 'm', severity: 'info', createdAt: 1 }]);
        throw new Error('abort');
      })).rejects.toThrow('abort');
      expect((await store.getStep('default', a!.id))!.state).toBe('pending');
      expect((await store.listSteps('default', { label: 'ghost' })).length).toBe(0);
      expect((await store.listEvents({ limit: 1000 })).some((e) => e.subject === 'ghost')).toBe(false);
    });

    it('locks a block in index order and finds parents waiting on children', async () => {
      const block = uuid();
      const [b1, b0] = await insert(draft({ group, blockUuid: block, index: 1 }), draft({ group, blockUuid: block, index: 0 }));
      expect((await store.transaction((tx) => tx.lockBlock('default', block))).map((s) => s.id)).toEqual([b0!.id, b1!.id]);
      await move(b0!, 'dispatched');
      await store.transaction((tx) => tx.updateStep('default', b0!.id, ['dispatched'], { state: 'running', childBlockUuid: uuid() }));
      expect((await store.transaction((tx) => tx.findWaitingParents('default', group, 10))).map((s) => s.id)).toContain(b0!.id);
    });

    it('reports active groups, the next due time, heartbeats and stale steps', async () => {
      const [a, b] = await insert(draft({ group, dispatchAfter: 5_000 }), draft({ group, dispatchAfter: 7_000 }));
      expect(await store.activeGroups('default')).toContain(group);
      expect(await store.nextDueAt('default', 5_000)).toBe(7_000);
      await move(a!, 'dispatched', { dispatchedAt: 100 });
      await store.transaction((tx) => tx.updateStep('default', a!.id, ['dispatched'], { state: 'running', worker: 'w1', heartbeatAt: 100 }));
      expect(await store.heartbeat('default', a!.id, 'w2', 500)).toBe(false);
      expect(await store.heartbeat('default', a!.id, 'w1', 500)).toBe(true);
      expect((await store.findStaleRunning('default', 400, 100)).some((s) => s.id === a!.id)).toBe(false);
      expect((await store.findStaleRunning('default', 600, 100)).some((s) => s.id === a!.id)).toBe(true);
      await move(b!, 'dispatched', { dispatchedAt: 100 });
      expect((await store.findStaleDispatched('default', 101, 100)).some((s) => s.id === b!.id)).toBe(true);
      expect((await store.countByState('default')).running).toBeGreaterThanOrEqual(1);
    });

    it('archives only whole settled trees and purges them', async () => {
      const tree = uuid();
      const [root] = await insert(draft({ group, blockUuid: tree, treeUuid: tree }));
      const [kid] = await insert(draft({ group, blockUuid: uuid(), treeUuid: tree, parentId: root!.id }));
      await move(root!, 'completed', { completedAt: 2_000 });
      const before = await store.countArchived('default');
      expect(await store.archiveSettledTrees('default', 3_000, 100)).toBe(0);
      await move(kid!, 'completed', { completedAt: 2_500 });
      expect(await store.archiveSettledTrees('default', 2_400, 100)).toBe(0);
      expect(await store.archiveSettledTrees('default', 3_000, 100)).toBe(2);
      expect(await store.getStep('default', root!.id)).toBeNull();
      expect(await store.countArchived('default')).toBe(before + 2);
      expect(await store.purgeArchive('default', 3_000, 100)).toBe(2);
      expect(await store.countArchived('default')).toBe(before);
    });

    it('adds saturation samples of the same minute together', async () => {
      const minute = 60_000 * (1_000 + g);
      await store.recordSaturation({ set: 'trading', group, minute, ticks: 2, capped: 1, cappedWithLeftover: 1, dispatched: 30 });
      await store.recordSaturation({ set: 'trading', group, minute, ticks: 3, capped: 0, cappedWithLeftover: 0, dispatched: 5 });
      const [s] = (await store.listSaturation('trading', minute)).filter((x) => x.group === group && x.minute === minute);
      expect(s).toEqual({ set: 'trading', group, minute, ticks: 5, capped: 1, cappedWithLeftover: 1, dispatched: 35 });
    });

    it('stores events in order', async () => {
      const subject = `s-${uuid()}`;
      await store.transaction((tx) => tx.insertEvents([
        { kind: 'a', subject, message: 'one', severity: 'info', stepId: 1, set: 'default', createdAt: 1 },
        { kind: 'b', subject, message: 'two', severity: 'critical', createdAt: 2 }]));
      const mine = (await store.listEvents({ limit: 10_000 })).filter((e) => e.subject === subject);
      expect(mine.map((e) => [e.kind, e.message, e.severity])).toEqual([['a', 'one', 'info'], ['b', 'two', 'critical']]);
      expect(mine[1]!.id).toBeGreaterThan(mine[0]!.id);
    });

    it('lists steps by filter, newest first', async () => {
      const label = `account:${uuid().slice(0, 6)}`;
      const [a, b] = await insert(draft({ group, label, handler: 'x.one' }), draft({ group, label, handler: 'x.two' }));
      expect((await store.listSteps('default', { label })).map((s) => s.id)).toEqual([b!.id, a!.id]);
      expect((await store.listSteps('default', { label, handler: 'x.one' })).map((s) => s.id)).toEqual([a!.id]);
      expect((await store.listSteps('default', { label, state: ['running'] }))).toEqual([]);
    });
  });
}
