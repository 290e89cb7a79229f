// Runs one root block to its end inside the calling process — for operator commands that must do
// their work now (a fresh install has no fleet running yet, or tyche is down) and say what happened.
// The block is a real block in the store, created and executed by a StepEngine with the fleet's
// handlers, so it shows in the admin like any other; only its queue is private to this process,
// so it never takes work that belongs to the fleet. A step that must wait (a retry, a throttle) is
// left to the fleet's dispatcher, and the caller is told so.
import { MemoryQueue } from '../../core/adapters/memory/memory-queue.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { BlockStepSpec } from '../../core/steps/effects.ts';
import { StepEngine } from '../../core/steps/engine.ts';
import type { HandlerRegistry } from '../../core/steps/registry.ts';
import { TERMINAL_STATES, type Step, type StepSet } from '../../core/steps/step.ts';
import type { StepStore } from '../../core/steps/step-store.port.ts';

const LOCAL = 'local';

/** How the block ended, or that it is still going when the wait ran out. */
export interface RunNowResult {
  root: Step;
  finished: boolean;
  /** Steps of the whole tree by state, e.g. { completed: 12 }. */
  states: Record<string, number>;
}

/** Options of runStepsNow. */
export interface RunStepsNowOptions {
  store: StepStore;
  registry: HandlerRegistry;
  steps: BlockStepSpec[];
  set?: StepSet;
  logger: Logger;
  worker: string;
  /** Longest wait for the block to end (default 120 s). */
  timeoutMs?: number;
  concurrency?: number;
}

/** Starts the block and executes its steps here until it ends or the wait runs out. */
export async function runStepsNow(o: RunStepsNowOptions): Promise<RunNowResult> {
  const queue = new MemoryQueue();
  const engine = new StepEngine({
    store: o.store, queue, registry: o.registry, logger: o.logger, worker: o.worker,
    router: { queueFor: () => LOCAL, recoveryQueueFor: () => LOCAL },
  });
  const consumer = queue.consume(LOCAL, o.concurrency ?? 4, async (job) => {
    await engine.execute(job);
  });
  try {
    const [first] = await engine.start(o.steps, { set: o.set ?? 'default' });
    const deadline = Date.now() + (o.timeoutMs ?? 120_000);
    let root = first!;
    while (!TERMINAL_STATES.has(root.state) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      root = (await o.store.getStep(root.set, root.id))!;
    }
    const states: Record<string, number> = {};
    for (const s of await o.store.listSteps(root.set, { treeUuid: root.treeUuid, limit: 10_000 })) states[s.state] = (states[s.state] ?? 0) + 1;
    return { root, finished: TERMINAL_STATES.has(root.state), states };
  } finally {
    await consumer.close(5_000);
    await queue.close();
  }
}
