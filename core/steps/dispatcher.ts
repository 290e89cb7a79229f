// One dispatcher tick for one group: settle parents whose child blocks finished (the safety net
// behind eager settlement), then claim runnable pending steps and push them to their queues.
import type { StepEngine } from './engine.ts';
import type { Group, StepSet } from './step.ts';

/** What one tick of one group did, for saturation telemetry. */
export interface TickResult {
  set: StepSet;
  group: Group;
  dispatched: number;
  /** The tick claimed as many as its cap allows. */
  capped: boolean;
  /** …and runnable work was left over for the next tick. */
  leftover: boolean;
  settled: number;
}

/** Options of a tick. */
export interface TickOptions {
  /** Also run the waiting-parent safety net this tick (costs a query per waiting parent). */
  settleParents?: boolean;
}

/** Runs one tick of `group` in `set`. Safe to run concurrently from several dispatchers. */
export async function tickGroup(engine: StepEngine, set: StepSet, group: Group, options: TickOptions = {}): Promise<TickResult> {
  const cap = engine.o.limits.tickCap;
  let settled = 0;
  if (options.settleParents) {
    const parents = await engine.o.store.transaction((tx) => tx.findWaitingParents(set, group, cap));
    for (const parent of parents) {
      await engine.transact(async (tx, after, now) => {
        const current = await tx.getStep(set, parent.id);
        if (!current || current.state !== 'running' || !current.childBlockUuid) return;
        const block = await tx.lockBlock(set, current.childBlockUuid);
        const before = block.map((s) => s.state).join();
        await engine.afterChange(tx, block, current, now, after);
        if (block.map((s) => s.state).join() !== before || after.dispatch.length > 0) settled += 1;
      });
    }
  }
  let claimed = 0;
  await engine.transact(async (tx, after, now) => {
    const runnable = await tx.claimRunnable(set, group, now, cap + 1);
    claimed = runnable.length;
    for (const step of runnable.slice(0, cap)) {
      if (await tx.updateStep(set, step.id, ['pending'], { state: 'dispatched', dispatchedAt: now, updatedAt: now })) {
        step.state = 'dispatched';
        step.dispatchedAt = now;
        after.dispatch.push(step);
      }
    }
  });
  return { set, group, dispatched: Math.min(claimed, cap), capped: claimed >= cap, leftover: claimed > cap, settled };
}
