// BullMQ workers come back by themselves after Redis restarts.
import { afterAll, describe, expect, it } from 'vitest';
import type { StepJob } from '../core/queue/queue.port.ts';
import { BullMqQueue } from '../edge/adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../edge/adapters/bullmq/redis-connection.ts';
import { privateRedis, type PrivateRedis } from './support/private-redis.ts';

let redis: PrivateRedis | undefined;
afterAll(async () => {
  await redis?.stop();
});

describe('BullMQ after a Redis restart', () => {
  it('a consumer picks up jobs pushed after Redis was killed and restarted', async () => {
    redis = await privateRedis(6391);
    const errors: unknown[] = [];
    const queue = new BullMqQueue({ connection: redisOptions(redis.url), prefix: 'reconnect', onError: (e) => errors.push(e) });
    const seen: number[] = [];
    queue.consume('kraite.positions', 2, async (job: StepJob) => {
      seen.push(job.stepId);
    });
    await queue.push('kraite.positions', { set: 'trading', stepId: 1, dispatchedAt: 0 });
    await expect.poll(() => seen, { timeout: 10_000 }).toEqual([1]);

    await redis.kill();
    // While Redis is down a push fails instead of hanging or being lost silently.
    await expect(Promise.race([
      queue.push('kraite.positions', { set: 'trading', stepId: 99, dispatchedAt: 0 }).then(() => 'accepted'),
      new Promise((r) => setTimeout(() => r('pending'), 300)),
    ])).resolves.not.toBe('accepted');
    await redis.start();

    // The producer's connection recovers too: retry the push until Redis accepts it.
    await expect.poll(async () => {
      try {
        await queue.push('kraite.positions', { set: 'trading', stepId: 2, dispatchedAt: 0 });
        return true;
      } catch {
        return false;
      }
    }, { timeout: 20_000, interval: 200 }).toBe(true);
    await expect.poll(() => seen.includes(2), { timeout: 20_000 }).toBe(true);
    await queue.close();
  });
});
