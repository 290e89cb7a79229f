// The dispatcher panel's per-set figures agree with the local daemon's counters: the minute in
// progress (not yet written to the store) counts, and a written minute is not counted twice.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemoryQueue } from '../../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../../core/adapters/memory/memory-step-store.ts';
import { ManualClock } from '../../core/ports/clock.ts';
import { DispatchDaemon } from '../../core/steps/dispatch-daemon.ts';
import { result } from '../../core/steps/effects.ts';
import { StepEngine } from '../../core/steps/engine.ts';
import { defineHandler, HandlerRegistry } from '../../core/steps/registry.ts';
import type { Group } from '../../core/steps/step.ts';
import { dashboardData } from './dashboard-data.ts';
import { engineFleet } from './engine-fleet.ts';

const noop = defineHandler({ name: 'noop', lane: 'work', args: z.object({}), run: async () => result.complete() });

function embedded() {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 10));
  const queue = new MemoryQueue({ now: () => clock.now() });
  const engine = new StepEngine({ store: new MemoryStepStore(), queue, registry: new HandlerRegistry([noop]), clock });
  const daemon = new DispatchDaemon(engine, { recoverEveryMs: 0 });
  const fleet = engineFleet({ engine, queue, queues: [], daemon, boxes: ['athena', 'pheme'], mode: { store: 'memory', queue: 'memory' } });
  return { clock, engine, daemon, fleet };
}

const perSet = async (h: ReturnType<typeof embedded>) => {
  const d = await dashboardData(h.fleet, h.clock);
  const dispatched = d.saturation.reduce((n, s) => n + s.dispatched, 0);
  const charted = d.saturation.flatMap((s) => s.perMinute).reduce((n, m) => n + m.dispatched, 0);
  return { daemon: d.dispatcher!.dispatched, dispatched, charted };
};

describe('dashboard data: the dispatcher panel on the embedded runner', () => {
  it('counts the minute in progress in the per-set table and chart, as the daemon line does', async () => {
    const h = embedded();
    for (const group of ['alpha', 'beta', 'gamma'] as const) await h.engine.start([{ handler: 'noop', delayMs: 10 }], { group });
    h.clock.advance(10);
    await h.daemon.tickOnce();
    expect(await perSet(h)).toEqual({ daemon: 3, dispatched: 3, charted: 3 });
  });

  it('counts a written minute once, beside the next minute still in progress', async () => {
    const h = embedded();
    const dispatchOne = async (group: Group) => {
      await h.engine.start([{ handler: 'noop', delayMs: 10 }], { group });
      h.clock.advance(10);
      await h.daemon.tickOnce();
    };
    await dispatchOne('alpha');
    h.clock.advance(60_000);
    await dispatchOne('beta'); // a new minute: the first one is written to the store
    await h.daemon.flush();
    await dispatchOne('gamma');
    expect(await perSet(h)).toEqual({ daemon: 3, dispatched: 3, charted: 3 });
    expect((await h.fleet.store.listSaturation('default', 0)).reduce((n, s) => n + s.dispatched, 0)).toBe(2);
  });
});
