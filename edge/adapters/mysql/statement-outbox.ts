// Writes a MySQL transaction has decided on but not sent yet: they go out before the next statement
// that reads, or with COMMIT, in one multi-statement packet when the connection allows it.
import type { PoolConnection } from 'mysql2/promise';

/** One statement waiting to be sent. */
interface Deferred {
  sql: string;
  values: unknown[];
}

/** The deferred statements of one connection's transaction (shared by the members of a group commit). */
export class StatementOutbox {
  private deferred: Deferred[] = [];
  /** Set when sending deferred statements failed: the transaction as a whole is spoiled. */
  failed = false;

  constructor(readonly conn: PoolConnection, private readonly multiStatements: boolean) {}

  /** Queues a statement. */
  push(sql: string, values: unknown[] = []): void {
    this.deferred.push({ sql, values });
  }

  /** How many statements wait (a mark to `truncate` back to). */
  get size(): number {
    return this.deferred.length;
  }

  /**
   * Drops what a failed member queued since `mark`: true when none of it was sent; otherwise the
   * unsent rest is dropped too and the caller rolls back to the member's savepoint.
   */
  discardSince(mark: number, sentSince: number): boolean {
    if (this.sent === sentSince) {
      this.deferred.length = mark;
      return true;
    }
    // A flush since the mark sent everything queued before it: what waits now is the member's own.
    this.deferred = [];
    return false;
  }

  /** Counts flushes, so a member can tell whether its statements are still unsent. */
  sent = 0;

  /** Sends what waits (in one packet when allowed). */
  async flush(): Promise<void> {
    if (this.deferred.length === 0) return;
    const batch = this.deferred;
    this.deferred = [];
    this.sent += 1;
    try {
      if (this.multiStatements) await this.conn.query(batch.map((d) => d.sql).join(';\n'), batch.flatMap((d) => d.values));
      else for (const d of batch) await this.conn.query(d.sql, d.values);
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  /** Sends what waits and COMMIT, in one packet when allowed. */
  async commit(): Promise<void> {
    if (this.multiStatements && this.deferred.length > 0) {
      this.push('COMMIT');
      await this.flush();
      return;
    }
    await this.flush();
    await this.conn.query('COMMIT');
  }
}
