// The StepStore contract on MariaDB, plus the migrator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../edge/adapters/mysql/migrator.ts';
import { createMySqlPool } from '../edge/adapters/mysql/mysql-pool.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { stepStoreContract } from './contracts/step-store.contract.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await db.drop();
});

stepStoreContract('MariaDB', async () => {
  const store = await openMySqlStepStore(db.url);
  return { store, cleanup: () => store.close() };
});

describe('migrator', () => {
  it('is idempotent: a second run applies nothing', async () => {
    const pool = createMySqlPool(db.url, { connectionLimit: 1 });
    expect(await migrate(pool)).toEqual([]);
    await pool.end();
  });
});
