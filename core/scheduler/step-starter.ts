// What the scheduler needs of the step engine: start a root block under a dedupe key, find the
// block a key created, and know each handler's default set. A narrow port so the scheduler is
// testable without a queue.
import type { StepEngine } from '../steps/engine.ts';
import type { BlockStepSpec } from '../steps/effects.ts';
import type { Step, StepSet } from '../steps/step.ts';

/** Starts root blocks for the scheduler. */
export interface StepStarter {
  start(specs: BlockStepSpec[], options: { set: StepSet; dedupeKey: string }): Promise<Step[]>;
  findByDedupeKey(set: StepSet, key: string): Promise<Step | null>;
  /** Whether this process can create steps of `handler` (it is registered). */
  has(handler: string): boolean;
  /** The handler's default set. */
  setOf(handler: string): StepSet;
}

/** The starter over a StepEngine. */
export function engineStarter(engine: StepEngine): StepStarter {
  const { registry, store } = engine.o;
  return {
    start: (specs, options) => engine.start(specs, options),
    findByDedupeKey: (set, key) => store.transaction((tx) => tx.findByDedupeKey(set, key)),
    has: (handler) => registry.has(handler),
    setOf: (handler) => registry.get(handler).set ?? 'default',
  };
}
