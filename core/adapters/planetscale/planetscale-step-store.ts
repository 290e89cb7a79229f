// The StepStore over PlanetScale's fetch-based driver (@planetscale/database): runs wherever fetch
// does (a Worker, Node). Same tables and SQL as the MySQL store; transactions are a session between
// BEGIN and COMMIT, re-run whole on deadlock or lock-wait timeout.
import { activeGroupsSql, listStepsSql, nextDueSql, staleDispatchedSql, staleRunningSql } from '../sql/step-scan-sql.ts';
import type { Config, Connection } from '@planetscale/database';
import { ValidationError } from '../../errors.ts';
import type { Row } from '../../steps/effects.ts';
import type { SaturationSample, StepFilter, StepStore, StepTx, StoredEvent } from '../../steps/step-store.port.ts';
import { type Group, type Step, type StepSet, type StepState } from '../../steps/step.ts';
import { ROW_VERSION_BUMP, selectSql } from '../sql/row-sql.ts';
import { SessionPool, errnoOf } from './planetscale-sessions.ts';
import { PlanetScaleStepTx, type Exec } from './planetscale-step-tx.ts';
import { stepTable, toStep } from '../sql/step-columns.ts';
import { moveSettledTreeBatch, moveSettledTrees, type TreeMove } from '../sql/tree-move.ts';

const RETRYABLE = new Set([1213, 1205]); // ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT

/** Options of the PlanetScale store. */
export interface PlanetScaleStepStoreOptions {
  /** Re-runs after a deadlock or lock-wait timeout (default 10). */
  maxRetries?: number;
  /** Whether one multi-row INSERT yields consecutive ids (see openPlanetScaleStepStore). */
  consecutiveIds?: boolean;
  /** Claim with FOR UPDATE SKIP LOCKED (default true; MySQL 8 and MariaDB 10.6+ have it). */
  skipLocked?: boolean;
}

/** Round trips and commits since the store opened: load-independent figures for tests and benchmarks. */
export interface PlanetScaleStoreStats {
  statements: number;
  commits: number;
  deadlocks: number;
  lockWaitTimeouts: number;
}

const backoffMs = (attempt: number) => Math.min(500, 10 * 2 ** attempt) * (0.5 + Math.random());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** StepStore over the PlanetScale HTTP API. */
export class PlanetScaleStepStore implements StepStore {
  readonly stats: PlanetScaleStoreStats = { statements: 0, commits: 0, deadlocks: 0, lockWaitTimeouts: 0 };
  readonly sessions: SessionPool;
  private readonly maxRetries: number;
  private readonly txOptions: { consecutiveIds: boolean; skipLocked: boolean };

  constructor(config: Config, options: PlanetScaleStepStoreOptions = {}) {
    this.sessions = new SessionPool(config);
    this.maxRetries = options.maxRetries ?? 10;
    this.txOptions = { consecutiveIds: options.consecutiveIds ?? false, skipLocked: options.skipLocked ?? true };
  }

  private readonly exec: Exec = async (conn, sql, values) => {
    this.stats.statements += 1;
    const res = await conn.execute(sql, values && values.length > 0 ? values : null);
    return { rows: res.rows as Row[], rowsAffected: res.rowsAffected, insertId: res.insertId };
  };

  private rows(sql: string, values: unknown[] = []): Promise<Row[]> {
    return this.sessions.with(async (conn) => (await this.exec(conn, sql, values)).rows);
  }

  /** One autocommit write; its changed-row count. */
  private write(sql: string, values: unknown[]): Promise<number> {
    return this.retrying(() => this.sessions.with(async (conn) => (await this.exec(conn, sql, values)).rowsAffected));
  }

  private mayRerun(error: unknown, attempt: number): boolean {
    const errno = errnoOf(error);
    if (!RETRYABLE.has(errno)) return false;
    if (errno === 1213) this.stats.deadlocks += 1;
    else this.stats.lockWaitTimeouts += 1;
    return attempt < this.maxRetries;
  }

