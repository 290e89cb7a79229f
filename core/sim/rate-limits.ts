// Binance's rate limits: request weight per source IP per minute (429, then a 418 ban for clients
// that keep going), and order counts per account per 10 s and per minute. Fixed windows aligned to
// the clock, as Binance resets X-MBX-USED-WEIGHT-1M at each minute.
import type { Clock } from '../ports/clock.ts';

/** The limits; Binance's production values by default. */
export interface RateLimitOptions {
  weightPerMinute: number;
  ordersPer10s: number;
  ordersPerMinute: number;
  /** Over-limit requests tolerated in one window (each answered 429) before the IP is banned (418). */
  rejectionsBeforeBan: number;
  /** First ban length; each further ban doubles it, up to three days. */
  banMs: number;
}

/** Binance's published limits. */
export const DEFAULT_RATE_LIMITS: RateLimitOptions = {
  weightPerMinute: 2400, ordersPer10s: 300, ordersPerMinute: 1200, rejectionsBeforeBan: 3, banMs: 120_000,
};

const MAX_BAN_MS = 3 * 24 * 3600_000;

/** The outcome of charging a request's weight. */
export type WeightDecision =
  | { kind: 'ok'; used: number }
  | { kind: 'limited'; used: number; retryAfterMs: number }
  | { kind: 'banned'; used: number; until: number };

interface IpState {
  window: number;
  used: number;
  rejections: number;
  bannedUntil: number;
  bans: number;
}

/** Request weight per source IP. */
export class IpWeightMeter {
  private readonly ips = new Map<string, IpState>();

  constructor(private readonly clock: Clock, private readonly options: RateLimitOptions) {}

  private entry(ip: string): IpState {
    const window = Math.floor(this.clock.now() / 60_000);
    let s = this.ips.get(ip);
    if (!s) {
      s = { window, used: 0, rejections: 0, bannedUntil: 0, bans: 0 };
      this.ips.set(ip, s);
    }
    if (s.window !== window) Object.assign(s, { window, used: 0, rejections: 0 });
    return s;
  }

  /** Charges `weight` to `ip`: ok, 429 (with the wait to the next window) or 418 (banned until). */
  charge(ip: string, weight: number): WeightDecision {
    const now = this.clock.now();
    const s = this.entry(ip);
    if (s.bannedUntil > now) return { kind: 'banned', used: s.used, until: s.bannedUntil };
    if (s.used + weight <= this.options.weightPerMinute) {
      s.used += weight;
      return { kind: 'ok', used: s.used };
    }
    s.rejections += 1;
    if (s.rejections > this.options.rejectionsBeforeBan) {
      s.bannedUntil = now + Math.min(this.options.banMs * 2 ** s.bans, MAX_BAN_MS);
      s.bans += 1;
      return { kind: 'banned', used: s.used, until: s.bannedUntil };
    }
    return { kind: 'limited', used: s.used, retryAfterMs: (s.window + 1) * 60_000 - now };
  }

  /** Weight used by `ip` in the current minute. */
  used(ip: string): number {
    return this.entry(ip).used;
  }

  /** Lifts every ban and clears all counters. */
  reset(): void {
    this.ips.clear();
  }
}

/** The outcome of counting an order. */
export type OrderCountDecision =
  | { kind: 'ok'; count10s: number; count1m: number }
  | { kind: 'limited'; count10s: number; count1m: number; limit: number; interval: string };

/** Order counts per account (10 s and 1 min windows). */
export class OrderCounter {
  private readonly accounts = new Map<string, { w10: number; c10: number; w60: number; c60: number }>();

  constructor(private readonly clock: Clock, private readonly options: RateLimitOptions) {}

  private entry(apiKey: string) {
    const now = this.clock.now();
    const w10 = Math.floor(now / 10_000);
    const w60 = Math.floor(now / 60_000);
    let s = this.accounts.get(apiKey);
    if (!s) {
      s = { w10, c10: 0, w60, c60: 0 };
      this.accounts.set(apiKey, s);
    }
    if (s.w10 !== w10) Object.assign(s, { w10, c10: 0 });
    if (s.w60 !== w60) Object.assign(s, { w60, c60: 0 });
    return s;
  }

  /** Counts an order request (`per10s` and `perMinute` units); refuses it when a window is full. */
  charge(apiKey: string, per10s: number, perMinute: number): OrderCountDecision {
    const s = this.entry(apiKey);
    if (s.c10 + per10s > this.options.ordersPer10s) return { kind: 'limited', count10s: s.c10, count1m: s.c60, limit: this.options.ordersPer10s, interval: '10 seconds' };
    if (s.c60 + perMinute > this.options.ordersPerMinute) return { kind: 'limited', count10s: s.c10, count1m: s.c60, limit: this.options.ordersPerMinute, interval: '1 minute' };
    s.c10 += per10s;
    s.c60 += perMinute;
    return { kind: 'ok', count10s: s.c10, count1m: s.c60 };
  }

  /** Current counts of an account. */
  counts(apiKey: string): { count10s: number; count1m: number } {
    const s = this.entry(apiKey);
    return { count10s: s.c10, count1m: s.c60 };
  }
}
