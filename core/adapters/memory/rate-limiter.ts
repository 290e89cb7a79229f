// The in-process twin of the Redis rate limiter: the same sliding window and spacing, for the
// embedded mode and unit tests. One process only: a fleet shares the Redis one.
import { waitFor, type RateLimit, type RateLimiter, type Reservation } from '../../market/rate-limiter.port.ts';
import type { Clock } from '../../ports/clock.ts';

/** Sliding-window-plus-spacing limiter in memory. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly grants = new Map<string, number[]>();

  constructor(private readonly clock: Clock, private readonly rule: RateLimit) {}

  async reserve(key: string): Promise<Reservation> {
    const now = this.clock.now();
    const live = (this.grants.get(key) ?? []).filter((t) => t > now - this.rule.windowMs);
    const waitMs = waitFor(live, now, this.rule);
    if (waitMs > 0) {
      this.grants.set(key, live);
      return { granted: false, waitMs };
    }
    live.push(now);
    this.grants.set(key, live);
    return { granted: true };
  }
}
