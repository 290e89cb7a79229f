// One transaction of the PlanetScale step store: a session between BEGIN and COMMIT. Every
// conditional write bumps row_version, so its rowsAffected (changed rows) counts every matched row.
import type { Connection } from '@planetscale/database';
import type { Row } from '../../steps/effects.ts';
import { DuplicateKeyError, type StepEvent, type StepTx } from '../../steps/step-store.port.ts';
import { insertedStep, type Group, type NewStep, type Step, type StepPatch, type StepSet, type StepState } from '../../steps/step.ts';
import { ROW_VERSION_BUMP, insertSql, selectSql, updateSql } from '../sql/row-sql.ts';
import { errnoOf } from './planetscale-sessions.ts';
import { insertBatches, insertStepsSql, patchSql, stepTable, toStep } from '../sql/step-columns.ts';
import { claimRunnableSql, lockBlockSql, updateStepIfStateSql, waitingParentsSql } from '../sql/step-scan-sql.ts';

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
    for (const { set, positions } of insertBatches(steps, this.options.consecutiveIds)) {
      const { sql, values } = insertStepsSql(stepTable(set), positions.map((i) => steps[i]!));
      try {
        const res = await this.exec(this.conn, sql, values);
        positions.forEach((i, k) => (out[i] = insertedStep(steps[i]!, Number(res.insertId) + k)));
      } catch (error) {
        if (isDuplicate(error)) throw new DuplicateKeyError(`dedupe key exists in ${set} steps: ${(error as Error).message}`);
        throw error;
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
