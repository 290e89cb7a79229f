// One transaction of the in-memory store: writes go straight to the tables, are undone from a log
// on rollback, and are collected by key for the journal's record at commit (memory-changes.ts).
import type { Row } from '../../steps/effects.ts';
import { isRunnable, claimOrder } from '../../steps/runnable.ts';
import { DuplicateKeyError, type StepEvent, type StepTx, type StoredEvent } from '../../steps/step-store.port.ts';
import { insertedStep, type Group, type NewStep, type Step, type StepPatch, type StepSet, type StepState } from '../../steps/step.ts';
import { ChangeCollector } from './memory-changes.ts';
import type { MemoryRows } from './memory-rows.ts';
import type { StepTable } from './step-table.ts';

const copy = (s: Step): Step => ({ ...s });

/** One transaction: writes go straight to the tables and are undone from a log on rollback. */
export class MemoryTx implements StepTx {
  private readonly log: (() => void)[] = [];
  private readonly undo = (fn: () => void): void => {
    this.log.push(fn);
  };

  /** What this transaction changed (the journal's record when it commits). */
  readonly changes = new ChangeCollector();

  constructor(private readonly sets: Record<StepSet, StepTable>, private readonly rows: MemoryRows, private readonly events: StoredEvent[]) {}

  /** Reverts every write of this transaction, newest first. */
  rollback(): void {
    for (let i = this.log.length - 1; i >= 0; i--) this.log[i]!();
  }

  private write(table: StepTable, step: Step): void {
    const previous = table.rows.get(step.id);
    table.put(step, previous);
    this.changes.step(step.set, step.id);
    this.log.push(() => (previous ? table.put(previous, step) : table.remove(step)));
  }

  /** Writes a whole step (the store's own single-step moves). */
  putStep(step: Step): void {
    this.write(this.sets[step.set], step);
  }

  /** Moves a step into its set's archive. */
  archiveStep(step: Step): void {
    const table = this.sets[step.set];
    table.remove(step);
    table.archive.set(step.id, step);
    this.changes.archive(step.set, step.id);
    this.log.push(() => {
      table.archive.delete(step.id);
      table.restore(step);
    });
  }

  /** Deletes an archived step. */
  purgeStep(step: Step): void {
    const table = this.sets[step.set];
    table.archive.delete(step.id);
    this.changes.purge(step.set, step.id);
    this.log.push(() => table.archive.set(step.id, step));
  }

  async findRows(table: string, where: Row, options?: { orderBy?: string; desc?: boolean; limit?: number }): Promise<Row[]> {
    return this.rows.find(table, where, options);
  }

  async insertSteps(steps: NewStep[]): Promise<Step[]> {
    const out: Step[] = [];
    for (const n of steps) {
      const table = this.sets[n.set];
      // A rolled-back insert gives its id back, so a replayed journal hands out the same next id.
      const nextId = table.nextId;
      this.log.push(() => (table.nextId = Math.min(table.nextId, nextId)));
      if (n.dedupeKey !== null && table.byDedupe.has(n.dedupeKey)) throw new DuplicateKeyError(`dedupe key ${n.dedupeKey} exists`);
      const step = insertedStep(n, table.nextId++);
      let block = table.byBlock.get(step.blockUuid);
      if (!block) table.byBlock.set(step.blockUuid, (block = []));
      block.push(step.id);
      if (step.dedupeKey !== null) table.byDedupe.set(step.dedupeKey, step.id);
      this.write(table, step);
      out.push(copy(step));
    }
    return out;
  }

  async getStep(set: StepSet, id: number): Promise<Step | null> {
    const s = this.sets[set].rows.get(id);
    return s ? copy(s) : null;
  }

  async findByDedupeKey(set: StepSet, key: string): Promise<Step | null> {
    const id = this.sets[set].byDedupe.get(key);
    return id === undefined ? null : this.getStep(set, id);
  }

  async lockBlock(set: StepSet, blockUuid: string): Promise<Step[]> {
    return this.sets[set].block(blockUuid).map(copy);
  }

  async updateStep(set: StepSet, id: number, expected: StepState[], patch: StepPatch): Promise<boolean> {
    const table = this.sets[set];
    const current = table.rows.get(id);
    if (!current || !expected.includes(current.state)) return false;
    const next = { ...current };
    Object.assign(next, patch);
    this.write(table, next);
    return true;
  }

  async claimRunnable(set: StepSet, group: Group, now: number, limit: number): Promise<Step[]> {
    const table = this.sets[set];
    const found: Step[] = [];
    for (const id of table.byState.get('pending')!) {
      const step = table.rows.get(id)!;
      if (step.group !== group || step.dispatchAfter > now) continue;
      const parent = step.parentId === null ? null : (table.rows.get(step.parentId) ?? null);
      if (isRunnable(step, table.block(step.blockUuid), parent, now)) found.push(step);
    }
    return found.sort(claimOrder).slice(0, limit).map(copy);
  }

  async findWaitingParents(set: StepSet, group: Group, limit: number): Promise<Step[]> {
    const table = this.sets[set];
    const out: Step[] = [];
    for (const id of table.byState.get('running')!) {
      const s = table.rows.get(id)!;
      if (s.group === group && s.childBlockUuid !== null) out.push(copy(s));
      if (out.length >= limit) break;
    }
    return out;
  }

  async insertEvents(events: StepEvent[]): Promise<void> {
    const start = this.events.length;
    this.changes.events(start);
    for (const e of events) this.events.push({ ...e, id: this.events.length + 1 });
    this.log.push(() => this.events.splice(start));
  }

  async insertRow(table: string, row: Row, options?: { ignoreDuplicate?: boolean }): Promise<boolean> {
    return this.rows.insert(table, row, options?.ignoreDuplicate ?? false, this.undo, this.changes.row);
  }

  async appendRow(table: string, row: Row): Promise<number> {
    return this.rows.append(table, row, this.undo, this.changes.row);
  }

  async updateRows(table: string, where: Row, set: Row): Promise<number> {
    return this.rows.update(table, where, set, this.undo, this.changes.row);
  }
}
