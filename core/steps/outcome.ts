// Turns a handler's outcome (or a thrown error) into the step's next state and patch.
import { dispositionOf, KraiteError } from '../errors.ts';
import type { Outcome } from './effects.ts';
import type { Step, StepPatch, StepState } from './step.ts';

/** The state a finished run moves the step to, with the fields to write. */
export interface Transition {
  to: StepState;
  patch: StepPatch;
}

/** Exponential backoff from the step's base, capped. */
export function backoffDelay(step: Step, capMs: number): number {
  return Math.min(capMs, step.backoffMs * 2 ** Math.max(0, step.attempts - 1));
}

/** The fields every settling transition writes. */
function settled(step: Step, now: number, extra: StepPatch): StepPatch {
  // Assigned field by field: spreading a small object and adding fields is a slow path in V8.
  const patch: StepPatch = { completedAt: now, durationMs: step.startedAt === null ? null : now - step.startedAt, updatedAt: now, heartbeatAt: null };
  return Object.assign(patch, extra);
}

/** The fields a reschedule writes. */
function rescheduled(now: number, at: number, throttled: boolean, message: string | null, extra: StepPatch = {}): StepPatch {
  const patch: StepPatch = { dispatchAfter: at, isThrottled: throttled, worker: null, heartbeatAt: null, updatedAt: now, errorMessage: message };
  return Object.assign(patch, extra);
}

/** Maps an outcome to the next state. `step.attempts` already counts this run. */
export function transitionFor(step: Step, outcome: Outcome, now: number, _capMs: number): Transition {
  switch (outcome.kind) {
    case 'complete':
      return { to: 'completed', patch: settled(step, now, { response: outcome.response ?? null, errorMessage: null, errorStack: null }) };
    case 'skip':
      return { to: 'skipped', patch: settled(step, now, { response: { skipped: outcome.reason } }) };
    case 'stop':
      return { to: 'stopped', patch: settled(step, now, { response: { stopped: outcome.reason } }) };
    case 'fail':
      return { to: 'failed', patch: settled(step, now, { errorMessage: outcome.reason }) };
    case 'retry-after':
      // A throttle wait gives the attempt back.
      if (outcome.throttle) return { to: 'pending', patch: rescheduled(now, now + outcome.ms, true, outcome.reason ?? null, { attempts: step.attempts - 1 }) };
      if (step.attempts >= step.maxAttempts) return { to: 'failed', patch: settled(step, now, { errorMessage: outcome.reason ?? 'retries exhausted' }) };
      return { to: 'pending', patch: rescheduled(now, now + outcome.ms, false, outcome.reason ?? null) };
  }
}

/** Maps a thrown error to the next state by its disposition. */
export function transitionForError(step: Step, error: unknown, now: number, capMs: number): Transition {
  const message = error instanceof Error ? `${error instanceof KraiteError ? `[${error.code}] ` : ''}${error.message}` : String(error);
  const stack = error instanceof Error ? (error.stack ?? null) : null;
  const disposition = dispositionOf(error);
  if (disposition === 'throttle') {
    const ms = error instanceof KraiteError && error.retryAfterMs !== undefined ? error.retryAfterMs : step.backoffMs;
    return transitionFor(step, { kind: 'retry-after', ms, throttle: true, reason: message }, now, capMs);
  }
  if (disposition === 'final' || step.attempts >= step.maxAttempts) return { to: 'failed', patch: settled(step, now, { errorMessage: message, errorStack: stack }) };
  // retry and reconcile both run the handler again; a reconciling handler looks up its client id first.
  return { to: 'pending', patch: rescheduled(now, now + backoffDelay(step, capMs), false, message, { errorStack: stack }) };
}
