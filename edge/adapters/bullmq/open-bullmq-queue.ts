// Opens the BullMQ queue adapter from a REDIS_URL.
import { BullMqQueue } from './bullmq-queue.ts';
import { redisOptions } from './redis-connection.ts';

/** The QueuePort on BullMQ for a REDIS_URL and key prefix. */
export function openBullMqQueue(redisUrl: string, prefix: string): BullMqQueue {
  return new BullMqQueue({ connection: redisOptions(redisUrl), prefix });
}
