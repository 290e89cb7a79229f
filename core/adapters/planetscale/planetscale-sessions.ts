// Sessions of the PlanetScale HTTP driver, reused: a session carries its settings (isolation level,
// time zone) between requests, so each is prepared once and then lent out, one borrower at a time.
import { DatabaseError, cast, connect, type Cast, type Config, type Connection } from '@planetscale/database';

/** Settings every session runs with: the SKIP LOCKED claim relies on READ COMMITTED (see the MySQL store). */
export const SESSION_SETTINGS = ['SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', "SET time_zone = '+00:00'"];

/**
 * Values as mysql2 gives them to the MySQL store, so both stores hand handlers the same rows: BIGINT
 * as a number when it is a safe integer, JSON as its text (the codecs parse it), DECIMAL as a string.
 */
export const castLikeMySql2: Cast = (field, value) => {
  if (value === null || value === undefined) return value;
  if (field.type === 'INT64' || field.type === 'UINT64') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  if (field.type === 'JSON') return cast({ ...field, type: 'TEXT' }, value);
  return cast(field, value);
};

/** MySQL's error number carried in a PlanetScale error message (`(errno 1062)`), or 0. */
export function errnoOf(error: unknown): number {
  if (!(error instanceof DatabaseError)) return 0;
  const match = /\(errno (\d+)\)/.exec(error.message);
  return match ? Number(match[1]) : 0;
}

/** A pool of prepared sessions over one database. */
export class SessionPool {
  private readonly idle: Connection[] = [];
  /** Sessions prepared since the pool opened (each cost its settings' round trips once). */
  opened = 0;

  constructor(private readonly config: Config) {}

  /** An idle prepared session, or a new one. */
  async take(): Promise<Connection> {
    const idle = this.idle.pop();
    if (idle) return idle;
    const conn = connect({ cast: castLikeMySql2, ...this.config });
    for (const sql of SESSION_SETTINGS) await conn.execute(sql);
    this.opened += 1;
    return conn;
  }

  /** Hands a session back; a session whose state is unknown (a failed ROLLBACK) is dropped instead. */
  give(conn: Connection): void {
    this.idle.push(conn);
  }

  /** Runs `fn` on a borrowed session. */
  async with<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    const conn = await this.take();
    try {
      return await fn(conn);
    } finally {
      this.give(conn);
    }
  }

  /** Forgets every idle session (sessions are tokens: nothing to close on the client side). */
  clear(): void {
    this.idle.length = 0;
  }
}
