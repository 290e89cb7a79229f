// Every state change the engine writes passes the legal-transition table: a transaction handed to
// engine code refuses an illegal move before it reaches the store.
import type { Row } from './effects.ts';
import type { InsertOptions, StepEvent, StepTx } from './step-store.port.ts';
import type { Group, NewStep, Step, StepPatch, StepSet, StepState } from './step.ts';
import { assertTransition } from './transitions.ts';

/** StepTx that checks `updateStep` moves against the table (a class: no closures per transaction on the hot path). */
class GuardedTx implements StepTx {
  constructor(private readonly tx: StepTx) {}
  findRows(table: string, where: Row, options?: { orderBy?: string; desc?: boolean; limit?: number }): Promise<Row[]> {
    return this.tx.findRows(table, where, options);
  }
  insertSteps(steps: NewStep[], options?: InsertOptions): Promise<Step[]> {
    return this.tx.insertSteps(steps, options);
  }
  getStep(set: StepSet, id: number, options?: { lock?: boolean }): Promise<Step | null> {
    return this.tx.getStep(set, id, options);
  }
  findByDedupeKey(set: StepSet, key: string): Promise<Step | null> {
    return this.tx.findByDedupeKey(set, key);
  }
  lockBlock(set: StepSet, blockUuid: string): Promise<Step[]> {
    return this.tx.lockBlock(set, blockUuid);
  }
  updateStep(set: StepSet, id: number, expected: StepState[], patch: StepPatch): Promise<boolean> {
    if (patch.state !== undefined) for (const from of expected) assertTransition(from, patch.state);
    return this.tx.updateStep(set, id, expected, patch);
  }
  claimRunnable(set: StepSet, group: Group, now: number, limit: number): Promise<Step[]> {
    return this.tx.claimRunnable(set, group, now, limit);
  }
  findWaitingParents(set: StepSet, group: Group, limit: number): Promise<Step[]> {
    return this.tx.findWaitingParents(set, group, limit);
  }
  insertEvents(events: StepEvent[]): Promise<void> {
    return this.tx.insertEvents(events);
  }
  insertRow(table: string, row: Row, options?: { ignoreDuplicate?: boolean }): Promise<boolean> {
    return this.tx.insertRow(table, row, options);
  }
  appendRow(table: string, row: Row): Promise<number> {
    return this.tx.appendRow(table, row);
  }
  updateRows(table: string, where: Row, set: Row): Promise<number> {
    return this.tx.updateRows(table, where, set);
  }
}

/** Wraps `tx` so `updateStep` throws IllegalTransitionError for a move the table does not allow. */
export function guardTransitions(tx: StepTx): StepTx {
  return new GuardedTx(tx);
}
