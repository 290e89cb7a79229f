// The trading scenarios on the production pairing: MariaDB store and BullMQ queues on Redis.
import { BullMqQueue } from '../edge/adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../edge/adapters/bullmq/redis-connection.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { tradingScenarios } from './contracts/trading-scenarios.contract.ts';
import { freshDatabase } from './support/mysql-database.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';

tradingScenarios('MariaDB with BullMQ on Redis', async () => {
  // A fresh database per scenario: every one starts from empty trading tables.
  const db = await freshDatabase();
  const store = await openMySqlStepStore(db.url);
  const { prefix, cleanup } = testPrefix();
  const queue = new BullMqQueue({ connection: redisOptions(REDIS_URL), prefix });
  return {
    store, queue,
    async cleanup() {
      await queue.close();
      await store.close();
      await cleanup();
      await db.drop();
    },
  };
});
