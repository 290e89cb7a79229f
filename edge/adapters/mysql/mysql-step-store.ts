// The MySQL/MariaDB StepStore (mysql2): transactions re-run whole on deadlock or lock-wait timeout.
import { activeGroupsSql, listStepsSql, nextDueSql, staleDispatchedSql, staleRunningSql } from '../../../core/adapters/sql/step-scan-sql.ts';
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Row } from '../../../core/steps/effects.ts';
import type { SaturationSample, StepFilter, StepStore, StepTx, StoredEvent, TransactionOptions } from '../../../core/steps/step-store.port.ts';
import { GroupCommitter, type GroupCommitOptions } from './group-commit.ts';
import { type Group, type Step, type StepSet, type StepState } from '../../../core/steps/step.ts';
import { MySqlStepTx } from './mysql-step-tx.ts';
import { ROW_VERSION_BUMP, selectSql } from '../../../core/adapters/sql/row-sql.ts';
import { BlockImages, isStaleImage, type RowImage } from './block-images.ts';
import { StatementOutbox } from './statement-outbox.ts';
import { stepTable, toStep } from '../../../core/adapters/sql/step-columns.ts';
import { moveSettledTreeBatch, moveSettledTrees, type TreeMove } from '../../../core/adapters/sql/tree-move.ts';

const RETRYABLE = new Set([1213, 1205]); // ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT

/** Options of the MySQL store. */
export interface MySqlStepStoreOptions {
  /**
   * How many times a transaction is re-run after a deadlock or lock-wait timeout (default 10: with
   * the jittered backoff capped at 500 ms that is a few seconds of re-runs before a worker sees it).
   */
  maxRetries?: number;
  /** Whether one multi-row INSERT yields consecutive ids (innodb_autoinc_lock_mode 0 or 1, increment 1). */
  consecutiveIds?: boolean;
  /**
   * A pool whose sessions run with autocommit off, used only for transactions: the first statement
   * opens the transaction, which saves the START TRANSACTION round trip on every hop.
   */
  transactionPool?: Pool;
  /**
   * Whether both pools were opened with `multipleStatements`: a transaction's deferred writes then
   * travel with its COMMIT, and a claim with its read, in one packet each.
   */
  multiStatements?: boolean;
  /** Commit grouped transactions together (needs `multiStatements` and `transactionPool`); off when absent. */
  groupCommit?: GroupCommitOptions;
  /**
   * Keep block images (block-images.ts) so a finish of a step claimed here is one packet (default on;
   * needs `multiStatements` and `transactionPool`). Off: every lock is a live read first.
   */
  blockImages?: boolean;
}

/** Whether an error is one a whole-transaction re-run can cure. */
export const isRetryable = (error: unknown) => RETRYABLE.has((error as { errno?: number }).errno ?? 0);

/** Jittered exponential backoff before re-run `attempt` (0-based): ~10, 20, 40 … ms, capped. */
const backoffMs = (attempt: number) => Math.min(500, 10 * 2 ** attempt) * (0.5 + Math.random());

/** What the store's re-runs saw: lock conflicts the engine never hears of, counted for tests and benchmarks. */
export interface MySqlStoreStats {
  /** Transactions InnoDB chose as a deadlock victim (each was re-run). */
  deadlocks: number;
  /** Transactions that hit innodb_lock_wait_timeout (each was re-run). */
  lockWaitTimeouts: number;
  /** Commits sent: BEGIN … COMMIT blocks and single autocommit writes (each one a durable commit; a group counts once). */
  commits: number;
  /** Round trips to the server (packets sent, each awaited), when the pools count them (openMySqlStepStore's do). */
  roundTrips: number;
  /** Transactions whose guard found a block image stale (each was re-run on a live read). */
  staleImages: number;
}

/** StepStore over a mysql2 pool. */
export class MySqlStepStore implements StepStore {
  /** Counts of re-runs since the store opened. */
  readonly stats: MySqlStoreStats = { deadlocks: 0, lockWaitTimeouts: 0, commits: 0, roundTrips: 0, staleImages: 0 };
  private readonly maxRetries: number;
  private readonly consecutiveIds: boolean;

  private readonly txPool: Pool | null;
  private readonly multiStatements: boolean;
  private readonly groups: GroupCommitter | null;
  /** What this process last saw of blocks it claimed in or locked (block-images.ts); only with multi-statement packets. */
  private readonly images: BlockImages | null;

  constructor(private readonly pool: Pool, options: MySqlStepStoreOptions = {}) {
    this.maxRetries = options.maxRetries ?? 10;
    this.consecutiveIds = options.consecutiveIds ?? false;
    this.txPool = options.transactionPool ?? null;
    this.multiStatements = options.multiStatements ?? false;
    const txPool = this.txPool;
    this.images = this.multiStatements && txPool && options.blockImages !== false ? new BlockImages() : null;
    this.groups = options.groupCommit && this.multiStatements && txPool ? new GroupCommitter({
      connection: () => txPool.getConnection(),
      newTx: (outbox, prefetch) => new MySqlStepTx(outbox, this.consecutiveIds, prefetch),
      alone: (fn) => this.alone(fn),
      isRetryable,
      committed: () => (this.stats.commits += 1),
    }, options.groupCommit) : null;
  }

