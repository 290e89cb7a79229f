// The console and the admin in Chromium on a paper fleet on the production pairing: the MariaDB
// step store and BullMQ queues on Redis (the same scenarios as test/browser-console.test.ts).
import { screenScenarios } from './contracts/screen-scenarios.contract.ts';
import { freshDatabase } from './support/mysql-database.ts';
import { mysqlBullMqParts } from './support/mysql-bullmq.ts';

screenScenarios('MariaDB with BullMQ on Redis', async () => {
  const db = await freshDatabase();
  const parts = await mysqlBullMqParts(db.url);
  return {
    ...parts,
    mode: { store: 'mysql', queue: 'bullmq' },
    async cleanup() {
      await parts.cleanup();
      await db.drop();
    },
  };
});
