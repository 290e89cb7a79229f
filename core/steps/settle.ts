// Block settlement: cascade after a failure or stop, promote resolve-exception steps, and decide
// the parent's outcome once every step of its child block is terminal.
import type { StepEvent, StepTx } from './step-store.port.ts';
import { TERMINAL_STATES, type Step, type StepPatch } from './step.ts';

/** What settling a block decided for its parent, if the block is done. */
export type BlockVerdict =
  | { done: false }
  | { done: true; parentState: 'completed' | 'failed' | 'stopped' | 'cancelled'; reason: string | null };

/**
 * Applies cascade rules to a locked block and reports whether it is done. Mutates the passed
 * array's rows to their new states so the caller can go on to promote siblings.
 */
export async function settleBlock(tx: StepTx, block: Step[], now: number, events: StepEvent[]): Promise<BlockVerdict> {
  const failed = block.find((s) => s.state === 'failed' && !s.isResolver);
  const stopped = block.find((s) => s.state === 'stopped' && !s.isResolver);
  // An operator's cancel inside a block halts the rest of it, like a stop.
  const cancelled = block.find((s) => s.state === 'cancelled' && !s.isResolver);
  const move = async (step: Step, to: Step['state'], patch: StepPatch = {}) => {
    if (await tx.updateStep(step.set, step.id, [step.state], { state: to, updatedAt: now, ...patch })) step.state = to;
  };

  const cause = failed ?? stopped ?? cancelled;
  if (cause) {
    for (const s of block) {
      if (s.isResolver) {
        if (s.state === 'not_runnable') await move(s, failed ? 'pending' : 'skipped', failed ? { dispatchAfter: now } : { completedAt: now });
        else if (!failed && (s.state === 'pending' || s.state === 'dispatched')) await move(s, 'cancelled', { completedAt: now });
      } else if (s.state === 'pending' || s.state === 'dispatched') {
        await move(s, 'cancelled', { errorMessage: `cancelled: step ${cause.id} ${cause.state}`, completedAt: now });
      }
    }
    if (failed && block.some((s) => s.isResolver)) {
      events.push({ kind: 'step.resolve-exception', subject: `step:${failed.id}`, message: `block of step ${failed.id} failed; resolve-exception steps promoted`, severity: 'warning', stepId: failed.id, set: failed.set, createdAt: now });
    }
  }

  const resolverFailed = block.find((s) => s.isResolver && s.state === 'failed');
  if (resolverFailed) {
    // A failed resolver dooms the resolvers after it.
    for (const s of block) if (s.isResolver && (s.state === 'pending' || s.state === 'dispatched')) await move(s, 'cancelled', { completedAt: now });
  }
  if (!block.filter((s) => !s.isResolver).every((s) => TERMINAL_STATES.has(s.state))) return { done: false };
  if (!failed) {
    for (const s of block) if (s.state === 'not_runnable') await move(s, 'skipped', { completedAt: now });
  }
  if (!block.every((s) => TERMINAL_STATES.has(s.state))) return { done: false };
  if (resolverFailed) return { done: true, parentState: 'failed', reason: `resolve-exception step ${resolverFailed.id} failed` };
  if (failed) {
    const resolved = block.some((s) => s.isResolver && s.state === 'completed');
    return resolved
      ? { done: true, parentState: 'completed', reason: `failure of step ${failed.id} resolved` }
      : { done: true, parentState: 'failed', reason: `child step ${failed.id} failed: ${failed.errorMessage ?? ''}`.trim() };
  }
  if (stopped) return { done: true, parentState: 'stopped', reason: `child step ${stopped.id} stopped` };
  if (cancelled) return { done: true, parentState: 'cancelled', reason: `child step ${cancelled.id} cancelled` };
  return { done: true, parentState: 'completed', reason: null };
}
