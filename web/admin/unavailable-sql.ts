// The SQL console's executor when there is no database to query (the embedded, in-memory mode) or
// the read-only user could not be set up: every statement gets the same clear explanation.
import type { SqlExecution, SqlExecutor } from './sql-executor.port.ts';

/** An executor that runs nothing and says why. */
export function unavailableSqlExecutor(reason: string): SqlExecutor {
  return {
    async execute(): Promise<SqlExecution> {
      return { kind: 'failed', message: `the SQL console is unavailable: ${reason}`, code: null, timedOut: false, deniedByDatabase: false, durationMs: 0 };
    },
  };
}