  private async retrying<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await fn();
        this.stats.commits += 1;
        return result;
      } catch (error) {
        if (!this.mayRerun(error, attempt)) throw error;
      }
      await sleep(backoffMs(attempt));
    }
  }

  /** BEGIN … COMMIT on one prepared session, ROLLBACK on throw, whole re-run on a lock conflict. */
  private async inTransaction<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const conn = await this.sessions.take();
      let healthy = true;
      try {
        await this.exec(conn, 'BEGIN');
        const result = await fn(conn);
        await this.exec(conn, 'COMMIT');
        this.stats.commits += 1;
        return result;
      } catch (error) {
        // A session whose rollback failed may still hold a transaction: never lend it again.
        await this.exec(conn, 'ROLLBACK').catch(() => (healthy = false));
        if (!this.mayRerun(error, attempt)) throw error;
      } finally {
        if (healthy) this.sessions.give(conn);
      }
      await sleep(backoffMs(attempt));
    }
  }

  /** Asks the server whether one multi-row INSERT yields consecutive ids (auto-increment lock mode 0/1, increment 1). */
  async detectConsecutiveIds(): Promise<boolean> {
    const [row] = await this.rows('SELECT @@innodb_autoinc_lock_mode AS mode, @@auto_increment_increment AS step');
    this.txOptions.consecutiveIds = Number(row?.mode) !== 2 && Number(row?.step) === 1;
    return this.txOptions.consecutiveIds;
  }

  transaction<T>(fn: (tx: StepTx) => Promise<T>): Promise<T> {
    return this.inTransaction((conn) => fn(new PlanetScaleStepTx(conn, this.exec, this.txOptions)));
  }

  async findRows(table: string, where: Row, options?: { orderBy?: string; desc?: boolean; limit?: number }): Promise<Row[]> {
    const q = selectSql(table, where, options);
    return this.rows(q.sql, q.values);
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
    const rows = await this.rows(activeGroupsSql(stepTable(set)));
    return rows.map((r) => r.g as Group);
  }

  async nextDueAt(set: StepSet, after: number): Promise<number | null> {
    const [row] = await this.rows(nextDueSql(stepTable(set)), [after]);
    return row?.due === null || row?.due === undefined ? null : Number(row.due);
  }

  async claimDispatched(set: StepSet, id: number, worker: string, now: number): Promise<Step | null> {
    const t = stepTable(set);
    // Autocommit, one row: then a read that finds the row only when this claim won it (the run token is unique).
    const changed = await this.write(`UPDATE ${t} SET state = 'running', worker = ?, started_at = ?, heartbeat_at = ?, attempts = attempts + 1, is_throttled = 0, updated_at = ?, ${ROW_VERSION_BUMP}
      WHERE id = ? AND state = 'dispatched' AND child_block_uuid IS NULL`, [worker, now, now, now, id]);
    if (changed !== 1) return null;
    const [row] = await this.rows(`SELECT * FROM ${t} WHERE id = ? AND worker = ?`, [id, worker]);
    return row ? toStep(set, row) : null;
  }

  async heartbeat(set: StepSet, id: number, worker: string, now: number): Promise<boolean> {
    return (await this.write(`UPDATE ${stepTable(set)} SET heartbeat_at = ?, ${ROW_VERSION_BUMP} WHERE id = ? AND state = 'running' AND worker = ?`, [now, id, worker])) === 1;
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
      const res = await this.exec(conn, sql, values);
      return { rows: res.rows, affected: res.rowsAffected };
    }, move, budget, afterTree)), limit);
  }

  archiveSettledTrees(set: StepSet, before: number, limit: number): Promise<number> {
    return this.moveTrees({ from: stepTable(set), to: stepTable(set, true), before }, limit);
  }

  purgeArchive(set: StepSet, before: number, limit: number): Promise<number> {
    return this.moveTrees({ from: stepTable(set, true), to: null, before }, limit);
  }

  async countArchived(set: StepSet): Promise<number> {
    const [row] = await this.rows(`SELECT COUNT(*) AS n FROM ${stepTable(set, true)}`);
    return Number(row?.n ?? 0);
  }

  async recordSaturation(s: SaturationSample): Promise<void> {
    await this.write(`INSERT INTO dispatch_saturation (step_set, group_name, minute, ticks, capped, capped_with_leftover, dispatched) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON DUPLICATE KEY UPDATE ticks = ticks + VALUES(ticks), capped = capped + VALUES(capped),
        capped_with_leftover = capped_with_leftover + VALUES(capped_with_leftover), dispatched = dispatched + VALUES(dispatched)`,
    [s.set, s.group, s.minute, s.ticks, s.capped, s.cappedWithLeftover, s.dispatched]);
  }

  async listSaturation(set: StepSet, fromMinute: number): Promise<SaturationSample[]> {
    const rows = await this.rows('SELECT * FROM dispatch_saturation WHERE step_set = ? AND minute >= ? ORDER BY minute, CAST(group_name AS CHAR)', [set, fromMinute]);
    return rows.map((r) => ({ set, group: r.group_name as Group, minute: Number(r.minute), ticks: Number(r.ticks), capped: Number(r.capped),
      cappedWithLeftover: Number(r.capped_with_leftover), dispatched: Number(r.dispatched) }));
  }

  async listEvents(options: { afterId?: number; limit?: number } = {}): Promise<StoredEvent[]> {
    const rows = await this.rows('SELECT * FROM step_events WHERE id > ? ORDER BY id LIMIT ?', [options.afterId ?? 0, options.limit ?? 100]);
    return rows.map((r) => ({ id: Number(r.id), kind: String(r.kind), subject: String(r.subject), message: String(r.message), severity: r.severity as StoredEvent['severity'],
      stepId: r.step_id === null ? null : Number(r.step_id), set: r.step_set as StepSet | null, createdAt: Number(r.created_at) }));
  }

  async countByState(set: StepSet): Promise<Partial<Record<StepState, number>>> {
    const rows = await this.rows(`SELECT state, COUNT(*) AS n FROM ${stepTable(set)} GROUP BY state`);
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }

  async close(): Promise<void> {
    this.sessions.clear();
  }
}

/**
 * Why a store URL is refused, or null: the credentials travel in every request, so only https, or
 * http to a loopback host (the test shim).
 */
export function storeUrlProblem(url: string): string | null {
  if (!URL.canParse(url)) return 'is not a URL';
  const u = new URL(url);
  if (!u.username || !u.password) return 'needs the credentials: https://<user>:<password>@<host>';
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) return null;
  return 'must be https:// (http:// only to a loopback host)';
}

/**
 * Opens the store from a PlanetScale URL (https://user:password@host; http:// only for a loopback
 * shim) and asks the server whether multi-row inserts yield consecutive ids.
 */
export async function openPlanetScaleStepStore(url: string, options: PlanetScaleStepStoreOptions & { fetch?: Config['fetch'] } = {}): Promise<PlanetScaleStepStore> {
  const problem = storeUrlProblem(url);
  if (problem) throw new ValidationError(`the PlanetScale URL ${problem}`, 'INVALID_CONFIG');
  const { fetch, ...rest } = options;
  const store = new PlanetScaleStepStore({ url, fetch }, rest);
  try {
    if (rest.consecutiveIds === undefined) await store.detectConsecutiveIds();
  } catch (error) {
    throw new Error(`cannot reach the PlanetScale database at ${new URL(url).host}: ${(error as Error).message}`, { cause: error });
  }
  return store;
}
