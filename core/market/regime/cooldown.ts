// The Critical-armed cooldown: reaching Critical blocks new opens for every account for a while
// (24 h by default), even once the score falls back. Another Critical reading re-arms it from then.

/** The stored cooldown state (one row fleet-wide). */
export interface CooldownState {
  armedAt: number | null;
  until: number | null;
  /** The score that armed it. */
  armedScore: number | null;
}

/** No cooldown. */
export const NO_COOLDOWN: CooldownState = { armedAt: null, until: null, armedScore: null };

/** Default cooldown length. */
export const DEFAULT_COOLDOWN_MS = 24 * 3_600_000;

/** Whether the cooldown blocks opens at `now` (the end is exclusive). */
export function cooldownActive(state: CooldownState | null, now: number): boolean {
  return state !== null && state.until !== null && now < state.until;
}

/** A fresh snapshot's band and score, as the state machine reads it. */
export interface CooldownInput {
  band: string;
  score: number;
  computedAt: number;
  /** Stale data never arms anything: it cannot be trusted to block. */
  stale: boolean;
}

/** What the state machine did. */
export type CooldownTransition = 'armed' | 'rearmed' | 'expired' | 'unchanged';

/** Applies one snapshot: Critical arms (or re-arms) the cooldown; an elapsed cooldown clears. */
export function applyCooldown(
  state: CooldownState,
  snapshot: CooldownInput | null,
  now: number,
  durationMs = DEFAULT_COOLDOWN_MS,
): { state: CooldownState; transition: CooldownTransition } {
  const active = cooldownActive(state, now);
  if (snapshot && !snapshot.stale && snapshot.band === 'Critical') {
    const next = { armedAt: snapshot.computedAt, until: snapshot.computedAt + durationMs, armedScore: snapshot.score };
    if (active && state.armedAt === snapshot.computedAt) return { state, transition: 'unchanged' };
    return { state: next, transition: active ? 'rearmed' : 'armed' };
  }
  if (!active && state.until !== null) return { state: NO_COOLDOWN, transition: 'expired' };
  return { state, transition: 'unchanged' };
}
