// The SQL console's database side: creates (or resets) the read-only user with the privileged
// connection, grants it SELECT on the Kraite database's tables minus every credential, session and
// token column, checks the grants, and opens the console's own pool as that user (multipleStatements
// off). Column grants rather than redacting views or a separate schema: MariaDB itself refuses a
// secret column (by name, `SELECT *` or in a WHERE), nothing in the schema or the fleet's queries
// changes, and a new secret column is hidden by its name at the next start with no view to keep in step.
import { createHash, randomBytes } from 'node:crypto';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { MySqlReadOnlyExecutor } from './admin-sql-executor.ts';
import { createMySqlPool, redactUrl } from './mysql-pool.ts';

/**
 * Columns the console never reads: password hashes, session keys, CSRF and other tokens, secrets,
 * salts, and encrypted credentials (`*_enc`). Matched by name so a future column of the same kind
 * is hidden without a change here.
 */
export const SECRET_COLUMN = /(^|_)(password|passwd|secret|token|csrf|salt|id_hash|api_key|listen_key|private_key)(_|$)|_enc$/i;

/** The default read-only user of a database: `kraite_ro_<database>` (or a hash of the name when that is too long or odd). */
export function readOnlyUserFor(database: string): string {
  const plain = `kraite_ro_${database}`;
  return plain.length <= 32 && /^\w+$/.test(database) ? plain : `kraite_ro_${createHash('sha256').update(database).digest('hex').slice(0, 16)}`;
}

/** Who the read-only user is. */
export interface ReadOnlyUserOptions {
  /** Default readOnlyUserFor(database): one user per database (the setup revokes everything else it holds). */
  user?: string;
  /** The host part of the account (default `%`). */
  host?: string;
  password: string;
  database: string;
}

/** What the read-only user may read: per table, every column or only the non-secret ones. */
async function readableColumns(admin: Pool, database: string): Promise<Map<string, { columns: string[]; hidden: number }>> {
  const [rows] = await admin.query<RowDataPacket[]>(
    'SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION', [database]);
  const tables = new Map<string, { columns: string[]; hidden: number }>();
  for (const row of rows) {
    const entry = tables.get(String(row.t)) ?? { columns: [], hidden: 0 };
    if (SECRET_COLUMN.test(String(row.c))) entry.hidden++;
    else entry.columns.push(String(row.c));
    tables.set(String(row.t), entry);
  }
  return tables;
}

/** Creates the user if needed, sets its password, leaves it exactly USAGE + SELECT on the readable columns of `database`. */
export async function ensureReadOnlyUser(admin: Pool, options: ReadOnlyUserOptions): Promise<void> {
  const user = options.user ?? readOnlyUserFor(options.database);
  const host = options.host ?? '%';
  await admin.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [user, host, options.password]);
  await admin.query('ALTER USER ?@? IDENTIFIED BY ? WITH MAX_USER_CONNECTIONS 10', [user, host, options.password]);
  await admin.query('REVOKE ALL PRIVILEGES, GRANT OPTION FROM ?@?', [user, host]);
  for (const [table, { columns, hidden }] of await readableColumns(admin, options.database)) {
    if (hidden === 0) await admin.query('GRANT SELECT ON ??.?? TO ?@?', [options.database, table, user, host]);
    else if (columns.length) await admin.query(`GRANT SELECT (${columns.map(() => '??').join(', ')}) ON ??.?? TO ?@?`, [...columns, options.database, table, user, host]);
  }
  const [grants] = await admin.query<RowDataPacket[]>('SHOW GRANTS FOR ?@?', [user, host]);
  for (const row of grants) {
    const grant = String(Object.values(row)[0]);
    if (!/^GRANT (USAGE|SELECT|SELECT \([^)]*\)) ON /.test(grant)) throw new Error(`read-only user ${user}@${host} still holds more than SELECT: ${grant.replace(/IDENTIFIED .*/, 'IDENTIFIED ***')}`);
    const columns = /^GRANT SELECT \(([^)]*)\)/.exec(grant)?.[1] ?? '';
    const leaked = columns.split(',').map((c) => c.trim().replace(/`/g, '')).find((c) => SECRET_COLUMN.test(c));
    if (leaked) throw new Error(`read-only user ${user}@${host} can read the secret column ${leaked}`);
  }
}

/** What opening the console's executor needs. */
export interface ReadOnlyExecutorOptions {
  /** The privileged DATABASE_URL (it names the database and server). */
  adminUrl: string;
  /** Default readOnlyUserFor(database). */
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
  const user = options.user ?? readOnlyUserFor(database);
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
