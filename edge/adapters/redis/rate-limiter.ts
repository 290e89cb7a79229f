// The fleet-wide rate limiter on Redis: one sliding window plus minimum spacing per budget, shared
// by every indicator worker of the fleet (TAAPI: 68 per 15 s, 221 ms apart). Atomic Lua; time
// comes from the injected clock, as in the governor (the fleet's clocks are NTP-synchronised).
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RateLimit, RateLimiter, Reservation } from '../../../core/market/rate-limiter.port.ts';
import type { Clock } from '../../../core/ports/clock.ts';
import { RESERVE_SLOT } from './rate-limit-script.ts';

const SHA = createHash('sha1').update(RESERVE_SLOT).digest('hex');

/** Options of the Redis limiter. */
export interface RedisRateLimiterOptions {
  /** A connection the caller owns (and closes). */
  redis: Redis;
  clock: Clock;
  rule: RateLimit;
  /** Namespace of every key (default "kraite:rate"). */
  keyPrefix?: string;
}

/** Sliding window + spacing, shared through Redis. */
export class RedisRateLimiter implements RateLimiter {
  private readonly prefix: string;

  constructor(private readonly options: RedisRateLimiterOptions) {
    this.prefix = options.keyPrefix ?? 'kraite:rate';
  }

  async reserve(key: string, holder?: string): Promise<Reservation> {
    const { redis, clock, rule } = this.options;
    const args = [clock.now(), rule.limit, rule.windowMs, rule.spacingMs, randomUUID(), holder ?? ''];
    const k = `${this.prefix}:${key}`;
    let reply: unknown;
    try {
      reply = await redis.evalsha(SHA, 1, k, ...args);
    } catch (error) {
      // NOSCRIPT after a Redis restart or on a fresh server: load it by running it.
      if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
      reply = await redis.eval(RESERVE_SLOT, 1, k, ...args);
    }
    const [ok, wait] = reply as [number, string];
    return ok === 1 ? { granted: true } : { granted: false, waitMs: Number(wait) };
  }
}
