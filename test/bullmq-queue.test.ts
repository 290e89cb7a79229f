// The queue contract on BullMQ over the real Redis.
import { BullMqQueue } from '../edge/adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../edge/adapters/bullmq/redis-connection.ts';
import { queueContract } from './contracts/queue.contract.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';

queueContract('BullMQ on Redis', async () => {
  const { prefix, cleanup } = testPrefix();
  return { queue: new BullMqQueue({ connection: redisOptions(REDIS_URL), prefix }), cleanup };
});
