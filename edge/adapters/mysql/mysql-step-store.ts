// The MySQL/MariaDB StepStore (mysql2): transactions re-run whole on deadlock or lock-wait timeout.
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Row } from '../../../core/steps/effects.ts';
import type { SaturationSample, StepFilter, StepStore, StepTx, StoredEvent } from '../../../core/steps/step-store.port.ts';
import { GROUPS, type Group, type Step, type StepSet, type StepState } from '../../../core/steps/step.ts';
import { MySqlStepTx } from './mysql-step-tx.ts';
import { selectSql } from './row-sql.ts';
import { stepTable, toStep } from './step-columns.ts';

const RETRYABLE = new Set([1213, 1205]); // deadlock, lock wait timeout
const TERMINAL = "'completed', 'skipped', 'stopped', 'cancelled', 'failed'";

/** Options of the MySQL store. */
export interface MySqlStepStoreOptions {
  /** How many times a transaction is re-run after a deadlock. */
  maxRetries?: number;
  /** Whether one multi-row INSERT yields consecutive ids (innodb_autoinc_lock_mode 0 or 1). */
  consecutiveIds?: boolean;
}

/** StepStore over a mysql2 pool. */
export class MySqlStepStore implements StepStore {
  private readonly maxRetries: number;
  private readonly consecutiveIds: boolean;

  constructor(private readonly pool: Pool, options: MySqlStepStoreOptions = {}) {
    this.maxRetries = options.maxRetries ?? 5;
    this.consecutiveIds = options.consecutiveIds ?? false;
  }

  private async rows(sql: string, values: unknown[] = []): Promise<RowDataPacket[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>(sql, values);
    return rows;
  }

  async transaction<T>(fn: (tx: StepTx) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const conn = await this.pool.getConnection();
      try {
        await conn.query('START TRANSACTION');
        const result = await fn(new MySqlStepTx(conn, this.consecutiveIds));
        await conn.query('COMMIT');
        return result;
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => undefined);
        const errno = (error as { errno?: number }).errno;
        if (errno === undefined || !RETRYABLE.has(errno) || attempt >= this.maxRetries) throw error;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
      } finally {
        conn.release();
      }
    }
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
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (sql: string, ...v: unknown[]) => {
      where.push(sql);
      values.push(...v);
    };
    if (f.state?.length) add(`state IN (${f.state.map(() => '?').join(', ')})`, ...f.state);
    if (f.handler !== undefined) add('handler = ?', f.handler);
    if (f.label !== undefined) add('label LIKE ?', `%${f.label.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (f.treeUuid !== undefined) add('tree_uuid = ?', f.treeUuid);
    if (f.blockUuid !== undefined) add('block_uuid = ?', f.blockUuid);
    if (f.parentId !== undefined) add('parent_id = ?', f.parentId);
    if (f.createdFrom !== undefined) add('created_at >= ?', f.createdFrom);
    if (f.createdTo !== undefined) add('created_at <= ?', f.createdTo);
    const rows = await this.rows(`SELECT * FROM ${stepTable(set)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`, [...values, f.limit ?? 100]);
    return rows.map((r) => toStep(set, r));
  }

  async activeGroups(set: StepSet): Promise<Group[]> {
    const groups: Group[] = [];
    // One indexed probe per group on (group_name, state, …): cheap enough to run every second.
    const rows = await this.rows(GROUPS.map((g) => `(SELECT '${g}' AS g FROM ${stepTable(set)} WHERE group_name = '${g}' AND state IN ('pending', 'dispatched', 'running') LIMIT 1)`).join(' UNION ALL '));
    for (const r of rows) groups.push(r.g as Group);
    return groups;
  }

  async nextDueAt(set: StepSet, after: number): Promise<number | null> {
    const [row] = await this.rows(`SELECT MIN(dispatch_after) AS due FROM ${stepTable(set)} WHERE state = 'pending' AND dispatch_after > ?`, [after]);
    return row?.due === null || row?.due === undefined ? null : Number(row.due);
  }

  async heartbeat(set: StepSet, id: number, worker: string, now: number): Promise<boolean> {
    const [res] = await this.pool.query<ResultSetHeader>(`UPDATE ${stepTable(set)} SET heartbeat_at = ? WHERE id = ? AND state = 'running' AND worker = ?`, [now, id, worker]);
    return res.affectedRows === 1;
  }

  async findStaleRunning(set: StepSet, before: number, limit: number): Promise<Step[]> {
    return (await this.rows(`SELECT * FROM ${stepTable(set)} WHERE state = 'running' AND child_block_uuid IS NULL AND (heartbeat_at IS NULL OR heartbeat_at < ?) ORDER BY id LIMIT ?`, [before, limit]))
      .map((r) => toStep(set, r));
  }

  async findStaleDispatched(set: StepSet, before: number, limit: number): Promise<Step[]> {
    return (await this.rows(`SELECT * FROM ${stepTable(set)} WHERE state = 'dispatched' AND (dispatched_at IS NULL OR dispatched_at < ?) ORDER BY id LIMIT ?`, [before, limit]))
      .map((r) => toStep(set, r));
  }

  /** Moves whole settled trees from one table to another, in one transaction. */
  private async moveTrees(from: string, to: string | null, before: number, limit: number): Promise<number> {
    {
      const conn = await this.pool.getConnection();
      try {
        await conn.query('START TRANSACTION');
        const [trees] = await conn.query<RowDataPacket[]>(`SELECT tree_uuid FROM ${from} GROUP BY tree_uuid
          HAVING SUM(state NOT IN (${TERMINAL})) = 0 AND SUM(completed_at IS NULL) = 0 AND MAX(completed_at) < ? LIMIT ?`, [before, limit]);
        const uuids = trees.map((t) => String(t.tree_uuid));
        if (uuids.length === 0) {
          await conn.query('COMMIT');
          return 0;
        }
        const list = uuids.map(() => '?').join(', ');
        // Lock the trees, re-check they are still settled, then copy and delete.
        const [locked] = await conn.query<RowDataPacket[]>(`SELECT tree_uuid, SUM(state NOT IN (${TERMINAL})) AS open FROM ${from} WHERE tree_uuid IN (${list}) GROUP BY tree_uuid FOR UPDATE`, uuids);
        const settled = locked.filter((r) => Number(r.open) === 0).map((r) => String(r.tree_uuid));
        if (settled.length === 0) {
          await conn.query('COMMIT');
          return 0;
        }
        const keep = settled.map(() => '?').join(', ');
        if (to) await conn.query(`INSERT INTO ${to} SELECT * FROM ${from} WHERE tree_uuid IN (${keep})`, settled);
        const [res] = await conn.query<ResultSetHeader>(`DELETE FROM ${from} WHERE tree_uuid IN (${keep})`, settled);
        await conn.query('COMMIT');
        return res.affectedRows;
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        conn.release();
      }
    }
  }

  async archiveSettledTrees(set: StepSet, before: number, limit: number): Promise<number> {
    return this.moveTrees(stepTable(set), stepTable(set, true), before, limit);
  }

  async purgeArchive(set: StepSet, before: number, limit: number): Promise<number> {
    return this.moveTrees(stepTable(set, true), null, before, limit);
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
    const rows = await this.rows('SELECT * FROM dispatch_saturation WHERE step_set = ? AND minute >= ? ORDER BY minute, group_name', [set, fromMinute]);
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
  }
}
