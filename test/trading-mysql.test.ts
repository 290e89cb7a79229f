// The trading scenarios on the production pairing: MariaDB store and BullMQ queues on Redis.
import { ledgerScenarios } from './contracts/ledger-scenarios.contract.ts';
import { tradingScenarios } from './contracts/trading-scenarios.contract.ts';
import { freshDatabase } from './support/mysql-database.ts';
import { mysqlBullMqParts } from './support/mysql-bullmq.ts';

const mysqlParts = async () => {
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
};

tradingScenarios('MariaDB with BullMQ on Redis', mysqlParts);
ledgerScenarios('MariaDB with BullMQ on Redis', mysqlParts);
