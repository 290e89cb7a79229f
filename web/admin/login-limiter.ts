// Login rate limiting: failures are counted per client address and per username in a sliding
// window; at the limit, further attempts are refused (before the password is checked) until the
// oldest failure leaves the window. In memory: the admin runs as one process on pheme.

/** How many failures a window allows. */
export interface LoginLimitOptions {
  maxFailures: number;
  windowMs: number;
}

/** The default: 5 failures per 15 minutes. */
export const DEFAULT_LOGIN_LIMIT: LoginLimitOptions = { maxFailures: 5, windowMs: 15 * 60_000 };

/** Counts login failures per key under an injected clock. */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly now: () => number, private readonly options: LoginLimitOptions = DEFAULT_LOGIN_LIMIT) {}

  /** Milliseconds until any of `keys` may try again; 0 when none is blocked. */
  retryAfterMs(keys: string[]): number {
    const now = this.now();
    let wait = 0;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.options.maxFailures) wait = Math.max(wait, recent[recent.length - this.options.maxFailures]! + this.options.windowMs - now);
    }
    return wait;
  }

  /** Records a failed attempt against every key. */
  fail(keys: string[]): void {
    const now = this.now();
    for (const key of keys) this.failures.set(key, [...this.recent(key, now), now]);
  }

  /** Forgets a key's failures (a username after a successful login). */
  clear(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((at) => at > now - this.options.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }
}
