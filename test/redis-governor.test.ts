// The governor contract on the real Redis, plus what only a shared store can show: two processes'
// connections drawing on one budget.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/ports/clock.ts';
import { RedisWeightGovernor } from '../edge/adapters/redis/redis-weight-governor.ts';
import { governorContract } from './contracts/governor.contract.ts';
import { privateRedis } from './support/private-redis.ts';
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

governorContract('Redis governor', async (clock, limits) => {
  const { prefix, cleanup } = testPrefix();
  return { governor: new RedisWeightGovernor({ redis: connect(), clock, keyPrefix: prefix, limits }), cleanup };
});

describe('Redis governor across connections', () => {
  it('shares one weight budget between governors on separate connections', async () => {
    const { prefix, cleanup } = testPrefix();
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const limits = { weightPerMinute: 200, safety: 1 };
    const a = new RedisWeightGovernor({ redis: connect(), clock, keyPrefix: prefix, limits });
    const b = new RedisWeightGovernor({ redis: connect(), clock, keyPrefix: prefix, limits });
    try {
      const grants = await Promise.all(Array.from({ length: 300 }, (_, i) => (i % 2 ? a : b).acquire('10.0.0.1', 1)));
      expect(grants.filter((g) => g.ok)).toHaveLength(200);
      await a.ban('10.0.0.2', clock.now() + 60_000);
      expect(await b.pickIp(['10.0.0.2', '10.0.0.1', '10.0.0.3'], 1)).toEqual({ ip: '10.0.0.3', headroom: 200 });
      expect((await b.state()).ips.map((s) => s.ip)).toEqual(['10.0.0.1', '10.0.0.2']);
    } finally {
      await cleanup();
    }
  });

  it('loads its scripts on a fresh server (NOSCRIPT fallback)', async () => {
    // A private server, so flushing scripts cannot disturb anyone sharing the test Redis.
    const server = await privateRedis(6397);
    const redis = new Redis(server.url);
    try {
      const g = new RedisWeightGovernor({ redis, clock: new ManualClock(), keyPrefix: 'fresh' });
      expect(await g.acquire('ip', 1)).toEqual({ ok: true });
      await redis.script('FLUSH');
      expect(await g.acquire('ip', 1)).toEqual({ ok: true });
      expect((await g.state()).ips[0]?.used).toBe(2);
    } finally {
      redis.disconnect();
      await server.stop();
    }
  });
});
