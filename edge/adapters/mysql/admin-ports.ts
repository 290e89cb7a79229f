// Opens the admin's MySQL side for a running process: users, sessions and audit on a small pool of
// the fleet's DATABASE_URL, and the SQL console on its own read-only user and pool. When the
// read-only user cannot be set up (the fleet's user lacks CREATE USER / GRANT), the console is
// disabled with the reason instead of falling back to a privileged connection.
import type { Pool } from 'mysql2/promise';
import type { AuditLog } from '../../../web/admin/audit.port.ts';
import type { SqlExecutor } from '../../../web/admin/sql-executor.port.ts';
import { unavailableSqlExecutor } from '../../../web/admin/unavailable-sql.ts';
import { MySqlAuditLog } from './admin-audit-log.ts';
import { openReadOnlySqlExecutor } from './admin-readonly-user.ts';
import { MySqlAdminSessionStore } from './admin-session-store.ts';
import { MySqlAdminUserStore } from './admin-user-store.ts';
import { createMySqlPool } from './mysql-pool.ts';

/** The admin's MySQL-backed ports. */
export interface MySqlAdminPorts {
  pool: Pool;
  users: MySqlAdminUserStore;
  sessions: MySqlAdminSessionStore;
  audit: AuditLog;
  sql: SqlExecutor;
  /** Why the SQL console is disabled, or null when it runs. */
  sqlUnavailable: string | null;
  close(): Promise<void>;
}

/** What opening needs: the fleet's DATABASE_URL and, optionally, the read-only user's name. */
export interface MySqlAdminPortsOptions {
  url: string;
  readOnlyUser?: string;
}

/** Opens the pools; close() ends both. */
export async function openMySqlAdminPorts(options: MySqlAdminPortsOptions): Promise<MySqlAdminPorts> {
  const pool = createMySqlPool(options.url, { connectionLimit: 4 });
  let sql: SqlExecutor;
  let sqlUnavailable: string | null = null;
  let closeSql = async () => {};
  try {
    const executor = await openReadOnlySqlExecutor({ adminUrl: options.url, user: options.readOnlyUser });
    sql = executor;
    closeSql = () => executor.close();
  } catch (error) {
    sqlUnavailable = `the read-only database user could not be set up (${(error as Error).message})`;
    sql = unavailableSqlExecutor(sqlUnavailable);
  }
  return {
    pool, users: new MySqlAdminUserStore(pool), sessions: new MySqlAdminSessionStore(pool), audit: new MySqlAuditLog(pool), sql, sqlUnavailable,
    async close() {
      await closeSql();
      await pool.end();
    },
  };
}
