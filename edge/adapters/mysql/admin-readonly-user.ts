// The SQL console's database side: creates (or resets) the read-only user with the privileged
// connection, grants it SELECT on the Kraite database and nothing else, checks the grants, and
// opens the console's own pool as that user (multipleStatements off).
import { randomBytes } from 'node:crypto';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { MySqlReadOnlyExecutor } from './admin-sql-executor.ts';
import { createMySqlPool, redactUrl } from './mysql-pool.ts';

/** Who the read-only user is. */
export interface ReadOnlyUserOptions {
  /** Default `kraite_ro`; use one user per database (the setup revokes everything else it holds). */
  user?: string;
  /** The host part of the account (default `%`). */
  host?: string;
  password: string;
  database: string;
}

/** Creates the user if needed, sets its password, leaves it exactly USAGE + SELECT on `database`. */
export async function ensureReadOnlyUser(admin: Pool, options: ReadOnlyUserOptions): Promise<void> {
  const user = options.user ?? 'kraite_ro';
  const host = options.host ?? '%';
  await admin.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [user, host, options.password]);
  await admin.query('ALTER USER ?@? IDENTIFIED BY ? WITH MAX_USER_CONNECTIONS 10', [user, host, options.password]);
  await admin.query('REVOKE ALL PRIVILEGES, GRANT OPTION FROM ?@?', [user, host]);
  await admin.query('GRANT SELECT ON ??.* TO ?@?', [options.database, user, host]);
  const [grants] = await admin.query<RowDataPacket[]>('SHOW GRANTS FOR ?@?', [user, host]);
  for (const row of grants) {
    const grant = String(Object.values(row)[0]);
    if (!/^GRANT (USAGE|SELECT) ON /.test(grant)) throw new Error(`read-only user ${user}@${host} still holds more than SELECT: ${grant.replace(/IDENTIFIED BY .*/, 'IDENTIFIED BY ***')}`);
  }
}

/** What opening the console's executor needs. */
export interface ReadOnlyExecutorOptions {
  /** The privileged DATABASE_URL (it names the database and server). */
  adminUrl: string;
  user?: string;
  host?: string;
  /** Default: a random password set on every start (one admin process per database). */
  password?: string;
  connectionLimit?: number;
}

/** Runs the setup with the privileged connection, then opens the read-only pool and its executor. */
export async function openReadOnlySqlExecutor(options: ReadOnlyExecutorOptions): Promise<MySqlReadOnlyExecutor> {
  const url = new URL(options.adminUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new Error(`the SQL console needs a database in ${redactUrl(options.adminUrl)}`);
  const user = options.user ?? 'kraite_ro';
  const password = options.password ?? randomBytes(24).toString('base64url');
  const admin = createMySqlPool(options.adminUrl, { connectionLimit: 1 });
  try {
    await ensureReadOnlyUser(admin, { user, host: options.host, password, database });
  } finally {
    await admin.end();
  }
  const ro = new URL(options.adminUrl);
  ro.username = encodeURIComponent(user);
  ro.password = encodeURIComponent(password);
  return new MySqlReadOnlyExecutor(createMySqlPool(ro.toString(), { connectionLimit: options.connectionLimit ?? 4, multipleStatements: false }));
}
