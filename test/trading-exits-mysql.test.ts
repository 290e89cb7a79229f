// Issue 13's exit and drift scenarios on the production pairing: MariaDB store and BullMQ queues on Redis.
import { exitScenarios } from './contracts/exit-scenarios.contract.ts';
import { freshDatabase } from './support/mysql-database.ts';
import { mysqlBullMqParts } from './support/mysql-bullmq.ts';

exitScenarios('MariaDB with BullMQ on Redis', async () => {
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