  private async rows(sql: string, values: unknown[] = []): Promise<RowDataPacket[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>(sql, values);
    return rows;
  }

  /** Counts a re-runnable lock conflict; true when `attempt` may be re-run. */
  private mayRerun(error: unknown, attempt: number): boolean {
    if (!isRetryable(error)) return false;
    if ((error as { errno?: number }).errno === 1213) this.stats.deadlocks += 1;
    else this.stats.lockWaitTimeouts += 1;
    return attempt < this.maxRetries;
  }

  /** Runs a single autocommit statement, re-run like a transaction on deadlock or lock-wait timeout. */
  private async retrying<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await fn();
        this.stats.commits += 1;
        return result;
      } catch (error) {
        if (!this.mayRerun(error, attempt)) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
    }
  }

  /**
   * One connection, BEGIN … COMMIT, rollback on throw, whole re-run on deadlock or lock-wait
   * timeout. `fn` may hand back its own commit (a step transaction sends its deferred writes with it).
   */
  private async inTransaction<T>(fn: (conn: PoolConnection) => Promise<T>, commit: (conn: PoolConnection) => Promise<unknown> = (conn) => conn.query('COMMIT'),
    images?: { committed(): void; stale(): void }): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const conn = await (this.txPool ?? this.pool).getConnection();
      let healthy = true;
      try {
        if (!this.txPool) await conn.query('START TRANSACTION');
        const result = await fn(conn);
        await commit(conn);
        this.stats.commits += 1;
        images?.committed();
        return result;
      } catch (error) {
        // A connection whose rollback failed may still hold a transaction: never hand it out again.
        await conn.query('ROLLBACK').catch(() => (healthy = false));
        if (isStaleImage(error) && images) {
          // Decided on rows that had changed: nothing was written. Re-run at once on live reads
          // (the stale images are gone; an image taken since may guess again, but only so often).
          images.stale();
          this.stats.staleImages += 1;
          if (attempt < this.maxRetries) continue;
        }
        if (!this.mayRerun(error, attempt)) throw error;
      } finally {
        if (healthy) conn.release();
        else conn.destroy();
      }
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
    }
  }

  async transaction<T>(fn: (tx: StepTx) => Promise<T>, options?: TransactionOptions): Promise<T> {
    if (options?.group && this.groups) return this.groups.run(fn, options.lockBlocks);
    return this.alone(fn);
  }

  private alone<T>(fn: (tx: StepTx) => Promise<T>): Promise<T> {
    let outbox!: StatementOutbox;
    let tx!: MySqlStepTx;
    return this.inTransaction((conn) => fn(tx = new MySqlStepTx((outbox = new StatementOutbox(conn, this.multiStatements)), this.consecutiveIds, null, this.images)),
      () => outbox.commit(), { committed: () => tx.publish(), stale: () => tx.forgetGuesses() });
  }

  async findRows(table: string, where: Row, options?: { orderBy?: string; desc?: boolean; limit?: number }): Promise<Row[]> {
    const q = selectSql(table, where, options);
    return (await this.rows(q.sql, q.values)) as Row[];
  }

  async getStep(set: StepSet, id: number): Promise<Step | null> {
    const [row] = await this.rows(`SELECT * FROM ${stepTable(set)} WHERE id = ?`, [id]);
    return row ? toStep(set, row) : null;
  }

  async listSteps(set: StepSet, f: StepFilter): Promise<Step[]> {
    const q = listStepsSql(stepTable(set), f);
    return q ? (await this.rows(q.sql, q.values)).map((r) => toStep(set, r)) : [];
  }

  async activeGroups(set: StepSet): Promise<Group[]> {
    const groups: Group[] = [];
    // One indexed probe per group on (group_name, state, …): cheap enough to run every second.
    const rows = await this.rows(activeGroupsSql(stepTable(set)));
    for (const r of rows) groups.push(r.g as Group);
    return groups;
  }

  async nextDueAt(set: StepSet, after: number): Promise<number | null> {
    const [row] = await this.rows(nextDueSql(stepTable(set)), [after]);
    return row?.due === null || row?.due === undefined ? null : Number(row.due);
  }

  async claimDispatched(set: StepSet, id: number, worker: string, now: number): Promise<Step | null> {
    const t = stepTable(set);
    // Autocommit: the UPDATE is its own transaction and holds the row alone, so it waits at most
    // for the row and never while holding another lock. The read after it sees the committed claim.
    const claim = `UPDATE ${t} SET state = 'running', worker = ?, started_at = ?, heartbeat_at = ?, attempts = attempts + 1, is_throttled = 0, updated_at = ?, ${ROW_VERSION_BUMP}
      WHERE id = ? AND state = 'dispatched' AND child_block_uuid IS NULL`;
    const read = `SELECT * FROM ${t} WHERE id = ? AND worker = ?`;
    if (this.multiStatements) {
      // One packet: the claim, then its whole block (the claimed row shows this run's token only
      // when this claim won it: the token is unique). The block becomes an image its finish locks on.
      const block = `SELECT *, row_version FROM ${t} WHERE block_uuid = (SELECT block_uuid FROM ${t} WHERE id = ?) ORDER BY idx, id`;
      const [results] = await this.retrying(() => this.pool.query<RowDataPacket[][]>(`${claim};\n${block}`, [worker, now, now, now, id, id]));
      const rows = results[1] ?? [];
      const at = rows.findIndex((r) => Number(r.id) === id && r.worker === worker);
      if (at < 0) return null;
      const images: RowImage[] = rows.map((r) => ({ step: toStep(set, r), version: Number(r.row_version) }));
      this.images?.put(set, images[at]!.step.blockUuid, images);
      return { ...images[at]!.step };
    }
    const [res] = await this.retrying(() => this.pool.query<ResultSetHeader>(claim, [worker, now, now, now, id]));
    if (res.affectedRows !== 1) return null;
    const [row] = await this.rows(read, [id, worker]);
    return row ? toStep(set, row) : null;
  }

  async heartbeat(set: StepSet, id: number, worker: string, now: number): Promise<boolean> {
    const [res] = await this.pool.query<ResultSetHeader>(`UPDATE ${stepTable(set)} SET heartbeat_at = ?, ${ROW_VERSION_BUMP} WHERE id = ? AND state = 'running' AND worker = ?`, [now, id, worker]);
    this.stats.commits += 1;
    return res.affectedRows === 1;
  }

  async findStaleRunning(set: StepSet, before: number, limit: number): Promise<Step[]> {
    return (await this.rows(staleRunningSql(stepTable(set)), [before, limit]))
      .map((r) => toStep(set, r));
  }

  async findStaleDispatched(set: StepSet, before: number, limit: number): Promise<Step[]> {
    return (await this.rows(staleDispatchedSql(stepTable(set)), [before, limit]))
      .map((r) => toStep(set, r));
  }

  /** Moves settled trees batch by batch (core/adapters/sql/tree-move.ts), one transaction per batch. */
  private moveTrees(move: TreeMove, limit: number): Promise<number> {
    return moveSettledTrees((budget, afterTree) => this.inTransaction((conn) => moveSettledTreeBatch(async (sql, values) => {
      const [res] = await conn.query<RowDataPacket[] | ResultSetHeader>(sql, values);
      return Array.isArray(res) ? { rows: res, affected: 0 } : { rows: [], affected: res.affectedRows };
    }, move, budget, afterTree)), limit);
  }

  async archiveSettledTrees(set: StepSet, before: number, limit: number): Promise<number> {
    return this.moveTrees({ from: stepTable(set), to: stepTable(set, true), before }, limit);
  }

  async purgeArchive(set: StepSet, before: number, limit: number): Promise<number> {
    return this.moveTrees({ from: stepTable(set, true), to: null, before }, limit);
  }

  async countArchived(set: StepSet): Promise<number> {
    const [row] = await this.rows(`SELECT COUNT(*) AS n FROM ${stepTable(set, true)}`);
    return Number(row?.n ?? 0);
  }

  async recordSaturation(s: SaturationSample): Promise<void> {
    await this.pool.query(`INSERT INTO dispatch_saturation (step_set, group_name, minute, ticks, capped, capped_with_leftover, dispatched) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON DUPLICATE KEY UPDATE ticks = ticks + VALUES(ticks), capped = capped + VALUES(capped),
        capped_with_leftover = capped_with_leftover + VALUES(capped_with_leftover), dispatched = dispatched + VALUES(dispatched)`,
    [s.set, s.group, s.minute, s.ticks, s.capped, s.cappedWithLeftover, s.dispatched]);
  }

  async listSaturation(set: StepSet, fromMinute: number): Promise<SaturationSample[]> {
    const rows = await this.rows('SELECT * FROM dispatch_saturation WHERE step_set = ? AND minute >= ? ORDER BY minute, CAST(group_name AS CHAR)', [set, fromMinute]);
    return rows.map((r) => ({ set, group: r.group_name, minute: Number(r.minute), ticks: Number(r.ticks), capped: Number(r.capped), cappedWithLeftover: Number(r.capped_with_leftover), dispatched: Number(r.dispatched) }));
  }

  async listEvents(options: { afterId?: number; limit?: number } = {}): Promise<StoredEvent[]> {
    const rows = await this.rows('SELECT * FROM step_events WHERE id > ? ORDER BY id LIMIT ?', [options.afterId ?? 0, options.limit ?? 100]);
    return rows.map((r) => ({ id: Number(r.id), kind: r.kind, subject: r.subject, message: r.message, severity: r.severity, stepId: r.step_id === null ? null : Number(r.step_id), set: r.step_set, createdAt: Number(r.created_at) }));
  }

  async countByState(set: StepSet): Promise<Partial<Record<StepState, number>>> {
    const rows = await this.rows(`SELECT state, COUNT(*) AS n FROM ${stepTable(set)} GROUP BY state`);
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }

  async close(): Promise<void> {
    await this.pool.end();
    await this.txPool?.end();
  }
}
