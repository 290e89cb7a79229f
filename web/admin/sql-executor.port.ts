// Runs one already-checked statement on a read-only connection. The executor does no lexical
// checking of its own: the database (read-only user, read-only transaction) is its guard.

/** The caps every console query runs under. */
export interface SqlLimits {
  maxRows: number;
  timeoutMs: number;
}

/** What one execution gave: rows (cells as text or NULL) or the database's error. */
export type SqlExecution =
  | { kind: 'rows'; columns: string[]; rows: (string | null)[][]; truncated: boolean; durationMs: number }
  | { kind: 'failed'; message: string; code: string | null; timedOut: boolean; deniedByDatabase: boolean; durationMs: number };

/** Executes a single statement read-only under limits. */
export interface SqlExecutor {
  execute(statement: string, limits: SqlLimits): Promise<SqlExecution>;
}
