// The in-memory StepStore for the embedded mode and fast tests. Transactions are serialised by a
// mutex and undone from a log on throw, so it honours the same contract as the MySQL adapter.
import type { Row } from '../../steps/effects.ts';
import { claimOrder, isRunnable } from '../../steps/runnable.ts';
import {
  DuplicateKeyError, type SaturationSample, type StepEvent, type StepFilter, type StepStore, type StepTx, type StoredEvent, type TransactionOptions,
} from '../../steps/step-store.port.ts';
import { insertedStep, TERMINAL_STATES, type Group, type NewStep, type Step, type StepPatch, type StepSet, type StepState } from '../../steps/step.ts';
import { ChangeCollector, type MemoryChange, type MemorySnapshot } from './memory-changes.ts';
import { MemoryRows, type UniqueKeys } from './memory-rows.ts';
import { StepTable } from './step-table.ts';

/** Options of the in-memory store. */
export interface MemoryStepStoreOptions {
  /** Unique keys of domain tables (SQL declares these in migrations). */
  uniqueKeys?: UniqueKeys;
  /**
   * Told each committed transaction's changes, in commit order, before any other transaction can
   * see them (a journal appends them: edge/runtime/paper-state/). Throwing fails the commit.
   */
  onCommit?: (change: MemoryChange) => void;
  /** Awaited after a transaction that changed something, before its result is handed back (the journal's fsync). */
  durable?: () => Promise<void>;
}

const copy = (s: Step): Step => ({ ...s });

/** One transaction: writes go straight to the tables and are undone from a log on rollback. */
class MemoryTx implements StepTx {
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

/** In-memory StepStore. */
export class MemoryStepStore implements StepStore {
  private readonly sets: Record<StepSet, StepTable> = { default: new StepTable(), trading: new StepTable() };
  private readonly rows: MemoryRows;
  private readonly events: StoredEvent[] = [];
  private readonly saturation = new Map<string, SaturationSample>();
  private lock: Promise<void> = Promise.resolve();
  private readonly onCommit: ((change: MemoryChange) => void) | null;
  private readonly durable: (() => Promise<void>) | null;

  constructor(options: MemoryStepStoreOptions = {}) {
    this.rows = new MemoryRows(options.uniqueKeys);
    this.onCommit = options.onCommit ?? null;
    this.durable = options.durable ?? null;
  }

  async transaction<T>(fn: (tx: StepTx) => Promise<T>, _options?: TransactionOptions): Promise<T> {
    return this.run(fn);
  }

  /** One transaction: its changes go to onCommit inside the lock (commit order), then wait for `durable` outside it. */
  private async run<T>(fn: (tx: MemoryTx) => Promise<T>): Promise<T> {
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise((resolve) => (release = resolve));
    await previous;
    const tx = new MemoryTx(this.sets, this.rows, this.events);
    let changed = false;
    let result: T;
    try {
      result = await fn(tx);
      const change = this.onCommit ? this.changeOf(tx) : null;
      if (change) {
        this.onCommit!(change);
        changed = true;
      }
    } catch (error) {
      tx.rollback();
      throw error;
    } finally {
      release();
    }
    if (changed) await this.durable?.();
    return result;
  }

  private changeOf(tx: MemoryTx): MemoryChange | null {
    return tx.changes.build({
      step: (set, id) => this.sets[set].rows.get(id),
      row: (table, id) => this.rows.get(table, id),
      events: (from) => this.events.slice(from).map((e) => ({ ...e })),
    });
  }

  /** Runs `fn` inside the lock, between transactions (a journal takes its snapshot and switches files there). */
  async exclusive<T>(fn: () => T): Promise<T> {
    return this.run(async () => fn());
  }

  /** The whole store now; only between transactions (at load, or inside the lock). */
  snapshotNow(): MemorySnapshot {
    const set = (t: StepTable) => ({ rows: [...t.rows.values()].map(copy), archive: [...t.archive.values()].map(copy), nextId: t.nextId });
    return {
      version: 1, sets: { default: set(this.sets.default), trading: set(this.sets.trading) }, rows: this.rows.snapshot(),
      events: this.events.map((e) => ({ ...e })), saturation: [...this.saturation.values()].map((s) => ({ ...s })),
    };
  }

