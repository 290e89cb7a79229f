// The scheduler's ports (lease, cooldown, fire log) and the heartbeat port: each contract against its
// in-memory twin and its Redis adapter on the real server.
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { ManualClock } from '../core/ports/clock.ts';
import { MemoryHeartbeats } from '../core/fleet/heartbeat.port.ts';
import { MemoryCooldown } from '../core/scheduler/cooldown.port.ts';
import { MemoryFireLog } from '../core/scheduler/fire-log.port.ts';
import { MemoryLease } from '../core/scheduler/lease.port.ts';
import { RedisHeartbeats } from '../edge/heartbeat/redis-heartbeats.ts';
import { RedisCooldown } from '../edge/scheduler/redis-cooldown.ts';
import { RedisFireLog } from '../edge/scheduler/redis-fire-log.ts';
import { RedisLease } from '../edge/scheduler/redis-lease.ts';
import { cooldownContract } from './contracts/cooldown.contract.ts';
import { fireLogContract } from './contracts/fire-log.contract.ts';
import { heartbeatContract } from './contracts/heartbeat.contract.ts';
import { leaseContract } from './contracts/lease.contract.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  await redis.quit();
});

leaseContract('memory', async () => {
  const clock = new ManualClock();
  const lease = new MemoryLease(clock);
  const held = lease as unknown as { held: Map<string, { until: number }> };
  return { lease, key: (k) => k, remainingMs: async (k) => (held.held.has(k) ? held.held.get(k)!.until - clock.now() : null), cleanup: async () => undefined };
});

leaseContract('redis', async () => {
  const t = testPrefix();
  return {
    lease: new RedisLease(redis), key: (k) => `${t.prefix}:${k}`,
    remainingMs: async (k) => {
      const ms = await redis.pttl(k);
      return ms < 0 ? null : ms;
    },
    cleanup: t.cleanup,
  };
});

const clock = () => new ManualClock();
cooldownContract('memory', async (c) => ({ cooldown: new MemoryCooldown(c), cleanup: async () => undefined }), clock);
cooldownContract('redis', async (c) => {
  const t = testPrefix();
  return { cooldown: new RedisCooldown(redis, t.prefix, c), cleanup: t.cleanup };
}, clock);

heartbeatContract('memory', async () => ({ port: new MemoryHeartbeats(), cleanup: async () => undefined }));
heartbeatContract('redis', async () => {
  const t = testPrefix();
  return { port: new RedisHeartbeats(redis, t.prefix), cleanup: t.cleanup };
});

fireLogContract('memory', async () => ({ log: new MemoryFireLog(), cleanup: async () => undefined }));
fireLogContract('redis', async () => {
  const t = testPrefix();
  return { log: new RedisFireLog(redis, t.prefix), cleanup: t.cleanup };
});
