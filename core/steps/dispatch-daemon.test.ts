import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemoryStepStore } from '../adapters/memory/memory-step-store.ts';
import { ManualClock } from '../ports/clock.ts';
import { sequentialIds } from '../ports/ids.ts';
import { RecordingQueue } from '../../test/support/recording-queue.ts';
import { DispatchDaemon } from './dispatch-daemon.ts';
import { result } from './effects.ts';
import { StepEngine } from './engine.ts';
import { defineHandler, HandlerRegistry } from './registry.ts';
import type { StepStore } from './step-store.port.ts';

const noop = defineHandler({ name: 'noop', lane: 'work', args: z.object({}), run: async () => result.complete() });

function setup(store: StepStore = new MemoryStepStore()) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 30));
  const queue = new RecordingQueue();
  const engine = new StepEngine({ store, queue, registry: new HandlerRegistry([noop]), clock, ids: sequentialIds(), limits: { tickCap: 3 } });
  return { clock, queue, engine, store, daemon: new DispatchDaemon(engine, { recoverEveryMs: 0 }) };
}

describe('dispatch daemon', () => {
  it('ticks only groups with work and dispatches due steps', async () => {
    const { engine, daemon, queue, clock } = setup();
    await engine.start([{ handler: 'noop', delayMs: 100 }], { group: 'gamma' });
    expect(await daemon.tickOnce()).toEqual([expect.objectContaining({ group: 'gamma', dispatched: 0 })]);
    clock.advance(100);
    const [r] = await daemon.tickOnce();
    expect([r!.group, r!.dispatched, queue.pushed.length]).toEqual(['gamma', 1, 1]);
  });

  it('is idle when the database shows no work', async () => {
    const { daemon } = setup();
    expect(await daemon.tickOnce()).toEqual([]);
  });

  it('records saturation: capped ticks and capped-with-leftover ticks per group and minute', async () => {
    const { engine, daemon, clock, store } = setup();
    for (let i = 0; i < 7; i++) await engine.start([{ handler: 'noop', delayMs: 10 }], { group: 'alpha' });
    clock.advance(10);
    await daemon.tickOnce(); // 3 of 7, leftover
    await daemon.tickOnce(); // 3 of 4, leftover
    await daemon.tickOnce(); // 1, not capped
    await daemon.flush();
    const [sample] = await store.listSaturation('default', 0);
    expect(sample).toMatchObject({ group: 'alpha', ticks: 3, capped: 2, cappedWithLeftover: 2, dispatched: 7 });
  });

  it('contains a failing group: the others are still dispatched', async () => {
    const inner = new MemoryStepStore();
    let broken = true;
    const store = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop !== 'transaction') return Reflect.get(target, prop, receiver);
        return (fn: Parameters<StepStore['transaction']>[0]) => target.transaction((tx) => fn(new Proxy(tx, {
          get(t, p, r) {
            if (p === 'claimRunnable') return async (...a: Parameters<typeof t.claimRunnable>) => {
              if (broken && a[1] === 'beta') throw new Error('deadlock storm in beta');
              return t.claimRunnable(...a);
            };
            return Reflect.get(t, p, r);
          },
        })));
      },
    });
    const { engine, daemon, queue, clock } = setup(store);
    await engine.start([{ handler: 'noop', delayMs: 5 }], { group: 'beta' });
    await engine.start([{ handler: 'noop', delayMs: 5 }], { group: 'delta' });
    clock.advance(5);
    await daemon.tickOnce();
    expect(queue.pushed.map((p) => p.job.stepId)).toEqual([2]);
    expect(daemon.stats.groupFailures).toBe(1);
    broken = false;
    await daemon.tickOnce();
    expect(queue.pushed.map((p) => p.job.stepId).sort()).toEqual([1, 2]);
  });
});
