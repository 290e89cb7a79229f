// The runnable rule, written once: the in-memory store uses it directly and the MySQL adapter's
// claim query mirrors it (the contract suite holds both to it).
import { CONCLUDED_STATES, TERMINAL_STATES, type Step } from './step.ts';

/** Whether `sibling` (lower index, same block) still holds `step` back. */
export function blocks(sibling: Step, step: Step): boolean {
  if (sibling.index >= step.index || sibling.id === step.id) return false;
  if (!step.isResolver) return !(CONCLUDED_STATES.has(sibling.state) || sibling.state === 'not_runnable');
  if (sibling.isResolver) return !CONCLUDED_STATES.has(sibling.state);
  return !TERMINAL_STATES.has(sibling.state);
}

/** Whether a pending step may be dispatched now, given its block and parent. */
export function isRunnable(step: Step, block: readonly Step[], parent: Step | null, now: number): boolean {
  if (step.state !== 'pending' || step.dispatchAfter > now) return false;
  if (step.parentId !== null && parent?.state !== 'running') return false;
  return !block.some((sibling) => sibling.blockUuid === step.blockUuid && blocks(sibling, step));
}

/** Orders claim candidates: non-throttled first, then priority, then due time, then id. */
export function claimOrder(a: Step, b: Step): number {
  return Number(a.isThrottled) - Number(b.isThrottled) || b.priority - a.priority || a.dispatchAfter - b.dispatchAfter || a.id - b.id;
}
