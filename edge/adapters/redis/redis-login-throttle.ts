// The login throttle on Redis: shared by every web process of the fleet and kept across restarts,
// so restarting pheme does not hand an attacker fresh attempts. Atomic Lua (login-throttle-scripts.ts);
// time comes from the injected clock, as in the governor and the rate limiter.
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../../../core/ports/clock.ts';
import { BUSY_RETRY_MS, checkSlots, DEFAULT_LOGIN_THROTTLE, type LoginReservation, type LoginThrottle, type LoginThrottleOptions } from '../../../web/admin/login-throttle.port.ts';
import { MemoryLoginThrottle } from '../../../web/admin/memory-login-throttle.ts';
import { RESERVE_LOGIN, SETTLE_LOGIN } from './login-throttle-scripts.ts';

/** A check that outlives this is presumed dead (its process crashed) and frees its slot. */
const LEASE_MS = 60_000;

const sha = (script: string) => createHash('sha1').update(script).digest('hex');
const SHAS = new Map([[RESERVE_LOGIN, sha(RESERVE_LOGIN)], [SETTLE_LOGIN, sha(SETTLE_LOGIN)]]);

/** Options of the Redis throttle. */
export interface RedisLoginThrottleOptions {
  /** A connection the caller owns (and closes). */
  redis: Redis;
  clock: Clock;
  /** Namespace of every key, one per app (the admin's and the console's users are different people). */
  keyPrefix: string;
  options?: Partial<LoginThrottleOptions>;
  /** Used while Redis cannot be reached, so an outage never locks the operators out (default: one in memory). */
  fallback?: LoginThrottle;
}

/** The login throttle shared through Redis. */
export class RedisLoginThrottle implements LoginThrottle {
  private readonly options: LoginThrottleOptions;

  private readonly fallback: LoginThrottle;

  constructor(private readonly config: RedisLoginThrottleOptions) {
    this.options = { ...DEFAULT_LOGIN_THROTTLE, ...config.options };
    this.fallback = config.fallback ?? new MemoryLoginThrottle(() => config.clock.now(), config.options);
  }

  async reserve(keys: string[], trusted = false): Promise<LoginReservation> {
    try {
      return await this.reserveShared(keys, trusted);
    } catch (error) {
      console.error(`login throttle: Redis unavailable, throttling in memory: ${(error as Error).message}`);
      return this.fallback.reserve(keys, trusted);
    }
  }

  private async reserveShared(keys: string[], trusted: boolean): Promise<LoginReservation> {
    const o = this.options;
    const id = randomUUID();
    const redisKeys = this.redisKeys(keys);
    const [ok, reason, wait] = await this.run(RESERVE_LOGIN, redisKeys, [
      this.config.clock.now(), o.freeFailures, o.firstDelayMs, o.maxDelayMs, o.forgetAfterMs, o.maxChecksPerKey, checkSlots(trusted, o), id, LEASE_MS, BUSY_RETRY_MS,
    ]) as [number, string, string];
    if (ok !== 1) return { ok: false, reason: reason === 'busy' ? 'busy' : 'back-off', retryAfterMs: Number(wait) };
    const settle = async (refund: boolean) => {
      // A settle lost to an outage only leaves a failure counted and a slot held until its lease ends.
      await this.run(SETTLE_LOGIN, redisKeys, [id, refund ? '1' : '0']).catch((error: Error) => console.error(`login throttle: settle failed: ${error.message}`));
    };
    return { ok: true, succeeded: () => settle(true), failed: () => settle(false) };
  }

  private redisKeys(keys: string[]): string[] {
    const p = this.config.keyPrefix;
    return [`${p}:inflight`, ...keys.flatMap((k) => [`${p}:k:${k}`, `${p}:f:${k}`])];
  }

  private async run(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    const { redis } = this.config;
    try {
      return await redis.evalsha(SHAS.get(script)!, keys.length, ...keys, ...args);
    } catch (error) {
      // NOSCRIPT after a Redis restart or on a fresh server: load it by running it.
      if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
      return redis.eval(script, keys.length, ...keys, ...args);
    }
  }
}
