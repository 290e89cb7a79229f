// A fresh, migrated MariaDB database per test file, dropped afterwards (tests run side by side).
import { createPool } from 'mysql2/promise';
import { migrate } from '../../edge/adapters/mysql/migrator.ts';
import { createMySqlPool } from '../../edge/adapters/mysql/mysql-pool.ts';

/** Where the test server is (CI and developer machines: MariaDB on loopback, root, no password). */
export const MYSQL_ROOT_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

/** A database created for one test file. */
export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates `kraite_t_<random>` and applies every migration to it. */
export async function freshDatabase(rootUrl = MYSQL_ROOT_URL): Promise<TestDatabase> {
  const name = `kraite_t_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const root = createPool({ uri: rootUrl, connectionLimit: 1 });
  await root.query(`CREATE DATABASE ${name}`);
  await root.end();
  const url = `${rootUrl}/${name}`;
  const pool = createMySqlPool(url, { connectionLimit: 1 });
  await migrate(pool);
  await pool.end();
  return {
    name, url,
    async drop() {
      const admin = createPool({ uri: rootUrl, connectionLimit: 1 });
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    },
  };
}
