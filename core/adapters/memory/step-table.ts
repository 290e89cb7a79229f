// One step set's rows, archive and indexes in the in-memory store.
import { STEP_STATES, type Step, type StepState } from '../../steps/step.ts';

/** One step set's tables and indexes. */
export class StepTable {
  readonly rows = new Map<number, Step>();
  readonly archive = new Map<number, Step>();
  readonly byState = new Map<StepState, Set<number>>(STEP_STATES.map((s) => [s, new Set<number>()]));
  readonly byBlock = new Map<string, number[]>();
  readonly byDedupe = new Map<string, number>();
  nextId = 1;

  put(step: Step, previous: Step | undefined): void {
    if (previous && previous.state !== step.state) this.byState.get(previous.state)!.delete(step.id);
    this.byState.get(step.state)!.add(step.id);
    this.rows.set(step.id, step);
  }

  remove(step: Step): void {
    this.rows.delete(step.id);
    this.byState.get(step.state)!.delete(step.id);
    const block = this.byBlock.get(step.blockUuid);
    if (block) {
      const i = block.indexOf(step.id);
      if (i >= 0) block.splice(i, 1);
      if (block.length === 0) this.byBlock.delete(step.blockUuid);
    }
    if (step.dedupeKey !== null) this.byDedupe.delete(step.dedupeKey);
  }

  /** A block's steps ordered by index then id (ids are kept in insertion order, which is usually that order already). */
  block(blockUuid: string): Step[] {
    const ids = this.byBlock.get(blockUuid);
    if (!ids) return [];
    const steps = new Array<Step>(ids.length);
    let sorted = true;
    for (let i = 0; i < ids.length; i++) {
      steps[i] = this.rows.get(ids[i]!)!;
      if (i > 0 && steps[i]!.index < steps[i - 1]!.index) sorted = false;
    }
    return sorted ? steps : steps.sort((a, b) => a.index - b.index || a.id - b.id);
  }

  /** Writes a step as a journal recorded it: inserted with its indexes when new, replaced otherwise. */
  restore(step: Step): void {
    const previous = this.rows.get(step.id);
    if (!previous) {
      let block = this.byBlock.get(step.blockUuid);
      if (!block) this.byBlock.set(step.blockUuid, (block = []));
      block.push(step.id);
      if (step.dedupeKey !== null) this.byDedupe.set(step.dedupeKey, step.id);
    }
    this.put({ ...step }, previous);
    this.nextId = Math.max(this.nextId, step.id + 1);
  }
}
