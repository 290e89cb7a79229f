// The engine contract on MariaDB with the in-process queue (the BullMQ pairing runs in bullmq-engine.test.ts).
import { afterAll, beforeAll } from 'vitest';
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { engineContract } from './contracts/engine.contract.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db.drop();
});

engineContract('MariaDB with the in-process queue', async () => {
  const store = await openMySqlStepStore(db.url);
  return { store, queue: new MemoryQueue(), cleanup: () => store.close() };
});
