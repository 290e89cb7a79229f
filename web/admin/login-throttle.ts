// Login throttling. An attempt is reserved against every key it touches (the client address, and
// the username, or the username at an address it signed in from before) *before* the password is
// checked: the reservation counts a failure up front and is refunded on success, so a burst of
// concurrent guesses cannot all slip past a count that is written only after the slow check. Each
// key lets a few failures through, then asks for a wait that doubles per failure up to a cap (a
// back-off, never a lockout), and at most a few checks run at once, per key and in all, so the
// scrypt work an unauthenticated client can start is bounded. Synchronous, in memory: the admin and
// the console each run in one process (pheme); trust lives in the audit log, so it survives restarts.

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

/** A reserved attempt (settle it exactly once), or why there is none and when to try again. */
export type LoginReservation =
  | { ok: true; succeeded(): void; failed(): void }
  | { ok: false; reason: 'back-off' | 'busy'; retryAfterMs: number };

interface KeyState {
  failures: number;
  lastAt: number;
  inFlight: number;
}

/** Beyond this many keys, keys that impose nothing right now are dropped. */
const MAX_KEYS = 50_000;
/** How long a refused-as-busy client is told to wait. */
const BUSY_RETRY_MS = 1_000;

/** Per-key failure counts with back-off and in-flight caps, under an injected clock. */
export class LoginThrottle {
  private readonly keys = new Map<string, KeyState>();
  private inFlight = 0;
  private readonly options: LoginThrottleOptions;

  constructor(private readonly now: () => number, options: Partial<LoginThrottleOptions> = {}) {
    this.options = { ...DEFAULT_LOGIN_THROTTLE, ...options };
  }

  /** Reserves one attempt against all `keys`, or refuses it; `trusted` attempts may use the last free check slot. */
  reserve(keys: string[], trusted = false): LoginReservation {
    const now = this.now();
    const slots = trusted || this.options.maxChecksTotal < 2 ? this.options.maxChecksTotal : this.options.maxChecksTotal - 1;
    if (this.inFlight >= slots) return { ok: false, reason: 'busy', retryAfterMs: BUSY_RETRY_MS };
    const states = keys.map((key) => this.state(key, now));
    if (states.some((s) => s.inFlight >= this.options.maxChecksPerKey)) return { ok: false, reason: 'busy', retryAfterMs: BUSY_RETRY_MS };
    const wait = Math.max(0, ...states.map((s) => this.waitMs(s, now)));
    if (wait > 0) return { ok: false, reason: 'back-off', retryAfterMs: wait };
    for (const s of states) {
      s.failures++;
      s.lastAt = now;
      s.inFlight++;
    }
    this.inFlight++;
    let settled = false;
    const settle = (refund: boolean) => {
      if (settled) return;
      settled = true;
      this.inFlight--;
      for (const s of states) {
        s.inFlight--;
        if (refund) s.failures--;
      }
    };
    return { ok: true, succeeded: () => settle(true), failed: () => settle(false) };
  }

  /** How long `key` must wait now (0 when it may try). */
  retryAfterMs(key: string): number {
    const s = this.keys.get(key);
    return s ? this.waitMs(s, this.now()) : 0;
  }

  private waitMs(s: KeyState, now: number): number {
    const over = s.failures - this.options.freeFailures;
    if (over < 0) return 0;
    const delay = Math.min(this.options.firstDelayMs * 2 ** Math.min(over, 40), this.options.maxDelayMs);
    return Math.max(0, s.lastAt + delay - now);
  }

  private state(key: string, now: number): KeyState {
    let s = this.keys.get(key);
    if (s && s.inFlight === 0 && now - s.lastAt >= this.options.forgetAfterMs) s = undefined;
    if (!s) {
      if (this.keys.size >= MAX_KEYS) this.prune(now);
      s = { failures: 0, lastAt: now, inFlight: 0 };
      this.keys.set(key, s);
    }
    return s;
  }

  private prune(now: number): void {
    for (const [key, s] of this.keys) if (s.inFlight === 0 && this.waitMs(s, now) === 0) this.keys.delete(key);
  }
}
