// Where the benchmarks find MariaDB and Redis (BENCH_MYSQL_URL, BENCH_REDIS_URL; the local servers
// by default), and the scratch database each run migrates and drops.
import { createPool } from 'mysql2/promise';
import { migrate } from '../adapters/mysql/migrator.ts';

/** MariaDB server of the benchmarks (root, scratch databases). */
export const BENCH_MYSQL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
/** Redis of the benchmarks (scratch key prefixes). */
export const BENCH_REDIS = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A scratch database, migrated, dropped by the returned function. */
export async function scratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `kraite_bench_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const root = createPool({ uri: BENCH_MYSQL, connectionLimit: 1 });
  await root.query(`CREATE DATABASE ${name}`);
  const url = `${BENCH_MYSQL}/${name}`;
  const pool = createPool({ uri: url, connectionLimit: 1 });
  await migrate(pool);
  await pool.end();
  return { url, drop: async () => { await root.query(`DROP DATABASE ${name}`); await root.end(); } };
}
