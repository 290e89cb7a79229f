// Drives a StepEngine over a given store and queue with a manual clock: consumers run jobs as they
// arrive; `settle` ticks the dispatcher until nothing is in flight.
import { ManualClock } from '../../core/ports/clock.ts';
import { cryptoIds } from '../../core/ports/ids.ts';
import type { Consumer, QueuePort, StepJob } from '../../core/queue/queue.port.ts';
import { tickGroup } from '../../core/steps/dispatcher.ts';
import { StepEngine, type ExecuteResult } from '../../core/steps/engine.ts';
import type { EngineLimits } from '../../core/steps/engine-options.ts';
import { HandlerRegistry } from '../../core/steps/registry.ts';
import type { StepEvent, StepStore } from '../../core/steps/step-store.port.ts';
import { STEP_SETS } from '../../core/steps/step.ts';
import { testHandlers } from './test-handlers.ts';

/** A store and queue under test, with their teardown. */
export interface EngineParts {
  store: StepStore;
  queue: QueuePort;
  cleanup(): Promise<void>;
}

/** The lanes test handlers use. */
export const TEST_LANES = ['work', 'priority'];

/** Steps dispatched, or running without waiting on a child block, in either set. */
export async function stepsInFlight(store: StepStore): Promise<boolean> {
  for (const set of STEP_SETS) {
    const busy = await store.listSteps(set, { state: ['dispatched', 'running'], limit: 1000 });
    if (busy.some((s) => s.state === 'dispatched' || s.childBlockUuid === null)) return true;
  }
  return false;
}

/** One dispatcher tick over every active group of both sets; returns the steps dispatched or settled. */
export async function tickActiveGroups(engine: StepEngine, store: StepStore): Promise<number> {
  let moved = 0;
  for (const set of STEP_SETS) {
    for (const g of await store.activeGroups(set)) {
      const r = await tickGroup(engine, set, g, { settleParents: true });
      moved += r.dispatched + r.settled;
    }
  }
  return moved;
}

/** A running engine over the parts. */
export interface EngineHarness {
  engine: StepEngine;
  store: StepStore;
  queue: QueuePort;
  clock: ManualClock;
  events: StepEvent[];
  /** Every job a consumer received. */
  received: StepJob[];
  /** What `execute` answered for each received job, in completion order. */
  outcomes: ExecuteResult[];
  settle(deadlineMs?: number): Promise<void>;
  /** Log messages (`notify` subject "log") in commit order. */
  log(): Promise<string[]>;
  close(): Promise<void>;
}

/** Builds the harness; `consume: false` leaves the queues without consumers. */
export async function startHarness(parts: EngineParts, options: { consume?: boolean; limits?: Partial<EngineLimits>; worker?: string; chain?: boolean } = {}): Promise<EngineHarness> {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const events: StepEvent[] = [];
  const engine = new StepEngine({
    store: parts.store, queue: parts.queue, registry: new HandlerRegistry(testHandlers), clock, ids: cryptoIds,
    worker: options.worker ?? 'test-worker', onEvents: (e) => events.push(...e), limits: options.limits,
    chain: options.chain && options.consume !== false ? (lane) => TEST_LANES.includes(lane) : undefined,
  });
  const received: StepJob[] = [];
  const outcomes: ExecuteResult[] = [];
  const consumers: Consumer[] = options.consume === false ? [] : TEST_LANES.map((lane) =>
    parts.queue.consume(lane, 4, async (job) => {
      received.push(job);
      outcomes.push(await engine.execute(job));
    }));

  return {
    engine, store: parts.store, queue: parts.queue, clock, events, received, outcomes,
    async settle(deadlineMs = 15_000) {
      const deadline = Date.now() + deadlineMs;
      for (;;) {
        const moved = await tickActiveGroups(engine, parts.store);
        if (moved === 0 && !(await stepsInFlight(parts.store))) return;
        if (Date.now() > deadline) throw new Error('engine did not settle before the deadline');
        await new Promise((r) => setTimeout(r, 2));
      }
    },
    async log() {
      const all = await parts.store.listEvents({ limit: 10_000 });
      return all.filter((e) => e.subject === 'log').map((e) => e.message);
    },
    async close() {
      await Promise.all(consumers.map((c) => c.close(5_000)));
      await parts.cleanup();
    },
  };
}
