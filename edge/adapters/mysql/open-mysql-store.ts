// Opens the MySQL step store from a DATABASE_URL: pool, session settings, and a reachability check.
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { createMySqlPool } from './mysql-pool.ts';
import { MySqlStepStore } from './mysql-step-store.ts';

/** Session settings for every pooled connection: READ COMMITTED keeps claims free of gap locks. */
export function configureSessions(pool: Pool): void {
  // mysql2's pool emits the callback-style connection here.
  pool.pool.on('connection', (conn: { query(sql: string): void }) => {
    conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    conn.query("SET time_zone = '+00:00'");
  });
}

/** Opens, configures and checks the store; a clear error when MySQL is unreachable. */
export async function openMySqlStepStore(databaseUrl: string, options: { connectionLimit?: number } = {}): Promise<MySqlStepStore> {
  const pool = createMySqlPool(databaseUrl, { connectionLimit: options.connectionLimit ?? 20 });
  configureSessions(pool);
  try {
    const [[row]] = await pool.query<RowDataPacket[]>('SELECT @@innodb_autoinc_lock_mode AS mode');
    return new MySqlStepStore(pool, { consecutiveIds: Number(row?.mode) !== 2 });
  } catch (error) {
    await pool.end().catch(() => undefined);
    const safe = databaseUrl.replace(/:[^:@/]*@/, ':***@');
    throw new Error(`cannot reach MySQL at ${safe}: ${(error as Error).message}`);
  }
}
