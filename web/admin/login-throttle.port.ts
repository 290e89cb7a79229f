// Login throttling, the port. An attempt is reserved against every key it touches (the client
// address, and the username, or the username at an address it signed in from before) *before*
// the password is checked: the reservation counts a failure up front and is refunded on success,
// so a burst of concurrent guesses cannot all slip past a count written only after the slow
// check. Each key lets a few failures through, then asks for a wait that doubles per failure up to
// a cap (a back-off, never a lockout), and only a few checks run at once, per key and in all, so
// the scrypt work an unauthenticated client can start is bounded. Adapters: memory (one web
// process) and Redis (edge/adapters/redis/redis-login-throttle.ts, shared and surviving restarts).

/** The throttle's tunables. */
export interface LoginThrottleOptions {
  /** Failures a key may have before its back-off starts. */
  freeFailures: number;
  /** The first back-off; each further failure doubles it. */
  firstDelayMs: number;
  /** The longest back-off (the owner from a new address waits at most this). */
  maxDelayMs: number;
  /** A key with no attempt for this long starts over. */
  forgetAfterMs: number;
  /** Password checks running at once per key. */
  maxChecksPerKey: number;
  /** Password checks running at once in all; untrusted attempts leave the last one free. */
  maxChecksTotal: number;
}

/** The defaults: 5 free failures, then 1 s, 2 s, 4 s … up to 15 minutes; counts kept for a day; one check per key, two in all. */
export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  freeFailures: 5, firstDelayMs: 1_000, maxDelayMs: 15 * 60_000, forgetAfterMs: 24 * 60 * 60_000, maxChecksPerKey: 1, maxChecksTotal: 2,
};

/** How long a refused-as-busy client is told to wait. */
export const BUSY_RETRY_MS = 1_000;

/** A reserved attempt (settle it exactly once), or why there is none and when to try again. */
export type LoginReservation =
  | { ok: true; succeeded(): Promise<void>; failed(): Promise<void> }
  | { ok: false; reason: 'back-off' | 'busy'; retryAfterMs: number };

/** Reserves sign-in attempts. */
export interface LoginThrottle {
  /** Reserves one attempt against all `keys`, or refuses it; `trusted` attempts may use the last free check slot. */
  reserve(keys: string[], trusted?: boolean): Promise<LoginReservation>;
}

/** The wait a key with `failures` (the latest at `lastAt`) imposes at `now`; 0 when it may try. */
export function backOffMs(failures: number, lastAt: number, now: number, options: LoginThrottleOptions): number {
  const over = failures - options.freeFailures;
  if (over < 0) return 0;
  const delay = Math.min(options.firstDelayMs * 2 ** Math.min(over, 40), options.maxDelayMs);
  return Math.max(0, lastAt + delay - now);
}

/** Check slots an attempt may use: all of them when trusted, else all but the last. */
export function checkSlots(trusted: boolean, options: LoginThrottleOptions): number {
  return trusted || options.maxChecksTotal < 2 ? options.maxChecksTotal : options.maxChecksTotal - 1;
}
