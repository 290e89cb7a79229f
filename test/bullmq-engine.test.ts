// The engine contract on the production pairing: MariaDB store and BullMQ queues on Redis.
import { afterAll, beforeAll } from 'vitest';
import { BullMqQueue } from '../edge/adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../edge/adapters/bullmq/redis-connection.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { engineContract } from './contracts/engine.contract.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db.drop();
});

for (const chain of [false, true]) engineContract('MariaDB with BullMQ on Redis', async () => {
  const store = await openMySqlStepStore(db.url);
  const { prefix, cleanup } = testPrefix();
  const queue = new BullMqQueue({ connection: redisOptions(REDIS_URL), prefix });
  return {
    store, queue,
    async cleanup() {
      await queue.close();
      await store.close();
      await cleanup();
    },
  };
}, { chain });
