// The production pairing for a test: a MySQL step store on `databaseUrl` and BullMQ queues on the
// test Redis under a fresh key prefix; cleanup closes both and drops the keys.
import { BullMqQueue } from '../../edge/adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../../edge/adapters/bullmq/redis-connection.ts';
import type { MySqlStepStore } from '../../edge/adapters/mysql/mysql-step-store.ts';
import { openMySqlStepStore } from '../../edge/adapters/mysql/open-mysql-store.ts';
import { REDIS_URL, testPrefix } from './redis.ts';

/** Store, queue and their cleanup. */
export async function mysqlBullMqParts(databaseUrl: string): Promise<{ store: MySqlStepStore; queue: BullMqQueue; cleanup(): Promise<void> }> {
  const store = await openMySqlStepStore(databaseUrl);
  const keys = testPrefix();
  const queue = new BullMqQueue({ connection: redisOptions(REDIS_URL), prefix: keys.prefix });
  return {
    store, queue,
    async cleanup() {
      await queue.close();
      await store.close();
      await keys.cleanup();
    },
  };
}