  /** Loads a snapshot into an empty store (before it is used). */
  restore(snap: MemorySnapshot): void {
    if (snap.version !== 1) throw new Error(`store snapshot version ${String(snap.version)} is not supported`);
    for (const name of ['default', 'trading'] as const) {
      const table = this.sets[name];
      for (const s of snap.sets[name].rows) table.restore(s);
      for (const s of snap.sets[name].archive) table.archive.set(s.id, { ...s });
      table.nextId = Math.max(table.nextId, snap.sets[name].nextId);
    }
    this.rows.restore(snap.rows);
    this.events.splice(0, this.events.length, ...snap.events);
    for (const s of snap.saturation) this.saturation.set(`${s.set}/${s.group}/${s.minute}`, { ...s });
  }

  /** Applies one journaled change (replay at start, in commit order). */
  applyChange(change: MemoryChange): void {
    for (const [set, step] of change.steps ?? []) this.sets[set].restore(step);
    for (const [set, ids] of change.archived ?? []) {
      const table = this.sets[set];
      for (const id of ids) {
        const step = table.rows.get(id);
        if (!step) continue;
        table.remove(step);
        table.archive.set(id, step);
      }
    }
    for (const [set, ids] of change.purged ?? []) for (const id of ids) this.sets[set].archive.delete(id);
    for (const [table, row] of change.rows ?? []) this.rows.put(table, row);
    // Event ids are positions: one already present (a replay over a snapshot that holds it) is skipped.
    for (const e of change.events ?? []) if (e.id > this.events.length) this.events.push({ ...e });
    for (const s of change.saturation ?? []) this.saturation.set(`${s.set}/${s.group}/${s.minute}`, { ...s });
  }

  private getCopy(set: StepSet, id: number): Step | null {
    const s = this.sets[set].rows.get(id);
    return s ? copy(s) : null;
  }

  private inState(set: StepSet, state: StepState): Step[] {
    const table = this.sets[set];
    return [...table.byState.get(state)!].map((id) => table.rows.get(id)!);
  }

  async findRows(table: string, where: Row, options?: { orderBy?: string; desc?: boolean; limit?: number }): Promise<Row[]> {
    return this.rows.find(table, where, options);
  }

  async getStep(set: StepSet, id: number): Promise<Step | null> {
    return this.getCopy(set, id);
  }

  async listSteps(set: StepSet, f: StepFilter): Promise<Step[]> {
    const out: Step[] = [];
    const rows = [...this.sets[set].rows.values()].sort((a, b) => b.id - a.id);
    for (const s of rows) {
      if (f.state && !f.state.includes(s.state)) continue;
      if (f.handler !== undefined && s.handler !== f.handler) continue;
      if (f.label !== undefined && !(s.label ?? '').includes(f.label)) continue;
      if (f.treeUuid !== undefined && s.treeUuid !== f.treeUuid) continue;
      if (f.blockUuid !== undefined && s.blockUuid !== f.blockUuid) continue;
      if (f.parentId !== undefined && s.parentId !== f.parentId) continue;
      if (f.createdFrom !== undefined && s.createdAt < f.createdFrom) continue;
      if (f.createdTo !== undefined && s.createdAt > f.createdTo) continue;
      if (f.beforeId !== undefined && s.id >= f.beforeId) continue;
      out.push(copy(s));
      if (out.length >= (f.limit ?? 100)) break;
    }
    return out;
  }

  async activeGroups(set: StepSet): Promise<Group[]> {
    const groups = new Set<Group>();
    for (const state of ['pending', 'dispatched', 'running'] as const) for (const s of this.inState(set, state)) groups.add(s.group);
    return [...groups];
  }

  async nextDueAt(set: StepSet, after: number): Promise<number | null> {
    let min: number | null = null;
    for (const s of this.inState(set, 'pending')) if (s.dispatchAfter > after && (min === null || s.dispatchAfter < min)) min = s.dispatchAfter;
    return min;
  }

