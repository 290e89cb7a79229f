// Opens the MySQL step store from a DATABASE_URL: pool, a reachability check, and the server's
// auto-increment mode (which decides whether a multi-row insert yields consecutive ids).
import type { RowDataPacket } from 'mysql2/promise';
import { countRoundTrips, createMySqlPool, redactUrl } from './mysql-pool.ts';
import type { GroupCommitOptions } from './group-commit.ts';
import { MySqlStepStore } from './mysql-step-store.ts';

/** Opens and checks the store; a clear error when MySQL is unreachable. */
export async function openMySqlStepStore(databaseUrl: string, options: { connectionLimit?: number; groupCommit?: GroupCommitOptions; blockImages?: boolean } = {}): Promise<MySqlStepStore> {
  // Multi-statement packets carry a transaction's deferred writes with its COMMIT and a claim with
  // its read. Every statement the store builds uses placeholders and validated identifiers; the
  // SQL console has its own read-only pool that refuses multi-statements.
  const pool = createMySqlPool(databaseUrl, { connectionLimit: options.connectionLimit ?? 20, multipleStatements: true });
  let store: MySqlStepStore | null = null;
  const count = () => {
    if (store) store.stats.roundTrips += 1;
  };
  countRoundTrips(pool, count);
  try {
    const [[row]] = await pool.query<RowDataPacket[]>('SELECT @@innodb_autoinc_lock_mode AS mode, @@auto_increment_increment AS step');
    const transactionPool = createMySqlPool(databaseUrl, { connectionLimit: options.connectionLimit ?? 20, multipleStatements: true });
    // Queued before any other query on each new connection; every transaction ends in COMMIT or ROLLBACK.
    transactionPool.pool.on('connection', (conn: { query(sql: string): void }) => conn.query('SET autocommit = 0'));
    countRoundTrips(transactionPool, count);
    return store = new MySqlStepStore(pool, { consecutiveIds: Number(row?.mode) !== 2 && Number(row?.step) === 1, transactionPool, multiStatements: true, groupCommit: options.groupCommit, blockImages: options.blockImages });
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot reach MySQL at ${redactUrl(databaseUrl)}: ${(error as Error).message}`, { cause: error });
  }
}
