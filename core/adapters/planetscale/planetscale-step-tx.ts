// One transaction of the PlanetScale step store: a session between BEGIN and COMMIT. Every
// conditional write bumps row_version, so its rowsAffected (changed rows) counts every matched row.
import type { Connection } from '@planetscale/database';
import type { Row } from '../../steps/effects.ts';
import { DuplicateKeyError, type StepEvent, type StepTx } from '../../steps/step-store.port.ts';
import { insertedStep, type Group, type NewStep, type Step, type StepPatch, type StepSet, type StepState } from '../../steps/step.ts';
import { ROW_VERSION_BUMP, insertSql, selectSql, updateSql } from '../sql/row-sql.ts';
import { errnoOf } from './planetscale-sessions.ts';
import { patchSql, stepTable, toColumnValue, toStep } from '../sql/step-columns.ts';
import { claimRunnableSql, lockBlockSql, updateStepIfStateSql, waitingParentsSql } from '../sql/step-scan-sql.ts';

const INSERT_FIELDS = ['handler', 'args', 'state', 'treeUuid', 'blockUuid', 'index', 'parentId', 'lane', 'priority', 'group', 'dispatchAfter',
  'maxAttempts', 'backoffMs', 'isResolver', 'dedupeKey', 'label', 'dispatchedAt', 'createdAt'] as const;
const INSERT_COLUMNS = 'handler, args, state, tree_uuid, block_uuid, idx, parent_id, lane, priority, group_name, dispatch_after, max_attempts, backoff_ms, is_resolver, dedupe_key, label, dispatched_at, created_at, updated_at';

/** Whether an error is MySQL's duplicate-key error, as PlanetScale reports it. */
export const isDuplicate = (error: unknown) => errnoOf(error) === 1062;

/** How the transaction runs its statements (the store counts them). */
export type Exec = (conn: Connection, sql: string, values?: unknown[]) => Promise<{ rows: Row[]; rowsAffected: number; insertId: string }>;

/** Options of one transaction. */
export interface PlanetScaleTxOptions {
  consecutiveIds: boolean;
  skipLocked: boolean;
}

/** StepTx over one PlanetScale session inside BEGIN … COMMIT. */
export class PlanetScaleStepTx implements StepTx {
  constructor(private readonly conn: Connection, private readonly exec: Exec, private readonly options: PlanetScaleTxOptions) {}

  private async rows(sql: string, values: unknown[] = []): Promise<Row[]> {
    return (await this.exec(this.conn, sql, values)).rows;
  }

  async findRows(table: string, where: Row, options?: { orderBy?: string; desc?: boolean; limit?: number }): Promise<Row[]> {
    const q = selectSql(table, where, options);
    return this.rows(q.sql, q.values);
  }

  async insertSteps(steps: NewStep[]): Promise<Step[]> {
    const out = new Array<Step>(steps.length);
    const bySet = new Map<StepSet, number[]>();
    steps.forEach((s, i) => bySet.set(s.set, [...(bySet.get(s.set) ?? []), i]));
    for (const [set, positions] of bySet) {
      const batches = this.options.consecutiveIds ? [positions] : positions.map((i) => [i]);
      for (const batch of batches) {
        const values: unknown[] = [];
        for (const i of batch) {
          const s = steps[i]!;
          for (const f of INSERT_FIELDS) values.push(toColumnValue(f, s[f]));
          values.push(s.createdAt);
        }
        const placeholders = batch.map(() => `(${Array(INSERT_FIELDS.length + 1).fill('?').join(', ')})`).join(', ');
        try {
          const res = await this.exec(this.conn, `INSERT INTO ${stepTable(set)} (${INSERT_COLUMNS}) VALUES ${placeholders}`, values);
          batch.forEach((i, k) => (out[i] = insertedStep(steps[i]!, Number(res.insertId) + k)));
        } catch (error) {
          if (isDuplicate(error)) throw new DuplicateKeyError(`dedupe key exists in ${set} steps: ${(error as Error).message}`);
          throw error;
        }
      }
    }
    return out;
  }

  async getStep(set: StepSet, id: number, options?: { lock?: boolean }): Promise<Step | null> {
    const [row] = await this.rows(`SELECT * FROM ${stepTable(set)} WHERE id = ?${options?.lock ? ' FOR UPDATE' : ''}`, [id]);
    return row ? toStep(set, row) : null;
  }

  async findByDedupeKey(set: StepSet, key: string): Promise<Step | null> {
    const [row] = await this.rows(`SELECT * FROM ${stepTable(set)} WHERE dedupe_key = ?`, [key]);
    return row ? toStep(set, row) : null;
  }

  async lockBlock(set: StepSet, blockUuid: string): Promise<Step[]> {
    return (await this.rows(lockBlockSql(stepTable(set), '*'), [blockUuid])).map((r) => toStep(set, r));
  }

  async updateStep(set: StepSet, id: number, expected: StepState[], patch: StepPatch): Promise<boolean> {
    if (expected.length === 0) return false;
    const p = patchSql(patch);
    // The bump makes a patch that sets what is stored (or nothing) still count its matched row.
    const sets = p.sql ? `${p.sql}, ${ROW_VERSION_BUMP}` : ROW_VERSION_BUMP;
    const res = await this.exec(this.conn, updateStepIfStateSql(stepTable(set), sets, expected), [...p.values, id, ...expected]);
    return res.rowsAffected === 1;
  }

  async claimRunnable(set: StepSet, group: Group, now: number, limit: number): Promise<Step[]> {
    return (await this.rows(claimRunnableSql(stepTable(set), this.options.skipLocked), [group, now, limit])).map((r) => toStep(set, r));
  }

  async findWaitingParents(set: StepSet, group: Group, limit: number): Promise<Step[]> {
    return (await this.rows(waitingParentsSql(stepTable(set)), [group, limit])).map((r) => toStep(set, r));
  }

  async insertEvents(events: StepEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.exec(this.conn, `INSERT INTO step_events (kind, subject, message, severity, step_id, step_set, created_at) VALUES ${events.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      events.flatMap((e) => [e.kind, e.subject, e.message, e.severity, e.stepId ?? null, e.set ?? null, e.createdAt]));
  }

  async insertRow(table: string, row: Row, options?: { ignoreDuplicate?: boolean }): Promise<boolean> {
    const q = insertSql(table, row);
    try {
      await this.exec(this.conn, q.sql, q.values);
      return true;
    } catch (error) {
      if (!isDuplicate(error)) throw error;
      if (options?.ignoreDuplicate) return false;
      throw new DuplicateKeyError(`duplicate ${table}: ${(error as Error).message}`);
    }
  }

  async appendRow(table: string, row: Row): Promise<number> {
    const q = insertSql(table, row);
    try {
      return Number((await this.exec(this.conn, q.sql, q.values)).insertId);
    } catch (error) {
      if (isDuplicate(error)) throw new DuplicateKeyError(`duplicate ${table}: ${(error as Error).message}`);
      throw error;
    }
  }

  async updateRows(table: string, where: Row, set: Row): Promise<number> {
    const q = updateSql(table, where, set, { bumpVersion: true });
    try {
      return (await this.exec(this.conn, q.sql, q.values)).rowsAffected;
    } catch (error) {
      if (isDuplicate(error)) throw new DuplicateKeyError(`duplicate ${table}: ${(error as Error).message}`);
      throw error;
    }
  }
}
