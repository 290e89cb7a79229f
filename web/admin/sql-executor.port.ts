// Runs one already-checked statement on a read-only connection. The executor does no lexical
// checking of its own: the database (read-only user, read-only transaction) is its guard.

/** The caps every console query runs under. */
export interface SqlLimits {
  maxRows: number;
  timeoutMs: number;
  /** The most cell bytes (UTF-8) one result keeps; the executor stops reading past it. */
  maxBytes: number;
}

/** Why a result holds fewer rows than the query would give: the row cap, the byte cap, or neither. */
export type SqlTruncation = false | 'rows' | 'bytes';

/** What one execution gave: rows (cells as text or NULL) or the database's error. */
export type SqlExecution =
  | { kind: 'rows'; columns: string[]; rows: (string | null)[][]; truncated: SqlTruncation; durationMs: number }
  | { kind: 'failed'; message: string; code: string | null; timedOut: boolean; deniedByDatabase: boolean; durationMs: number };

/** Executes a single statement read-only under limits. */
export interface SqlExecutor {
  execute(statement: string, limits: SqlLimits): Promise<SqlExecution>;
}
