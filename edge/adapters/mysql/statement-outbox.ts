// Writes a MySQL transaction has decided on but not sent yet: they go out with the next statement
// that must run now (in one multi-statement packet when the connection allows it), or with COMMIT.
import type { PoolConnection } from 'mysql2/promise';

/**
 * What waits to be sent: one statement, or a few (`statements`, default 1) that travel together.
 * `seal` is called just before its text is read for sending (a statement that gathers writes stops
 * gathering then: block-write.ts).
 */
export interface Deferred {
  readonly sql: string;
  readonly values: unknown[];
  readonly statements?: number;
  seal?(): void;
}

/** Statements in a batch (a result set each in a multi-statement reply). */
const statementsIn = (batch: readonly Deferred[]) => batch.reduce((n, d) => n + (d.statements ?? 1), 0);

/** The deferred statements of one connection's transaction (shared by the members of a group commit). */
export class StatementOutbox {
  private deferred: Deferred[] = [];
  /** Set when sending deferred statements failed: the transaction as a whole is spoiled. */
  failed = false;
  /** Counts packets sent, so a group member can tell whether its statements are still unsent. */
  sent = 0;
  /** The group member running now: its savepoint is sent just before the first of its statements that goes out. */
  private member: { savepoint: string; mark: number; sent: number } | null = null;

  constructor(readonly conn: PoolConnection, private readonly multiStatements: boolean) {}

  /** Set once COMMIT went out with a statement (queryAndCommit): the transaction is over. */
  private committed = false;

  /** Queues a statement. */
  push(sql: string, values: unknown[] = []): void {
    this.pushDeferred({ sql, values });
  }

  /** Queues a statement (or a few) that may still change until it is sent. */
  pushDeferred(d: Deferred): void {
    this.assertOpen();
    this.deferred.push(d);
  }

  private assertOpen(): void {
    if (this.committed) throw new Error('statement after the transaction committed with its last insert (StepTx.insertSteps `last`)');
  }

  /**
   * Marks the start of a group member's statements. Its SAVEPOINT costs nothing unless something of
   * the member is sent before the group commits (only then can a rollback to it be needed).
   */
  beginMember(savepoint: string): void {
    this.member = { savepoint, mark: this.deferred.length, sent: this.sent };
  }

  /**
   * Drops what the failed current member queued: true when none of it was sent (nothing to undo);
   * otherwise the caller rolls back to the member's savepoint, which went out with its first statement.
   */
  discardMember(): boolean {
    const m = this.member;
    this.member = null;
    if (!m) return true;
    if (this.sent === m.sent) {
      this.deferred.length = m.mark;
      return true;
    }
    // A send since the mark took everything queued before it: what waits now is the member's own.
    this.deferred = [];
    return false;
  }

  /** Takes the waiting statements, with the current member's savepoint in its place. */
  private take(): Deferred[] {
    const batch = this.deferred;
    this.deferred = [];
    const m = this.member;
    if (m && m.sent === this.sent) batch.splice(m.mark, 0, { sql: `SAVEPOINT ${m.savepoint}`, values: [] });
    if (m) m.mark = 0;
    this.sent += 1;
    for (const d of batch) d.seal?.();
    return batch;
  }

  /** Sends what waits (in one packet when allowed). */
  async flush(): Promise<void> {
    if (this.deferred.length === 0) return;
    const batch = this.take();
    try {
      if (this.multiStatements) await this.conn.query(batch.map((d) => d.sql).join(';\n'), batch.flatMap((d) => d.values));
      else for (const d of batch) await this.conn.query(d.sql, d.values);
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  /**
   * Runs `sql` now, after what waits; with multi-statements both travel in one packet and the
   * result is `sql`'s. A failure with statements ahead of it in the packet spoils the transaction
   * (which statement failed is unknown); a failure of `sql` alone leaves the transaction usable.
   */
  async query<R>(sql: string, values: unknown[]): Promise<R> {
    this.assertOpen();
    if (this.deferred.length > 0 && this.multiStatements) {
      const batch = this.take();
      batch.push({ sql, values });
      try {
        const [results] = await this.conn.query(batch.map((d) => d.sql).join(';\n'), batch.flatMap((d) => d.values));
        return (results as unknown[])[statementsIn(batch) - 1] as R;
      } catch (error) {
        this.failed = true;
        throw error;
      }
    }
    await this.flush();
    if (this.member && this.member.sent === this.sent) {
      // The member's first statement to go out: its savepoint goes with it, so it is one packet still.
      const savepoint = this.member.savepoint;
      this.sent += 1;
      if (this.multiStatements) {
        // A SAVEPOINT cannot fail, so an error here is `sql`'s own.
        const [results] = (await this.conn.query(`SAVEPOINT ${savepoint};\n${sql}`, values)) as unknown as [unknown[]];
        return results[1] as R;
      }
      await this.conn.query(`SAVEPOINT ${savepoint}`);
    }
    const [result] = await this.conn.query(sql, values);
    return result as R;
  }

  /**
   * Runs `sql` as the transaction's last statement: with multi-statements and outside a group
   * commit, what waits, `sql` and COMMIT travel in one packet and `commit` then sends nothing. A
   * failure stops the packet before COMMIT (MariaDB runs no statement after a failed one), so the
   * caller's rollback undoes it as usual. Otherwise it is `query` and COMMIT follows as before.
   */
  async queryAndCommit<R>(sql: string, values: unknown[]): Promise<R> {
    if (!this.multiStatements || this.member) return this.query<R>(sql, values);
    this.assertOpen();
    const batch = this.take();
    batch.push({ sql, values }, { sql: 'COMMIT', values: [] });
    try {
      const [results] = await this.conn.query(batch.map((d) => d.sql).join(';\n'), batch.flatMap((d) => d.values));
      this.committed = true;
      return (results as unknown[])[statementsIn(batch) - 2] as R;
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  /** Sends what waits and COMMIT, in one packet when allowed (nothing when queryAndCommit committed). */
  async commit(): Promise<void> {
    this.member = null;
    if (this.committed) return;
    if (this.multiStatements && this.deferred.length > 0) {
      this.push('COMMIT');
      await this.flush();
      return;
    }
    await this.flush();
    await this.conn.query('COMMIT');
  }
}
