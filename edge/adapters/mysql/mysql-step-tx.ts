// One MySQL transaction of the step store: locked reads, conditional updates, SKIP LOCKED claims.
import type { ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Row } from '../../../core/steps/effects.ts';
import { DuplicateKeyError, type InsertOptions, type StepEvent, type StepTx } from '../../../core/steps/step-store.port.ts';
import { insertedStep, TERMINAL_STATES, type Group, type NewStep, type Step, type StepPatch, type StepSet, type StepState } from '../../../core/steps/step.ts';
import { insertSql, ROW_VERSION_BUMP, selectSql, updateSql } from '../../../core/adapters/sql/row-sql.ts';
import { applyPatch, insertBatches, insertStepsSql, patchSql, stepTable, toStep } from '../../../core/adapters/sql/step-columns.ts';
import { blockKey, type BlockImages, type RowImage } from './block-images.ts';
import { claimRunnableSql, lockBlockSql, updateStepIfStateSql, waitingParentsSql } from '../../../core/adapters/sql/step-scan-sql.ts';
import { GuardedBlockWrite } from './block-write.ts';
import type { BlockPrefetch } from './block-prefetch.ts';
import type { StatementOutbox } from './statement-outbox.ts';

/** Whether an error is MySQL's duplicate-key error. */
export const isDuplicate = (error: unknown) => (error as { errno?: number }).errno === 1062;

/**
 * StepTx over one connection inside BEGIN … COMMIT.
 *
 * Rows this transaction holds (locked through `lockBlock` or inserted by it) have a known state, so
 * a conditional update of one of them is decided here and its statement deferred to the outbox:
 * deferred writes go out before the next statement that reads, or together with COMMIT as one
 * multi-statement packet when the connection allows it. A finish is then two round trips: lock
 * the block, then write and commit; or one, when the block's image is at hand (block-images.ts):
 * the lock and its guard then wait in the outbox too.
 *
 * Every write to a step row bumps its row_version, which is what the guards compare.
 */
export class MySqlStepTx implements StepTx {
  /** `set:id` → state of the rows this transaction holds. */
  private readonly held = new Map<string, StepState>();
  /** With `images`: the blocks this transaction locked, each row's image kept up to date with its writes. */
  private readonly locked = new Map<string, { set: StepSet; blockUuid: string; rows: RowImage[] }>();
  /** `set:id` → the image of a row of a locked block. */
  private readonly rowImages = new Map<string, RowImage>();
  /** Blocks locked on an image from the cache (dropped from it if the guard finds them changed). */
  private readonly guessed: { set: StepSet; blockUuid: string }[] = [];
  /** `set:id` → the statement that locks the row's block on its image and gathers its writes. */
  private readonly blockWrites = new Map<string, GuardedBlockWrite>();

  /**
   * `prefetch`: the blocks a commit group locked for its members up front (block-prefetch.ts).
   * `images`: the store's block images, when its connections take multi-statement packets.
   */
  constructor(private readonly outbox: StatementOutbox, private readonly consecutiveIds: boolean, private readonly prefetch: BlockPrefetch | null = null,
    private readonly images: BlockImages | null = null) {}

  /** After COMMIT: the images of the blocks this transaction locked, as it left them, go to the cache. */
  publish(): void {
    if (!this.images) return;
    for (const { set, blockUuid, rows } of this.locked.values()) {
      // A settled block is not locked again by a finish: keep the room for live ones.
      if (rows.every((r) => TERMINAL_STATES.has(r.step.state))) this.images.drop(set, blockUuid);
      else this.images.put(set, blockUuid, rows);
    }
  }

  /** After a guard found an image stale: forget the images this transaction guessed on. */
  forgetGuesses(): void {
    for (const { set, blockUuid } of this.guessed) this.images?.drop(set, blockUuid);
  }

  /** Copies of a locked block's rows for the caller (which may change them), held. */
  private handOut(set: StepSet, rows: readonly RowImage[]): Step[] {
    const steps = rows.map((r) => ({ ...r.step }));
    this.hold(set, steps);
    return steps;
  }

  /** Keeps the images of a block's rows (in lock order) as this transaction locked them. */
  private keepImages(set: StepSet, blockUuid: string, rows: RowImage[]): void {
    this.locked.set(blockKey(set, blockUuid), { set, blockUuid, rows });
    for (const r of rows) this.rowImages.set(`${set}:${r.step.id}`, r);
  }

  private hold(set: StepSet, steps: readonly Step[]): void {
    for (const s of steps) this.held.set(`${set}:${s.id}`, s.state);
  }

  /** Runs a read now, in one packet with the deferred writes ahead of it. */
  private rows(sql: string, values: unknown[] = []): Promise<RowDataPacket[]> {
    return this.outbox.query<RowDataPacket[]>(sql, values);
  }

  /** Runs a write now, in one packet with the deferred writes ahead of it. */
  private write(sql: string, values: unknown[]): Promise<ResultSetHeader> {
    return this.outbox.query<ResultSetHeader>(sql, values);
  }

  async findRows(table: string, where: Row, options?: { orderBy?: string; desc?: boolean; limit?: number }): Promise<Row[]> {
    const q = selectSql(table, where, options);
    return (await this.rows(q.sql, q.values)) as Row[];
  }