  async claimDispatched(set: StepSet, id: number, worker: string, now: number): Promise<Step | null> {
    return this.run(async (tx) => {
      const current = this.sets[set].rows.get(id);
      if (!current || current.state !== 'dispatched' || current.childBlockUuid !== null) return null;
      const next: Step = { ...current, state: 'running', worker, startedAt: now, heartbeatAt: now, attempts: current.attempts + 1, isThrottled: false, updatedAt: now };
      tx.putStep(next);
      return copy(next);
    });
  }

  async heartbeat(set: StepSet, id: number, worker: string, now: number): Promise<boolean> {
    const s = this.sets[set].rows.get(id);
    if (!s || s.state !== 'running' || s.worker !== worker) return false;
    s.heartbeatAt = now;
    return true;
  }

  async findStaleRunning(set: StepSet, before: number, limit: number): Promise<Step[]> {
    return this.inState(set, 'running').filter((s) => s.childBlockUuid === null && (s.heartbeatAt ?? 0) < before).slice(0, limit).map(copy);
  }

  async findStaleDispatched(set: StepSet, before: number, limit: number): Promise<Step[]> {
    return this.inState(set, 'dispatched').filter((s) => (s.dispatchedAt ?? 0) < before).slice(0, limit).map(copy);
  }

  private settledTrees(steps: Iterable<Step>, before: number): Map<string, Step[]> {
    const trees = new Map<string, Step[]>();
    for (const s of steps) {
      const t = trees.get(s.treeUuid);
      if (t) t.push(s);
      else trees.set(s.treeUuid, [s]);
    }
    for (const [uuid, steps] of trees) {
      const newest = Math.max(...steps.map((s) => s.completedAt ?? Number.POSITIVE_INFINITY));
      if (!steps.every((s) => TERMINAL_STATES.has(s.state)) || !(newest < before)) trees.delete(uuid);
    }
    return trees;
  }

  async archiveSettledTrees(set: StepSet, before: number, limit: number): Promise<number> {
    return this.run(async (tx) => {
      let moved = 0;
      for (const steps of this.settledTrees(this.sets[set].rows.values(), before).values()) {
        if (moved >= limit) break;
        for (const s of steps) tx.archiveStep(s);
        moved += steps.length;
      }
      return moved;
    });
  }

  async purgeArchive(set: StepSet, before: number, limit: number): Promise<number> {
    return this.run(async (tx) => {
      let deleted = 0;
      for (const steps of this.settledTrees(this.sets[set].archive.values(), before).values()) {
        if (deleted >= limit) break;
        for (const s of steps) tx.purgeStep(s);
        deleted += steps.length;
      }
      return deleted;
    });
  }

  async countArchived(set: StepSet): Promise<number> {
    return this.sets[set].archive.size;
  }

  async recordSaturation(sample: SaturationSample): Promise<void> {
    const key = `${sample.set}/${sample.group}/${sample.minute}`;
    const current = this.saturation.get(key);
    if (!current) this.saturation.set(key, { ...sample });
    else {
      current.ticks += sample.ticks;
      current.capped += sample.capped;
      current.cappedWithLeftover += sample.cappedWithLeftover;
      current.dispatched += sample.dispatched;
    }
    // Counters, not money: journaled without waiting for the disk.
    this.onCommit?.({ saturation: [{ ...this.saturation.get(key)! }] });
  }

  async listSaturation(set: StepSet, fromMinute: number): Promise<SaturationSample[]> {
    return [...this.saturation.values()].filter((s) => s.set === set && s.minute >= fromMinute).map((s) => ({ ...s }))
      .sort((a, b) => a.minute - b.minute || a.group.localeCompare(b.group));
  }

  async listEvents(options: { afterId?: number; limit?: number } = {}): Promise<StoredEvent[]> {
    return this.events.filter((e) => e.id > (options.afterId ?? 0)).slice(0, options.limit ?? 100).map((e) => ({ ...e }));
  }

  async countByState(set: StepSet): Promise<Partial<Record<StepState, number>>> {
    const out: Partial<Record<StepState, number>> = {};
    for (const [state, ids] of this.sets[set].byState) if (ids.size > 0) out[state] = ids.size;
    return out;
  }

  async close(): Promise<void> {}
}
