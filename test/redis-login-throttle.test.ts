// The login throttle contract on the real Redis, plus what only a shared store can show: two web
// processes (two connections) drawing on one count.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/ports/clock.ts';
import { RedisLoginThrottle } from '../edge/adapters/redis/redis-login-throttle.ts';
import { loginThrottleContract } from './contracts/login-throttle.contract.ts';
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

loginThrottleContract('Redis', async (clock, options) => {
  const { prefix, cleanup } = testPrefix();
  return { throttle: new RedisLoginThrottle({ redis: connect(), clock, keyPrefix: prefix, options }), cleanup };
});

describe('Redis login throttle across processes', () => {
  it('two processes share one count: a burst split between them checks one password at a time, five in all', async () => {
    const { prefix, cleanup } = testPrefix();
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const a = new RedisLoginThrottle({ redis: connect(), clock, keyPrefix: prefix });
    const b = new RedisLoginThrottle({ redis: connect(), clock, keyPrefix: prefix });
    try {
      let checked = 0;
      for (let round = 0; round < 8; round++) {
        const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).reserve(['ip:203.0.113.9', 'user:ada'])));
        const granted = burst.filter((r) => r.ok);
        expect(granted.length).toBeLessThanOrEqual(1);
        for (const r of granted) if (r.ok) await r.failed();
        checked += granted.length;
      }
      expect(checked).toBe(5);
    } finally {
      await cleanup();
    }
  });

  it('throttles in memory while Redis is down instead of refusing every sign-in', async () => {
    const down = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    const throttle = new RedisLoginThrottle({ redis: down, clock: new ManualClock(0), keyPrefix: 'unused' });
    const first = await throttle.reserve(['user:ada']);
    expect(first.ok).toBe(true);
    expect(await throttle.reserve(['user:ada'])).toMatchObject({ ok: false, reason: 'busy' });
    if (first.ok) await first.failed();
    down.disconnect();
  });

  it('a check whose process died frees its slot after the lease', async () => {
    const { prefix, cleanup } = testPrefix();
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const throttle = new RedisLoginThrottle({ redis: connect(), clock, keyPrefix: prefix });
    try {
      expect((await throttle.reserve(['user:ada'])).ok).toBe(true);
      expect(await throttle.reserve(['user:ada'])).toMatchObject({ ok: false, reason: 'busy' });
      clock.advance(60_000);
      expect((await throttle.reserve(['user:ada'])).ok).toBe(true);
    } finally {
      await cleanup();
    }
  });
});
