// The login throttle in one process's memory (login-throttle.port.ts says what it promises): the
// reservation is a synchronous section, so concurrent requests of this process cannot interleave.
import { backOffMs, BUSY_RETRY_MS, checkSlots, DEFAULT_LOGIN_THROTTLE, type LoginReservation, type LoginThrottle, type LoginThrottleOptions } from './login-throttle.port.ts';

interface KeyState {
  failures: number;
  lastAt: number;
  inFlight: number;
}

/** Beyond this many keys, keys that impose nothing right now are dropped. */
const MAX_KEYS = 50_000;

/** Per-key failure counts with back-off and in-flight caps, under an injected clock. */
export class MemoryLoginThrottle implements LoginThrottle {
  private readonly keys = new Map<string, KeyState>();
  private inFlight = 0;
  private readonly options: LoginThrottleOptions;

  constructor(private readonly now: () => number, options: Partial<LoginThrottleOptions> = {}) {
    this.options = { ...DEFAULT_LOGIN_THROTTLE, ...options };
  }

  async reserve(keys: string[], trusted = false): Promise<LoginReservation> {
    const now = this.now();
    if (this.inFlight >= checkSlots(trusted, this.options)) return { ok: false, reason: 'busy', retryAfterMs: BUSY_RETRY_MS };
    const states = keys.map((key) => this.state(key, now));
    if (states.some((s) => s.inFlight >= this.options.maxChecksPerKey)) return { ok: false, reason: 'busy', retryAfterMs: BUSY_RETRY_MS };
    const wait = Math.max(0, ...states.map((s) => backOffMs(s.failures, s.lastAt, now, this.options)));
    if (wait > 0) return { ok: false, reason: 'back-off', retryAfterMs: wait };
    for (const s of states) {
      s.failures++;
      s.lastAt = now;
      s.inFlight++;
    }
    this.inFlight++;
    let settled = false;
    const settle = async (refund: boolean) => {
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
    for (const [key, s] of this.keys) if (s.inFlight === 0 && backOffMs(s.failures, s.lastAt, now, this.options) === 0) this.keys.delete(key);
  }
}
