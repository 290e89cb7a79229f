// The TAAPI rate limiter: one contract run in memory and on the real Redis, plus what only a shared
// store shows: workers on separate connections drawing on one fleet-wide budget.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../core/adapters/memory/rate-limiter.ts';
import { ManualClock } from '../core/ports/clock.ts';
import { RedisRateLimiter } from '../edge/adapters/redis/rate-limiter.ts';
import { rateLimiterContract } from './contracts/rate-limiter.contract.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';

const connections: Redis[] = [];
const connect = () => {
  const redis = new Redis(REDIS_URL);
  connections.push(redis);
  return redis;
};
afterAll(async () => {
  await Promise.all(connections.map((r) => r.quit()));
});

rateLimiterContract('in-memory', async (clock, rule) => ({ limiter: new MemoryRateLimiter(clock, rule), cleanup: async () => undefined }));

rateLimiterContract('Redis', async (clock, rule) => {
  const { prefix, cleanup } = testPrefix();
  return { limiter: new RedisRateLimiter({ redis: connect(), clock, rule, keyPrefix: prefix }), cleanup };
});

describe('Redis rate limiter across connections', () => {
  it('shares one budget between limiters on separate connections', async () => {
    const { prefix, cleanup } = testPrefix();
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const rule = { limit: 5, windowMs: 1_000, spacingMs: 0 };
    const workers = [0, 1, 2].map(() => new RedisRateLimiter({ redis: connect(), clock, rule, keyPrefix: prefix }));
    try {
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => workers[i % 3]!.reserve('taapi')));
      expect(answers.filter((a) => a.granted)).toHaveLength(5);
      clock.advance(1_000);
      expect(await workers[0]!.reserve('taapi')).toEqual({ granted: true });
    } finally {
      await cleanup();
    }
  });

  it('keeps the budget alive as long as its latest booking counts in a window', async () => {
    const { prefix, cleanup } = testPrefix();
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const redis = connect();
    const limiter = new RedisRateLimiter({ redis, clock, rule: { limit: 100, windowMs: 1_000, spacingMs: 500 }, keyPrefix: prefix });
    try {
      expect(await limiter.reserve('taapi')).toEqual({ granted: true });
      for (let i = 1; i <= 10; i++) expect(await limiter.reserve('taapi', `h${i}`)).toEqual({ granted: false, waitMs: 500 * i });
      // The tenth booking lies 5 s ahead; the set must outlive it by a window.
      expect(await redis.pttl(`${prefix}:taapi`)).toBeGreaterThan(5_000 + 1_000);
      // A plain grant later on keeps that, too.
      clock.advance(5_000);
      expect(await limiter.reserve('taapi', 'h10')).toEqual({ granted: true });
      expect(await redis.pttl(`${prefix}:taapi`)).toBeGreaterThan(1_000);
    } finally {
      await cleanup();
    }
  });
});
