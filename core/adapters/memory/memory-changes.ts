// What the in-memory store tells a journal: each committed transaction as the after-images of the
// rows it changed (replaying them in order is idempotent), and its whole state as a snapshot. The
// file I/O lives in edge/ (edge/runtime/paper-state.ts): this stays runtime-neutral.
import type { Row } from '../../steps/effects.ts';
import type { SaturationSample, StoredEvent } from '../../steps/step-store.port.ts';
import type { Step, StepSet } from '../../steps/step.ts';
import type { RowsSnapshot } from './memory-rows.ts';

/** One committed change: after-images of steps and rows, moves to and out of the archive, appended events. */
export interface MemoryChange {
  steps?: [StepSet, Step][];
  archived?: [StepSet, number[]][];
  purged?: [StepSet, number[]][];
  rows?: [string, Row][];
  events?: StoredEvent[];
  saturation?: SaturationSample[];
}

/** One step set's rows, archive and next id. */
export interface StepSetSnapshot {
  rows: Step[];
  archive: Step[];
  nextId: number;
}

/** The whole store. */
export interface MemorySnapshot {
  version: 1;
  sets: Record<StepSet, StepSetSnapshot>;
  rows: RowsSnapshot;
  events: StoredEvent[];
  saturation: SaturationSample[];
}

/** Collects what one transaction changed, by key, so a row written twice is journaled once. */
export class ChangeCollector {
  private readonly steps = new Map<StepSet, Set<number>>();
  private readonly rows = new Map<string, Set<number>>();
  private readonly archived = new Map<StepSet, number[]>();
  private readonly purged = new Map<StepSet, number[]>();
  private eventsFrom: number | null = null;

  step(set: StepSet, id: number): void {
    let ids = this.steps.get(set);
    if (!ids) this.steps.set(set, (ids = new Set()));
    ids.add(id);
  }

  row = (table: string, id: number): void => {
    let ids = this.rows.get(table);
    if (!ids) this.rows.set(table, (ids = new Set()));
    ids.add(id);
  };

  archive(set: StepSet, id: number): void {
    this.steps.get(set)?.delete(id);
    const ids = this.archived.get(set) ?? [];
    ids.push(id);
    this.archived.set(set, ids);
  }

  purge(set: StepSet, id: number): void {
    const ids = this.purged.get(set) ?? [];
    ids.push(id);
    this.purged.set(set, ids);
  }

  events(from: number): void {
    this.eventsFrom ??= from;
  }

  /** The record of what was collected, read from the committed state; null when nothing changed. */
  build(read: { step(set: StepSet, id: number): Step | undefined; row(table: string, id: number): Row | undefined; events(from: number): StoredEvent[] }): MemoryChange | null {
    const change: MemoryChange = {};
    const steps: [StepSet, Step][] = [];
    for (const [set, ids] of this.steps) for (const id of ids) {
      const s = read.step(set, id);
      if (s) steps.push([set, { ...s }]);
    }
    if (steps.length) change.steps = steps;
    if (this.archived.size) change.archived = [...this.archived];
    if (this.purged.size) change.purged = [...this.purged];
    const rows: [string, Row][] = [];
    for (const [table, ids] of this.rows) for (const id of ids) {
      const r = read.row(table, id);
      if (r) rows.push([table, { ...r }]);
    }
    if (rows.length) change.rows = rows;
    if (this.eventsFrom !== null) {
      const events = read.events(this.eventsFrom);
      if (events.length) change.events = events;
    }
    return Object.keys(change).length ? change : null;
  }
}
