// A request-rate limiter shared by every worker that calls one provider (TAAPI: one budget for the
// fleet). A slot is reserved right before each HTTP request, so it counts calls, not job starts.

/** At most `limit` requests in any `windowMs`, and at least `spacingMs` between two requests. */
export interface RateLimit {
  limit: number;
  windowMs: number;
  spacingMs: number;
}

/** The answer to a reservation: go now, or come back in `waitMs`. */
export type Reservation = { granted: true } | { granted: false; waitMs: number };

/** Reserves request slots under a named budget. */
export interface RateLimiter {
  /**
   * Takes a slot of `key` now if the window and the spacing allow, else says how long to wait.
   * With a `holder` (what the caller will ask for again, e.g. one indicator request), a caller that
   * must wait is booked the next free slot: it waits once, and when it comes back at that time the
   * slot is its own. Without bookings every waiting caller retries at the same instant and all but
   * one wait again.
   */
  reserve(key: string, holder?: string): Promise<Reservation>;
}

/** TAAPI's plan allows 75 per 15 s; we run under it: 68 per 15 s, at least 221 ms apart. */
export const TAAPI_RATE_LIMIT: RateLimit = { limit: 68, windowMs: 15_000, spacingMs: 221 };

/**
 * The pure decision both adapters implement: slot times within the window (oldest first, bookings
 * in the future included) → how long until the next free slot.
 */
export function waitFor(grants: readonly number[], now: number, rule: RateLimit): number {
  const live = grants.filter((t) => t > now - rule.windowMs);
  let wait = 0;
  const last = live.at(-1);
  if (last !== undefined) wait = Math.max(wait, last + rule.spacingMs - now);
  if (live.length >= rule.limit) wait = Math.max(wait, live[live.length - rule.limit]! + rule.windowMs - now);
  return Math.max(0, wait);
}
