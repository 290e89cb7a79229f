import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemoryStepStore } from '../adapters/memory/memory-step-store.ts';
import { ManualClock } from '../ports/clock.ts';
import { sequentialIds } from '../ports/ids.ts';
import { RecordingQueue } from '../../test/support/recording-queue.ts';
import { result } from './effects.ts';
import { StepEngine } from './engine.ts';
import { reclaimOwnSteps } from './reclaim.ts';
import { defineHandler, HandlerRegistry } from './registry.ts';
import type { StepEvent } from './step-store.port.ts';

let release: () => void = () => {};
const noop = defineHandler({ name: 'noop', lane: 'work', args: z.object({}), run: async () => result.complete() });
const held = defineHandler({ name: 'held', lane: 'work', args: z.object({}), run: async () => new Promise((r) => (release = () => r(result.complete()))) });

function setup() {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 30));
  const store = new MemoryStepStore();
  const queue = new RecordingQueue();
  const events: StepEvent[] = [];
  const engine = new StepEngine({ store, queue, registry: new HandlerRegistry([noop, held]), clock, ids: sequentialIds(), worker: 'eos@h', onEvents: (e) => events.push(...e) });
  /** A root step left running by `worker` with its last beat at `beatAt`. */
  const running = async (worker: string, beatAt: number) => {
    const [step] = await engine.start([{ handler: 'noop' }]);
    await store.transaction((tx) => tx.updateStep('default', step!.id, ['dispatched'], { state: 'running', worker, heartbeatAt: beatAt, startedAt: beatAt }));
    return step!.id;
  };
  return { clock, store, queue, engine, events, running };
}

describe('reclaimOwnSteps', () => {
  it('takes back only this identity\'s dead runs: not another box\'s, not a look-alike identity, not a run still beating', async () => {
    const { clock, store, queue, engine, events, running } = setup();
    const now = clock.now();
    const dead = await running('eos@h#dead0001', now - 20_000);
    const otherBox = await running('iris@h#aaaa0001', now - 20_000);
    const lookAlike = await running('eos@hx#bbbb0001', now - 20_000);
    const beating = await running('eos@h#twin0001', now);
    queue.pushed.length = 0;

    expect(await reclaimOwnSteps(engine, 'default', now - 6_000)).toBe(1);
    const state = async (id: number) => (await store.getStep('default', id))!;
    expect((await state(dead)).state).toBe('dispatched');
    expect(queue.pushed.map((p) => p.job.stepId)).toEqual([dead]);
    for (const id of [otherBox, lookAlike, beating]) expect((await state(id)).state).toBe('running');
    expect(events.map((e) => [e.kind, e.stepId])).toEqual([['step.reclaimed', dead]]);
    expect(events[0]!.message).toMatch(/was running on eos@h#dead0001 when that process died/);
  });

  it('never takes a run this process is executing, however old its beat', async () => {
    const { clock, store, engine } = setup();
    const [step] = await engine.start([{ handler: 'held' }]);
    const run = engine.execute({ set: 'default', stepId: step!.id, dispatchedAt: clock.now() });
    await expect.poll(async () => (await store.getStep('default', step!.id))!.state).toBe('running');
    clock.advance(60_000);
    expect(await reclaimOwnSteps(engine, 'default', clock.now())).toBe(0);
    release();
    expect(await run).toBe('ran');
    expect((await store.getStep('default', step!.id))!.state).toBe('completed');
  });
});
