// The step engine's semantics (spec/steps.md), run against every store + queue pair.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cancelStep, retryStep } from '../../core/steps/operator.ts';
import { recoverStale } from '../../core/steps/recovery.ts';
import { tickGroup } from '../../core/steps/dispatcher.ts';
import { GROUPS, type Step } from '../../core/steps/step.ts';
import { startHarness, type EngineHarness, type EngineParts } from '../support/engine-harness.ts';
import { gate, gates, runs } from '../support/test-handlers.ts';

const tag = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
const byId = (steps: Step[]) => [...steps].sort((a, b) => a.id - b.id);

/** Runs the engine contract against the parts `make` builds. */
export function engineContract(name: string, make: () => Promise<EngineParts>, options: { chain?: boolean } = {}): void {
  describe(`step engine on ${name}${options.chain ? ', chaining promoted siblings' : ''}`, () => {
    let h: EngineHarness;
    beforeEach(async () => {
      h = await startHarness(await make(), { chain: options.chain });
    });
    afterEach(async () => {
      for (const g of gates.values()) g.open();
      gates.clear();
      await h.close();
    });

    const tree = async (treeUuid: string) => byId(await h.store.listSteps('default', { treeUuid, limit: 1000 }));

    it('runs a block in index order and completes every step', async () => {
      const t = tag('seq');
      const [first] = await h.engine.start([0, 1, 2].map((i) => ({ handler: 'test.log', args: { tag: `${t}-${i}` } })));
      await h.settle();
      expect((await h.log()).filter((m) => m.startsWith(t))).toEqual([`${t}-0`, `${t}-1`, `${t}-2`]);
      expect((await tree(first!.treeUuid)).map((s) => s.state)).toEqual(['completed', 'completed', 'completed']);
    });

    it('dispatches equal indexes together and waits for both before the next index', async () => {
      const t = tag('par');
      const a = gate(`${t}-a`);
      const b = gate(`${t}-b`);
      const [first] = await h.engine.start([
        { handler: 'test.gate', args: { tag: `${t}-a` }, index: 1 },
        { handler: 'test.gate', args: { tag: `${t}-b` }, index: 1 },
        { handler: 'test.log', args: { tag: `${t}-c` }, index: 2 },
      ]);
      await expect.poll(() => gates.get(`${t}-a`)!.entered && gates.get(`${t}-b`)!.entered, { timeout: 10_000 }).toBe(true);
      a.open();
      await expect.poll(async () => (await tree(first!.treeUuid))[0]!.state, { timeout: 10_000 }).toBe('completed');
      expect((await tree(first!.treeUuid))[2]!.state).toBe('pending');
      b.open();
      await h.settle();
      expect((await tree(first!.treeUuid)).map((s) => s.state)).toEqual(['completed', 'completed', 'completed']);
    });

    it('keeps a spawning parent running until its child block settles, then runs the next sibling', async () => {
      const t = tag('kids');
      const [parent] = await h.engine.start([
        { handler: 'test.spawn', args: { tag: `${t}-p`, children: [
          { handler: 'test.log', args: { tag: `${t}-c0` } }, { handler: 'test.log', args: { tag: `${t}-c1` } }] } },
        { handler: 'test.log', args: { tag: `${t}-after` } },
      ]);
      await h.settle();
      const steps = await tree(parent!.treeUuid);
      expect(steps.map((s) => [s.handler, s.state, s.parentId])).toEqual([
        ['test.spawn', 'completed', null], ['test.log', 'completed', null],
        ['test.log', 'completed', parent!.id], ['test.log', 'completed', parent!.id],
      ]);
      expect(steps[2]!.group).toBe(parent!.group);
      expect((await h.log()).filter((m) => m.startsWith(t))).toEqual([`${t}-p`, `${t}-c0`, `${t}-c1`, `${t}-after`]);
    });

    it('cancels later siblings and fails the parent when a child fails', async () => {
      const t = tag('cascade');
      const [parent] = await h.engine.start([
        { handler: 'test.spawn', args: { tag: `${t}-p`, children: [
          { handler: 'test.log', args: { tag: `${t}-ok` } }, { handler: 'test.fail', args: { tag: `${t}-bad` } },
          { handler: 'test.log', args: { tag: `${t}-never` } }] } },
        { handler: 'test.log', args: { tag: `${t}-after` } },
      ]);
      await h.settle();
      const steps = await tree(parent!.treeUuid);
      expect(steps.map((s) => s.state)).toEqual(['failed', 'cancelled', 'completed', 'failed', 'cancelled']);
      expect(runs.get(`${t}-never`)).toBeUndefined();
      expect(steps[0]!.errorMessage).toContain(`child step ${steps[3]!.id} failed`);
    });

    it('promotes resolve-exception steps when their block fails, and the parent completes', async () => {
      const t = tag('resolve');
      const [parent] = await h.engine.start([{ handler: 'test.spawn', args: { tag: `${t}-p`, children: [
        { handler: 'test.fail', args: { tag: `${t}-wap` }, index: 0 },
        { handler: 'test.log', args: { tag: `${t}-next` }, index: 1 },
        { handler: 'test.log', args: { tag: `${t}-restore` }, index: 2, resolveException: true }] } }]);
      await h.settle();
      const steps = await tree(parent!.treeUuid);
      expect(steps.map((s) => s.state)).toEqual(['completed', 'failed', 'cancelled', 'completed']);
      expect(runs.get(`${t}-restore`)).toBe(1);
    });

    it('skips resolve-exception steps when the block succeeds', async () => {
      const t = tag('noresolve');
      const [first] = await h.engine.start([{ handler: 'test.spawn', args: { tag: `${t}-p`, children: [
        { handler: 'test.log', args: { tag: `${t}-ok` }, index: 0 },
        { handler: 'test.log', args: { tag: `${t}-restore` }, index: 1, resolveException: true }] } }]);
      await h.settle();
      expect((await tree(first!.treeUuid)).map((s) => s.state)).toEqual(['completed', 'completed', 'skipped']);
      expect(runs.get(`${t}-restore`)).toBeUndefined();
    });

    it('stops the rest of a block when a guard stops, without failing', async () => {
      const t = tag('stop');
      const [first] = await h.engine.start([{ handler: 'test.stop', args: { tag: `${t}-guard` } }, { handler: 'test.log', args: { tag: `${t}-no` } }]);
      await h.settle();
      expect((await tree(first!.treeUuid)).map((s) => s.state)).toEqual(['stopped', 'cancelled']);
    });

    it('retries transient errors with growing backoff, then succeeds', async () => {
      const t = tag('retry');
      const [step] = await h.engine.start([{ handler: 'test.throw', args: { tag: t, times: 2 } }]);
      await h.settle();
      let s = (await h.store.getStep('default', step!.id))!;
      expect(s.state).toBe('pending');
      expect(s.dispatchAfter - h.clock.now()).toBe(100);
      h.clock.advance(100);
      await h.settle();
      s = (await h.store.getStep('default', step!.id))!;
      expect(s.dispatchAfter - h.clock.now()).toBe(200);
      h.clock.advance(200);
      await h.settle();
      s = (await h.store.getStep('default', step!.id))!;
      expect([s.state, s.attempts, runs.get(t)]).toEqual(['completed', 3, 3]);
    });

    it('fails at once on a non-retriable error and when attempts run out', async () => {
      const t = tag('final');
      const [a] = await h.engine.start([{ handler: 'test.throw', args: { tag: `${t}-a`, times: 0, final: true } }]);
      const [b] = await h.engine.start([{ handler: 'test.throw', args: { tag: `${t}-b`, times: 99 }, maxAttempts: 2 }]);
      await h.settle();
      h.clock.advance(1_000);
      await h.settle();
      const sa = (await h.store.getStep('default', a!.id))!;
      const sb = (await h.store.getStep('default', b!.id))!;
      expect([sa.state, sa.attempts, sa.errorMessage]).toEqual(['failed', 1, `[NON_RETRIABLE] ${t}-a cannot go on`]);
      expect([sb.state, sb.attempts]).toEqual(['failed', 2]);
      expect(sb.errorStack).toContain('transient');
    });

    it('reschedules a throttle wait without spending an attempt', async () => {
      const t = tag('throttle');
      const [step] = await h.engine.start([{ handler: 'test.throttle', args: { tag: t, ms: 350 } }]);
      await h.settle();
      let s = (await h.store.getStep('default', step!.id))!;
      expect([s.state, s.attempts, s.isThrottled, s.dispatchAfter - h.clock.now()]).toEqual(['pending', 0, true, 350]);
      h.clock.advance(349);
      await h.settle();
      expect((await h.store.getStep('default', step!.id))!.state).toBe('pending');
      h.clock.advance(1);
      await h.settle();
      s = (await h.store.getStep('default', step!.id))!;
      expect([s.state, s.attempts, s.isThrottled]).toEqual(['completed', 1, false]);
    });

    it('honours a millisecond dispatch_after', async () => {
      const t = tag('later');
      const [step] = await h.engine.start([{ handler: 'test.log', args: { tag: t }, delayMs: 250 }]);
      await h.settle();
      expect((await h.store.getStep('default', step!.id))!.state).toBe('pending');
      h.clock.advance(249);
      await h.settle();
      expect(runs.get(t)).toBeUndefined();
      h.clock.advance(1);
      await h.settle();
      expect((await h.store.getStep('default', step!.id))!.state).toBe('completed');
    });

    it('spreads root blocks over the ten groups round-robin', async () => {
      const roots: Step[] = [];
      for (let i = 0; i < 10; i++) roots.push((await h.engine.start([{ handler: 'test.log', args: { tag: tag('rr') } }]))[0]!);
      expect(new Set(roots.map((s) => s.group)).size).toBe(GROUPS.length);
      await h.settle();
    });

    it('keeps the trading set apart from the default set', async () => {
      const t = tag('sets');
      const [step] = await h.engine.start([{ handler: 'test.trading-log', args: { tag: t } }]);
      expect(step!.set).toBe('trading');
      await h.settle();
      expect((await h.store.getStep('trading', step!.id))!.state).toBe('completed');
      expect((await h.store.listSteps('default', { treeUuid: step!.treeUuid })).length).toBe(0);
    });

    it('refuses a step whose arguments fail the handler schema, naming the field', async () => {
      await expect(h.engine.start([{ handler: 'test.log', args: { tag: 42 } }])).rejects.toThrow(/argument tag/);
      await expect(h.engine.start([{ handler: 'no.such', args: {} }])).rejects.toThrow(/unknown handler "no.such"/);
    });

    it('creates a deduplicated block at most once', async () => {
      const t = tag('dedupe');
      const key = `event:${t}`;
      const [a] = await h.engine.start([{ handler: 'test.log', args: { tag: t } }], { dedupeKey: key });
      const [b] = await h.engine.start([{ handler: 'test.log', args: { tag: t } }], { dedupeKey: key });
      expect(b!.id).toBe(a!.id);
      const [s] = await h.engine.start([
        { handler: 'test.start-block', args: { tag: `${t}-x`, key: `${key}-from-handler` } },
        { handler: 'test.start-block', args: { tag: `${t}-y`, key: `${key}-from-handler` } }]);
      await h.settle();
      expect(runs.get(t)).toBe(1);
      expect(runs.get(`${t}-x-started`)).toBe(1);
      expect(runs.get(`${t}-y-started`)).toBeUndefined();
      expect(s).toBeDefined();
    });

    it('creates one block when several starts race for one dedupe key', async () => {
      const t = tag('race-key');
      const starts = await Promise.all(Array.from({ length: 5 }, () => h.engine.start([{ handler: 'test.log', args: { tag: t } }], { dedupeKey: `event:${t}` })));
      expect(new Set(starts.map((s) => s[0]!.id)).size).toBe(1);
      await h.settle();
      expect(runs.get(t)).toBe(1);
    });

    it('recovers a running step whose worker died, runs it once more, and drops the orphan run', async () => {
      const t = tag('dead');
      const orphan = gate(t);
      const [step] = await h.engine.start([{ handler: 'test.gate', args: { tag: t } }, { handler: 'test.log', args: { tag: `${t}-next` } }]);
      await expect.poll(() => gates.get(t)!.entered, { timeout: 10_000 }).toBe(true);
      // The worker "dies": its heartbeat stops while the step stays running.
      h.clock.advance(h.engine.o.limits.staleRunningMs + 1);
      const report = await recoverStale(h.engine, 'default');
      expect(report.runningRecovered).toBe(1);
      gates.delete(t);
      await h.settle();
      const s = (await h.store.getStep('default', step!.id))!;
      expect(s.state).toBe('completed');
      expect(runs.get(t)).toBe(2);
      expect(runs.get(`${t}-next`)).toBe(1);
      expect(h.events.some((e) => e.kind === 'step.recovered' && e.stepId === step!.id)).toBe(true);
      // The orphaned first run finishes late: its effects must not land.
      orphan.open();
      await expect.poll(() => h.outcomes.filter((o) => o === 'lost').length, { timeout: 10_000 }).toBe(1);
      expect((await h.log()).filter((m) => m === t)).toEqual([t]);
    });

    it('never re-runs a committed spawn when the parent is recovered', async () => {
      const t = tag('respawn');
      const g = gate(`${t}-child`);
      const [parent] = await h.engine.start([{ handler: 'test.spawn', args: { tag: t, children: [{ handler: 'test.gate', args: { tag: `${t}-child` } }] } }]);
      await expect.poll(() => gates.get(`${t}-child`)!.entered, { timeout: 10_000 }).toBe(true);
      // Simulate the parent's worker vanishing after the spawn committed: it is re-dispatched.
      await h.store.transaction((tx) => tx.updateStep('default', parent!.id, ['running'], { state: 'dispatched', dispatchedAt: h.clock.now() }));
      expect(await h.engine.execute({ set: 'default', stepId: parent!.id, dispatchedAt: h.clock.now() })).toBe('resumed');
      g.open();
      await h.settle();
      const steps = await tree(parent!.treeUuid);
      expect(steps.length).toBe(2);
      expect(runs.get(t)).toBe(1);
      expect(steps.map((s) => s.state)).toEqual(['completed', 'completed']);
    });

    it('ignores a duplicate delivery of the same job', async () => {
      const t = tag('dup');
      const [step] = await h.engine.start([{ handler: 'test.log', args: { tag: t } }]);
      await h.settle();
      expect(await h.engine.execute({ set: 'default', stepId: step!.id, dispatchedAt: 0 })).toBe('ignored');
      expect(runs.get(t)).toBe(1);
    });

    it('lets an operator retry a failed step and cancel a pending one', async () => {
      const t = tag('op');
      const [bad, next] = await h.engine.start([{ handler: 'test.fail', args: { tag: t } }, { handler: 'test.log', args: { tag: `${t}-n` } }]);
      await h.settle();
      expect((await h.store.getStep('default', next!.id))!.state).toBe('cancelled');
      await retryStep(h.engine, 'default', bad!.id);
      await h.settle();
      expect(runs.get(t)).toBe(2);
      const [later] = await h.engine.start([{ handler: 'test.log', args: { tag: `${t}-later` }, delayMs: 10_000 }]);
      await cancelStep(h.engine, 'default', later!.id);
      expect((await h.store.getStep('default', later!.id))!.state).toBe('cancelled');
      await expect(cancelStep(h.engine, 'default', later!.id)).rejects.toThrow(/already cancelled/);
    });

    it('archives settled trees whole and purges them later', async () => {
      const t = tag('arch');
      const [done] = await h.engine.start([{ handler: 'test.spawn', args: { tag: t, children: [{ handler: 'test.log', args: { tag: `${t}-c` } }] } }]);
      const [open] = await h.engine.start([{ handler: 'test.log', args: { tag: `${t}-open` }, delayMs: 60_000 }]);
      await h.settle();
      h.clock.advance(3_600_000);
      const archivedBefore = await h.store.countArchived('default');
      const moved = await h.store.archiveSettledTrees('default', h.clock.now() - 1_000, 10_000);
      expect(moved).toBeGreaterThanOrEqual(2);
      expect(await h.store.getStep('default', done!.id)).toBeNull();
      expect((await h.store.getStep('default', open!.id))!.state).toBe('pending');
      expect(await h.store.countArchived('default')).toBe(archivedBefore + moved);
      expect(await h.store.purgeArchive('default', h.clock.now() + 1, 10_000)).toBe(archivedBefore + moved);
      expect(await h.store.countArchived('default')).toBe(0);
    });

    it('never double-dispatches when two dispatchers tick the same group at once', async () => {
      const started: Step[] = [];
      for (let i = 0; i < 60; i++) started.push((await h.engine.start([{ handler: 'test.log', args: { tag: tag('race') }, delayMs: 5 }], { group: 'alpha' }))[0]!);
      h.clock.advance(5);
      const before = h.received.length;
      await Promise.all([tickGroup(h.engine, 'default', 'alpha'), tickGroup(h.engine, 'default', 'alpha'), tickGroup(h.engine, 'default', 'alpha')]);
      await h.settle();
      const ids = h.received.slice(before).map((j) => j.stepId).filter((id) => started.some((s) => s.id === id));
      expect(ids.length).toBe(60);
      expect(new Set(ids).size).toBe(60);
    });

    it('re-queues a stalled dispatched step on the priority lane and alerts on the second stall', async () => {
      const noConsumer = await h.engine.start([{ handler: 'test.log', args: { tag: tag('stall') }, lane: 'nobody' }]);
      const id = noConsumer[0]!.id;
      h.clock.advance(h.engine.o.limits.staleDispatchedMs + 1);
      const first = await recoverStale(h.engine, 'default');
      expect(first.dispatchedRequeued).toBeGreaterThanOrEqual(1);
      await h.settle();
      expect((await h.store.getStep('default', id))!.state).toBe('completed');
      expect(h.received.some((j) => j.stepId === id)).toBe(true);
      const [again] = await h.engine.start([{ handler: 'test.log', args: { tag: tag('stall2') }, lane: 'nobody' }]);
      await h.store.transaction((tx) => tx.updateStep('default', again!.id, ['dispatched'], { stallCount: 1 }));
      h.clock.advance(h.engine.o.limits.staleDispatchedMs + 1);
      const second = await recoverStale(h.engine, 'default');
      expect(second.alerts).toBeGreaterThanOrEqual(1);
      expect(h.events.some((e) => e.kind === 'step.stalled' && e.stepId === again!.id && e.severity === 'critical')).toBe(true);
      await h.settle();
    });
  });
}
