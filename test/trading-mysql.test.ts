// The trading scenarios on the production pairing: MariaDB store and BullMQ queues on Redis.
import { tradingScenarios } from './contracts/trading-scenarios.contract.ts';
import { freshDatabase } from './support/mysql-database.ts';
import { mysqlBullMqParts } from './support/mysql-bullmq.ts';

tradingScenarios('MariaDB with BullMQ on Redis', async () => {
  // A fresh database per scenario: every one starts from empty trading tables.
  const db = await freshDatabase();
  const parts = await mysqlBullMqParts(db.url);
  return {
    ...parts,
    async cleanup() {
      await parts.cleanup();
      await db.drop();
    },
  };
});
