// Operator actions on single steps: retry a failed or cancelled step, cancel one that has not run.
import { ValidationError } from '../errors.ts';
import type { StepEngine } from './engine.ts';
import { TERMINAL_STATES, type Step, type StepSet } from './step.ts';

/** Retries a failed or cancelled step, reviving the later siblings its failure cancelled. */
export async function retryStep(engine: StepEngine, set: StepSet, id: number): Promise<Step> {
  return engine.transact(async (tx, after, now) => {
    // Lock order (core/ARCHITECTURE.md): the block, then its rows; a plain read finds the block.
    const ref = await tx.getStep(set, id);
    if (!ref) throw new ValidationError(`no ${set} step ${id}`, 'NOT_FOUND');
    const block = await tx.lockBlock(set, ref.blockUuid);
    const step = block.find((s) => s.id === id) ?? ref;
    if (step.state !== 'failed' && step.state !== 'cancelled') throw new ValidationError(`step ${id} is ${step.state}; only failed or cancelled steps can be retried`, 'NOT_RETRIABLE');
    if (step.parentId !== null) {
      const parent = await tx.getStep(set, step.parentId);
      if (parent?.state !== 'running') throw new ValidationError(`step ${id} belongs to a block whose parent ${step.parentId} is ${parent?.state ?? 'gone'}; retry the parent's tree instead`, 'NOT_RETRIABLE');
    }
    const revive = [step, ...block.filter((s) => s.state === 'cancelled' && s.errorMessage?.startsWith(`cancelled: step ${id} `))];
    for (const s of revive) {
      await tx.updateStep(set, s.id, [s.state], { state: 'pending', attempts: 0, dispatchAfter: now, errorMessage: null, errorStack: null, completedAt: null, stallCount: 0, updatedAt: now });
      const row = block.find((b) => b.id === s.id);
      if (row) row.state = 'pending';
    }
    after.events.push({ kind: 'step.retried', subject: `step:${id}`, message: `operator retried step ${id}`, severity: 'info', stepId: id, set, createdAt: now });
    await engine.promote(tx, block, step.parentId === null ? null : ({ state: 'running' } as Step), now, after);
    return { ...step, state: 'pending' };
  });
}

/** Cancels a step that is not running (and, for a parent waiting on children, its whole subtree). */
export async function cancelStep(engine: StepEngine, set: StepSet, id: number): Promise<Step> {
  return engine.transact(async (tx, after, now) => {
    const ref = await tx.getStep(set, id);
    if (!ref) throw new ValidationError(`no ${set} step ${id}`, 'NOT_FOUND');
    // Lock order: the subtree's blocks (deeper) before the step's own block, then rows through it.
    if (ref.childBlockUuid && !TERMINAL_STATES.has(ref.state)) await cancelSubtree(tx, set, ref.childBlockUuid, now);
    const block = await tx.lockBlock(set, ref.blockUuid);
    const step = block.find((s) => s.id === id) ?? ref;
    if (TERMINAL_STATES.has(step.state)) throw new ValidationError(`step ${id} is already ${step.state}`, 'ALREADY_SETTLED');
    if (step.state === 'running' && !step.childBlockUuid) throw new ValidationError(`step ${id} is running; wait for it to finish or for stale recovery`, 'RUNNING');
    await tx.updateStep(set, id, [step.state], { state: 'cancelled', completedAt: now, errorMessage: 'cancelled by operator', updatedAt: now });
    step.state = 'cancelled';
    after.events.push({ kind: 'step.cancelled', subject: `step:${id}`, message: `operator cancelled step ${id}`, severity: 'info', stepId: id, set, createdAt: now });
    await engine.afterChange(tx, block, null, now, after);
    return { ...step, state: 'cancelled' };
  });
}

async function cancelSubtree(tx: Parameters<Parameters<StepEngine['transact']>[0]>[0], set: StepSet, blockUuid: string, now: number): Promise<void> {
  for (const s of await tx.lockBlock(set, blockUuid)) {
    if (s.childBlockUuid) await cancelSubtree(tx, set, s.childBlockUuid, now);
    if (s.state === 'pending' || s.state === 'dispatched' || s.state === 'not_runnable' || (s.state === 'running' && s.childBlockUuid)) {
      await tx.updateStep(set, s.id, [s.state], { state: 'cancelled', completedAt: now, errorMessage: 'cancelled by operator (subtree)', updatedAt: now });
    }
  }
}