  async insertSteps(steps: NewStep[], options?: InsertOptions): Promise<Step[]> {
    const out = new Array<Step>(steps.length);
    const batches = insertBatches(steps, this.consecutiveIds);
    for (const [n, { set, positions }] of batches.entries()) {
      // The transaction's last statement (of a one-set insert): its COMMIT may travel in the same packet.
      const commit = options?.last === true && n === batches.length - 1 && batches.every((b) => b.set === set);
      const { sql, values } = insertStepsSql(stepTable(set), positions.map((i) => steps[i]!));
      try {
        const res = commit ? await this.outbox.queryAndCommit<ResultSetHeader>(sql, values) : await this.write(sql, values);
        positions.forEach((i, k) => (out[i] = insertedStep(steps[i]!, res.insertId + k)));
        this.hold(set, positions.map((i) => out[i]!));
      } catch (error) {
        if (isDuplicate(error)) throw new DuplicateKeyError(`dedupe key exists in ${set} steps: ${(error as Error).message}`);
        throw error;
      }
    }
    return out;
  }

  async getStep(set: StepSet, id: number, options?: { lock?: boolean }): Promise<Step | null> {
    const [row] = await this.rows(`SELECT * FROM ${stepTable(set)} WHERE id = ?${options?.lock ? ' FOR UPDATE' : ''}`, [id]);
    const step = row ? toStep(set, row) : null;
    if (step && options?.lock) this.hold(set, [step]);
    return step;
  }

  async findByDedupeKey(set: StepSet, key: string): Promise<Step | null> {
    const [row] = await this.rows(`SELECT * FROM ${stepTable(set)} WHERE dedupe_key = ?`, [key]);
    return row ? toStep(set, row) : null;
  }

  async lockBlock(set: StepSet, blockUuid: string): Promise<Step[]> {
    const locked = this.prefetch?.take(set, blockUuid);
    if (locked) {
      this.hold(set, locked);
      return locked;
    }
    if (this.images) {
      // A block this transaction locked already: its images carry every write since.
      const mine = this.locked.get(blockKey(set, blockUuid));
      if (mine) return this.handOut(set, mine.rows);
      const cached = this.images.get(set, blockUuid);
      if (cached) {
        // The lock goes out first as always, with the next packet, carrying this block's writes.
        const write = new GuardedBlockWrite(set, blockUuid, cached);
        this.outbox.pushDeferred(write);
        for (const r of cached) this.blockWrites.set(`${set}:${r.step.id}`, write);
        this.guessed.push({ set, blockUuid });
        const rows = cached.map((r) => ({ step: { ...r.step }, version: r.version }));
        this.keepImages(set, blockUuid, rows);
        return this.handOut(set, rows);
      }
    }
    // Walks ix_block (block_uuid, idx) + id in order: entries, then rows, without a filesort.
    const rows = await this.rows(lockBlockSql(stepTable(set), this.images ? '*, row_version' : '*'), [blockUuid]);
    const steps = rows.map((r) => toStep(set, r));
    if (this.images) this.keepImages(set, blockUuid, steps.map((step, i) => ({ step: { ...step }, version: Number(rows[i]!.row_version) })));
    this.hold(set, steps);
    return steps;
  }

  async updateStep(set: StepSet, id: number, expected: StepState[], patch: StepPatch): Promise<boolean> {
    if (expected.length === 0) return false;
    const p = patchSql(patch);
    const key = `${set}:${id}`;
    this.prefetch?.touch(set, id);
    const state = this.held.get(key);
    if (state !== undefined) {
      // A row this transaction holds cannot change under it: the condition is decided here.
      if (!expected.includes(state)) return false;
      if (p.sql) {
        if (!this.blockWrites.get(key)?.add(id, patch)) this.outbox.push(`UPDATE ${stepTable(set)} SET ${p.sql}, ${ROW_VERSION_BUMP} WHERE id = ?`, [...p.values, id]);
        const image = this.rowImages.get(key);
        if (image) {
          applyPatch(image.step, patch);
          image.version += 1;
        }
      }
      if (patch.state) this.held.set(key, patch.state);
      return true;
    }
    if (!p.sql) {
      const current = await this.getStep(set, id, { lock: true });
      return current !== null && expected.includes(current.state);
    }
    const res = await this.write(updateStepIfStateSql(stepTable(set), `${p.sql}, ${ROW_VERSION_BUMP}`, expected), [...p.values, id, ...expected]);
    if (res.affectedRows === 1 && patch.state) this.held.set(key, patch.state);
    return res.affectedRows === 1;
  }

  async claimRunnable(set: StepSet, group: Group, now: number, limit: number): Promise<Step[]> {
    return (await this.rows(claimRunnableSql(stepTable(set), true), [group, now, limit])).map((r) => toStep(set, r));
  }

  async findWaitingParents(set: StepSet, group: Group, limit: number): Promise<Step[]> {
    return (await this.rows(waitingParentsSql(stepTable(set)), [group, limit])).map((r) => toStep(set, r));
  }

  async insertEvents(events: StepEvent[]): Promise<void> {
    if (events.length === 0) return;
    this.outbox.push(`INSERT INTO step_events (kind, subject, message, severity, step_id, step_set, created_at) VALUES ${events.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      events.flatMap((e) => [e.kind, e.subject, e.message, e.severity, e.stepId ?? null, e.set ?? null, e.createdAt]));
  }

  async insertRow(table: string, row: Row, options?: { ignoreDuplicate?: boolean }): Promise<boolean> {
    const q = insertSql(table, row);
    try {
      await this.write(q.sql, q.values);
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
      const res = await this.write(q.sql, q.values);
      return Number(res.insertId);
    } catch (error) {
      if (isDuplicate(error)) throw new DuplicateKeyError(`duplicate ${table}: ${(error as Error).message}`);
      throw error;
    }
  }

  async updateRows(table: string, where: Row, set: Row): Promise<number> {
    const q = updateSql(table, where, set);
    try {
      const res = await this.write(q.sql, q.values);
      return res.affectedRows;
    } catch (error) {
      if (isDuplicate(error)) throw new DuplicateKeyError(`duplicate ${table}: ${(error as Error).message}`);
      throw error;
    }
  }
}
