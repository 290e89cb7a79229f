// One console query end to end: the lexical pre-check, then the read-only executor, then the
// audit entry (who, when, statement, rows, ms, refusal reason) whatever the outcome. Cells that
// carry a password hash (SHOW GRANTS, SHOW CREATE USER) are redacted before anything shows them.
import type { Clock } from '../../core/ports/clock.ts';
import type { AuditLog } from './audit.port.ts';
import { checkReadOnlySql } from './sql-guard.ts';
import type { SqlExecutor, SqlLimits, SqlTruncation } from './sql-executor.port.ts';

/** The console's default caps: 1,000 rows, 5 seconds, 8 MiB of cells. */
export const DEFAULT_SQL_LIMITS: SqlLimits = { maxRows: 1_000, timeoutMs: 5_000, maxBytes: 8 * 1024 * 1024 };

/** What the console shows for one query. */
export type ConsoleResult =
  | { kind: 'rows'; columns: string[]; rows: (string | null)[][]; truncated: SqlTruncation; durationMs: number; limits: SqlLimits }
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

/** Password hashes as MariaDB and MySQL print them, and the fleet's own scrypt hashes. */
const HASHES: [RegExp, string][] = [
  [/(IDENTIFIED\s+(?:BY\s+PASSWORD|(?:VIA|WITH)\s+\w+\s+(?:USING|AS|BY)))\s*'[^']*'/gi, "$1 '<redacted>'"],
  [/\*[0-9A-F]{40}\b/gi, '<redacted>'],
  [/scrypt\$[^\s'"]*/g, 'scrypt$<redacted>'],
];

/** `text` with every password hash in it replaced by `<redacted>`. */
export function redactSecrets(text: string): string {
  return HASHES.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

/** A human line for a truncated result (the audit and the page both use it). */
export function truncationNote(truncated: SqlTruncation, limits: SqlLimits): string | null {
  if (truncated === 'rows') return `truncated at ${limits.maxRows} rows`;
  if (truncated === 'bytes') return `truncated at ${limits.maxBytes / 2 ** 20} MB`;
  return null;
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
    await deps.audit.record({ ...base, outcome: 'ok', rows: run.rows.length, durationMs: run.durationMs, detail: truncationNote(run.truncated, limits) });
    const rows = run.rows.map((row) => row.map((cell) => (cell === null ? null : redactSecrets(cell))));
    return { ...run, rows, limits };
  }
  if (run.deniedByDatabase) {
    // Column grants hide every credential, session and token column: say so, since `SELECT *` meets it first.
    const hint = /SELECT command denied/i.test(run.message) ? ' (credential, session and token columns are not readable from the console: name the columns you need)' : '';
    const reason = `the database refused it: ${run.message}${hint}`;
    await deps.audit.record({ ...base, outcome: 'refused', detail: reason, durationMs: run.durationMs });
    return { kind: 'refused', reason, byDatabase: true };
  }
  const message = run.timedOut ? `stopped at the ${limits.timeoutMs / 1000} s time cap: ${run.message}` : run.message;
  await deps.audit.record({ ...base, outcome: 'failed', detail: message, durationMs: run.durationMs });
  return { kind: 'failed', message, timedOut: run.timedOut };
}
