// The engine contract on the production pairing: MariaDB store and BullMQ queues on Redis.
import { afterAll, beforeAll } from 'vitest';
import { engineContract } from './contracts/engine.contract.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { mysqlBullMqParts } from './support/mysql-bullmq.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db.drop();
});

for (const chain of [false, true]) engineContract('MariaDB with BullMQ on Redis', () => mysqlBullMqParts(db.url), { chain });
