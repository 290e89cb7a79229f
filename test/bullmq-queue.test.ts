// The queue contract on BullMQ over the shared test Redis (a random key prefix per test), and the
// adapter's recovery from a Redis restart on a private redis-server.
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/ports/logger.ts';
import type { StepJob } from '../core/queue/queue.port.ts';
import { BullMqQueue } from '../edge/adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../edge/adapters/bullmq/redis-connection.ts';
import { queueContract } from './contracts/queue.contract.ts';
import { privateRedis, type PrivateRedis } from './support/private-redis.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';
import { sparePort } from './support/spare-port.ts';

queueContract('BullMQ on Redis', async () => {
  const { prefix, cleanup } = testPrefix();
  return { queue: new BullMqQueue({ connection: redisOptions(REDIS_URL), prefix, logger: silentLogger, closeDeadlineMs: 5_000 }), cleanup };
});

describe('BullMQ queue after a Redis restart', () => {
  let redis: PrivateRedis | undefined;
  const queues: BullMqQueue[] = [];
  afterAll(async () => {
    await Promise.all(queues.map((q) => q.close()));
    await redis?.stop();
  });

  it('fails a push made during an outage, lands one made during a short restart, and reconnects producer and worker by themselves', async () => {
    redis = await privateRedis(await sparePort());
    const errors: unknown[] = [];
    const queue = new BullMqQueue({ connection: redisOptions(redis.url), prefix: 'kraite-test-reconnect', logger: silentLogger, onError: (e) => errors.push(e) });
    queues.push(queue);
    const seen: number[] = [];
    queue.consume('positions', 2, async (job: StepJob) => {
      seen.push(job.stepId);
    });
    await queue.push('positions', { set: 'trading', stepId: 1, dispatchedAt: 0 });
    await expect.poll(() => seen, { timeout: 10_000 }).toEqual([1]);

    await redis.kill();
    // A push during the outage neither hangs nor is silently lost: it fails after a bounded wait.
    const t0 = performance.now();
    await expect(queue.push('positions', { set: 'trading', stepId: 99, dispatchedAt: 0 })).rejects.toThrow();
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(errors.length).toBeGreaterThan(0);
    await redis.start();

    // Nothing is re-created: the same producer and the same worker must come back on their own.
    const pushed = async () => queue.push('positions', { set: 'trading', stepId: 2, dispatchedAt: 0 }).then(() => true, () => false);
    await expect.poll(pushed, { timeout: 20_000, interval: 100 }).toBe(true);
    await expect.poll(() => seen, { timeout: 20_000 }).toEqual([1, 2]);
    await expect.poll(async () => (await queue.counts('positions')).active, { timeout: 10_000 }).toBe(0);

    // Through a short restart a push just waits in the offline queue and lands.
    await redis.kill();
    const during = queue.push('positions', { set: 'trading', stepId: 3, dispatchedAt: 0 });
    await redis.start();
    await expect(during).resolves.toBeUndefined();
    await expect.poll(() => seen, { timeout: 20_000 }).toEqual([1, 2, 3]);
    await queue.close();
  });

  it('closes within its deadline while Redis is down', async () => {
    redis ??= await privateRedis(await sparePort());
    const queue = new BullMqQueue({ connection: redisOptions(redis.url), prefix: 'kraite-test-down', logger: silentLogger, closeDeadlineMs: 500 });
    queues.push(queue);
    const seen: number[] = [];
    queue.consume('orders', 1, async (job: StepJob) => {
      seen.push(job.stepId);
    });
    await queue.push('orders', { set: 'trading', stepId: 1, dispatchedAt: 0 });
    await expect.poll(() => seen, { timeout: 10_000 }).toEqual([1]);
    await redis.kill();
    const t0 = performance.now();
    await queue.close();
    // One consumer deadline plus the producer's one-second QUIT grace at most.
    expect(performance.now() - t0).toBeLessThan(3_000);
  });
});
