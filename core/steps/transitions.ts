// The legal-transition table. Every state change goes through `assertTransition`; the store then
// applies it as a conditional update on the expected current state.
import type { StepState } from './step.ts';

const LEGAL: Record<StepState, readonly StepState[]> = {
  // pending → running: a worker that finishes a step claims the sibling it promotes in the same
  // transaction (chaining), skipping the queue hop.
  pending: ['dispatched', 'running', 'cancelled', 'skipped'],
  dispatched: ['running', 'pending', 'cancelled'],
  // running → pending: retry with backoff, throttle wait, or stale recovery.
  running: ['completed', 'skipped', 'stopped', 'failed', 'pending', 'cancelled'],
  not_runnable: ['pending', 'skipped', 'cancelled'],
  // An operator may retry a failed or cancelled step.
  failed: ['pending'],
  cancelled: ['pending'],
  completed: [],
  skipped: [],
  stopped: [],
};

/** Raised when code asks for a move the table does not allow. */
export class IllegalTransitionError extends Error {
  readonly code = 'STEP_ILLEGAL_TRANSITION';
  constructor(readonly from: StepState, readonly to: StepState) {
    super(`illegal step transition ${from} → ${to}`);
  }
}

/** Whether `from → to` is a legal move. */
export function canTransition(from: StepState, to: StepState): boolean {
  return LEGAL[from].includes(to);
}

/** Throws IllegalTransitionError unless `from → to` is legal. */
export function assertTransition(from: StepState, to: StepState): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

/** The states that may legally move to `to` (used to build conditional updates). */
export function sourcesOf(to: StepState): StepState[] {
  return (Object.keys(LEGAL) as StepState[]).filter((from) => LEGAL[from].includes(to));
}
