// The in-process twin of the Redis rate limiter: the same sliding window and spacing, for the
// embedded mode and unit tests. One process only: a fleet shares the Redis one.
import { waitFor, type RateLimit, type RateLimiter, type Reservation } from '../../market/rate-limiter.port.ts';
import type { Clock } from '../../ports/clock.ts';

/** Sliding-window-plus-spacing limiter in memory, with bookings for callers that must wait. */
export class MemoryRateLimiter implements RateLimiter {
  /** Per budget: slot times in order, each with the holder that booked it (null once granted). */
  private readonly slots = new Map<string, { at: number; holder: string | null }[]>();

  constructor(private readonly clock: Clock, private readonly rule: RateLimit) {}

  async reserve(key: string, holder?: string): Promise<Reservation> {
    const now = this.clock.now();
    const live = (this.slots.get(key) ?? []).filter((s) => s.at > now - this.rule.windowMs);
    this.slots.set(key, live);
    const booked = holder === undefined ? undefined : live.find((s) => s.holder === holder);
    if (booked) {
      if (booked.at > now) return { granted: false, waitMs: booked.at - now };
      booked.holder = null;
      return { granted: true };
    }
    const waitMs = waitFor(live.map((s) => s.at), now, this.rule);
    if (waitMs === 0) {
      live.push({ at: now, holder: null });
      return { granted: true };
    }
    if (holder !== undefined) live.push({ at: now + waitMs, holder });
    return { granted: false, waitMs };
  }
}
