// The in-memory StepStore for the embedded mode and fast tests. Transactions are serialised by a
// mutex and undone from a log on throw, so it honours the same contract as the MySQL adapter. Its
// committed changes can be journaled (onCommit, durable) and its state snapshotted and restored:
// edge/runtime/paper-state.ts keeps the embedded fleet's store across restarts that way.
import type { Row } from '../../steps/effects.ts';
import type { SaturationSample, StepFilter, StepStore, StepTx, StoredEvent, TransactionOptions } from '../../steps/step-store.port.ts';
import { TERMINAL_STATES, type Group, type Step, type StepSet, type StepState } from '../../steps/step.ts';
import type { MemoryChange, MemorySnapshot } from './memory-changes.ts';
import { MemoryTx } from './memory-tx.ts';
import { MemoryRows, type UniqueKeys } from './memory-rows.ts';
import { StepTable } from './step-table.ts';

/** Options of the in-memory store. */
export interface MemoryStepStoreOptions {
  /** Unique keys of domain tables (SQL declares these in migrations). */
  uniqueKeys?: UniqueKeys;
  /**
   * Told each committed transaction's changes, in commit order, before any other transaction can
   * see them (a journal appends them: edge/runtime/paper-state.ts). Throwing fails the commit.
   */
  onCommit?: (change: MemoryChange) => void;
  /** Awaited after a transaction that changed something, before its result is handed back (the journal's fsync). */
  durable?: () => Promise<void>;
}

const copy = (s: Step): Step => ({ ...s });

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

  // Not async itself: a wrapper's extra turns would reorder it against frames and steps that
  // scenario tests interleave at microtask granularity.
  transaction<T>(fn: (tx: StepTx) => Promise<T>, _options?: TransactionOptions): Promise<T> {
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
