// One console query end to end: the lexical pre-check, then the read-only executor, then the
// audit entry (who, when, statement, rows, ms, refusal reason) whatever the outcome.
import type { Clock } from '../../core/ports/clock.ts';
import type { AuditLog } from './audit.port.ts';
import { checkReadOnlySql } from './sql-guard.ts';
import type { SqlExecutor, SqlLimits } from './sql-executor.port.ts';

/** The console's default caps: 1,000 rows, 5 seconds. */
export const DEFAULT_SQL_LIMITS: SqlLimits = { maxRows: 1_000, timeoutMs: 5_000 };

/** What the console shows for one query. */
export type ConsoleResult =
  | { kind: 'rows'; columns: string[]; rows: (string | null)[][]; truncated: boolean; durationMs: number; maxRows: number }
  | { kind: 'refused'; reason: string; byDatabase: boolean }
  | { kind: 'failed'; message: string; timedOut: boolean };

/** What a console query needs. */
export interface SqlConsoleDeps {
  executor: SqlExecutor;
  audit: AuditLog;
  clock: Clock;
}

/** Who asked, and what. */
export interface ConsoleRequest {
  statement: string;
  who: string;
  ip: string | null;
}

/** Checks, runs and audits one statement. */
export async function runConsoleQuery(deps: SqlConsoleDeps, request: ConsoleRequest, limits: SqlLimits = DEFAULT_SQL_LIMITS): Promise<ConsoleResult> {
  const at = deps.clock.now();
  const base = { at, who: request.who, action: 'sql', subject: request.statement, ip: request.ip };
  const check = checkReadOnlySql(request.statement);
  if (!check.ok) {
    await deps.audit.record({ ...base, outcome: 'refused', detail: check.reason });
    return { kind: 'refused', reason: check.reason, byDatabase: false };
  }
  const run = await deps.executor.execute(check.statement, limits);
  if (run.kind === 'rows') {
    await deps.audit.record({ ...base, outcome: 'ok', rows: run.rows.length, durationMs: run.durationMs, detail: run.truncated ? `truncated at ${limits.maxRows} rows` : null });
    return { ...run, maxRows: limits.maxRows };
  }
  if (run.deniedByDatabase) {
    const reason = `the database refused it: ${run.message}`;
    await deps.audit.record({ ...base, outcome: 'refused', detail: reason, durationMs: run.durationMs });
    return { kind: 'refused', reason, byDatabase: true };
  }
  const message = run.timedOut ? `stopped at the ${limits.timeoutMs / 1000} s time cap: ${run.message}` : run.message;
  await deps.audit.record({ ...base, outcome: 'failed', detail: message, durationMs: run.durationMs });
  return { kind: 'failed', message, timedOut: run.timedOut };
}
