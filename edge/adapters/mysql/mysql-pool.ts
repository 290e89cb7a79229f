// A mysql2 connection pool from a DATABASE_URL such as mysql://root@127.0.0.1:3306/kraite.
import { createPool, type Pool, type PoolOptions } from 'mysql2/promise';
import { ValidationError } from '../../../core/errors.ts';

/** The URL with its password masked, for error messages and logs. */
export function redactUrl(databaseUrl: string): string {
  return databaseUrl.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * Opens a pool. BIGINT ids and epoch-ms times come back as numbers, DECIMAL as strings (never
 * floats), DATETIME as strings. Every connection runs READ COMMITTED in UTC: the claim query
 * relies on READ COMMITTED releasing the locks of rows it read but did not return.
 */
export function createMySqlPool(databaseUrl: string, options: Partial<PoolOptions> = {}): Pool {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new ValidationError(`DATABASE_URL is not a URL: ${redactUrl(databaseUrl)}`, 'INVALID_CONFIG');
  }
  if (url.protocol !== 'mysql:') throw new ValidationError('DATABASE_URL must start with mysql://', 'INVALID_CONFIG');
  const pool = createPool({
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
    connectionLimit: 10,
    waitForConnections: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: false,
    dateStrings: true,
    multipleStatements: false,
    // JSON columns come back as text and are parsed by the codecs: mysql2 parses them only when the
    // server labels the type, which MariaDB (JSON = LONGTEXT) does not always do, so a stored JSON
    // string would otherwise be parsed twice.
    jsonStrings: true,
    // FOUND_ROWS makes affectedRows count matched rows, so a conditional update that changes
    // nothing still reports its match (mysql2 sets it by default; stated here because we rely on it).
    flags: ['FOUND_ROWS'],
    enableKeepAlive: true,
    // No stack capture per query: it cost ~16 % of the Node CPU of a step. A failed query's error
    // still names itself (code, errno, sqlMessage, and the statement in `sql`).
    trace: false,
    ...options,
  });
  // mysql2 hands the new callback-style connection to this event; its queries run before any other.
  pool.pool.on('connection', (conn: { query(sql: string): void }) => {
    conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    conn.query("SET time_zone = '+00:00'");
  });
  return pool;
}

/**
 * Calls `onCommand` for every command (one packet out, its reply back) a connection of `pool`
 * sends, from connections opened after this call: the store's round-trip counter for benchmarks.
 * Wraps mysql2's `addCommand`, the one door every query, ping and COMMIT passes.
 */
export function countRoundTrips(pool: Pool, onCommand: () => void): void {
  pool.pool.on('connection', (conn: { addCommand(cmd: unknown): unknown }) => {
    const add = conn.addCommand.bind(conn);
    conn.addCommand = (cmd: unknown) => {
      onCommand();
      return add(cmd);
    };
  });
}
