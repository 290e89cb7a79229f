// The SQL console's executor: a separate pool logged in as a read-only MySQL user, each statement
// inside START TRANSACTION READ ONLY under a time cap, rows streamed and kept up to the row cap and
// the byte cap (past the byte cap the connection is dropped, so the server stops sending).
// It does no lexical checking: the database's own refusal is what this layer adds.
import { isUtf8 } from 'node:buffer';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { SqlExecution, SqlExecutor, SqlLimits, SqlTruncation } from '../../../web/admin/sql-executor.port.ts';

/** MySQL error numbers that mean "the database said no" (privileges, read-only transaction). */
const DENIED = new Set([1044, 1142, 1143, 1227, 1370, 1792, 1290]);
/** Statement time cap: MariaDB's max_statement_time, MySQL's max_execution_time. */
const TIMED_OUT = new Set([1969, 3024]);

/** The slice of mysql2's callback connection the streaming read uses. */
interface StreamingConnection {
  query(options: { sql: string; rowsAsArray: boolean; timeout: number }): {
    on(event: 'fields', listener: (fields: { name: string }[] | undefined) => void): unknown;
    on(event: 'result', listener: (row: unknown) => void): unknown;
    on(event: 'error', listener: (error: Error) => void): unknown;
    on(event: 'end', listener: () => void): unknown;
  };
}

/** One cell as text: numbers and dates as printed, JSON re-serialized, binary as 0x… unless it is UTF-8. */
export function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (Buffer.isBuffer(value)) return isUtf8(value) ? value.toString('utf8') : `0x${value.toString('hex')}`;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** What one streamed read kept; `abandoned` when it stopped reading mid-result (the connection cannot be reused). */
interface StreamedRows {
  columns: string[];
  rows: (string | null)[][];
  truncated: SqlTruncation;
  abandoned: boolean;
}

/** Slack over the byte cap for what arrives on the wire (packet headers, column definitions). */
const WIRE_SLACK = 1024 * 1024;

/**
 * Streams `sql`, keeping rows up to the row cap and the byte cap; past the byte cap it stops reading
 * at once. The bytes arriving on the socket are counted too: one row can be many times the cap (a
 * few REPEAT() cells of max_allowed_packet each), and the driver holds a whole row before it is seen.
 */
function streamRows(conn: PoolConnection, sql: string, limits: SqlLimits, timeoutMs: number): Promise<StreamedRows> {
  return new Promise((resolve, reject) => {
    let columns: string[] = [];
    const rows: (string | null)[][] = [];
    let truncated: SqlTruncation = false;
    let bytes = 0;
    let wire = 0;
    let settled = false;
    const socket = (conn.connection as unknown as { stream: NodeJS.EventEmitter }).stream;
    const onData = (chunk: Buffer) => {
      wire += chunk.length;
      if (wire > limits.maxBytes + WIRE_SLACK && !settled) abandon();
    };
    const finish = () => socket.off('data', onData);
    const abandon = () => {
      // Reading on would only discard what the server sends: the caller drops the connection instead.
      settled = true;
      finish();
      resolve({ columns, rows, truncated: 'bytes', abandoned: true });
    };
    socket.on('data', onData);
    const query = (conn.connection as unknown as StreamingConnection).query({ sql, rowsAsArray: true, timeout: timeoutMs });
    query.on('fields', (fields) => {
      if (fields && columns.length === 0) columns = fields.map((f) => f.name);
    });
    query.on('result', (row) => {
      // An OK packet (a statement without a result set) is an object, not a row.
      if (!Array.isArray(row) || settled) return;
      if (rows.length >= limits.maxRows) {
        truncated = 'rows';
        return;
      }
      const cells = row.map(cellText);
      bytes += cells.reduce((n, cell) => n + (cell === null ? 0 : Buffer.byteLength(cell)), 0);
      if (bytes > limits.maxBytes) return abandon();
      rows.push(cells);
    });
    query.on('error', (error) => {
      finish();
      if (!settled) reject(error);
      settled = true;
    });
    query.on('end', () => {
      finish();
      if (!settled) resolve({ columns, rows, truncated, abandoned: false });
      settled = true;
    });
  });
}

/** Executes console statements on a pool connected as the read-only user. */
export class MySqlReadOnlyExecutor implements SqlExecutor {
  private flavor: Promise<'mariadb' | 'mysql'> | undefined;

  constructor(private readonly pool: Pool) {}

  async execute(statement: string, limits: SqlLimits): Promise<SqlExecution> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const conn = await this.pool.getConnection();
    let reusable = true;
    try {
      await this.applyCaps(conn, limits);
      await conn.query('START TRANSACTION READ ONLY');
      let result: SqlExecution;
      try {
        // The client-side timeout is a backstop only: the server's cap normally fires first.
        const { abandoned, ...read } = await streamRows(conn, statement, limits, limits.timeoutMs + 3_000);
        if (abandoned) reusable = false;
        result = { kind: 'rows', ...read, durationMs: elapsed() };
      } catch (error) {
        const e = error as Error & { errno?: number; code?: string; fatal?: boolean };
        if (e.fatal || e.code === 'PROTOCOL_SEQUENCE_TIMEOUT') reusable = false;
        result = {
          kind: 'failed', message: e.message, code: e.code ?? null, durationMs: elapsed(),
          timedOut: TIMED_OUT.has(e.errno ?? 0) || e.code === 'PROTOCOL_SEQUENCE_TIMEOUT',
          deniedByDatabase: DENIED.has(e.errno ?? 0),
        };
      }
      if (reusable) {
        await conn.query('ROLLBACK');
        // Named locks outlive transactions; a statement that slipped past the pre-check must not keep one.
        await conn.query('DO RELEASE_ALL_LOCKS()');
      }
      return result;
    } catch (error) {
      reusable = false;
      throw error;
    } finally {
      if (reusable) conn.release();
      else conn.destroy();
    }
  }

  /** Closes the read-only pool. */
  async close(): Promise<void> {
    await this.pool.end();
  }

  private async applyCaps(conn: PoolConnection, limits: SqlLimits): Promise<void> {
    this.flavor ??= conn.query<RowDataPacket[]>('SELECT VERSION() AS v').then(([[row]]) => (/mariadb/i.test(String(row?.v)) ? 'mariadb' : 'mysql'));
    if ((await this.flavor) === 'mariadb') await conn.query('SET SESSION max_statement_time = ?', [limits.timeoutMs / 1000]);
    else await conn.query('SET SESSION max_execution_time = ?', [limits.timeoutMs]);
    // The server stops a SELECT without its own LIMIT one row past the cap (that row marks truncation).
    await conn.query('SET SESSION sql_select_limit = ?', [limits.maxRows + 1]);
  }
}
