import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RecordingQueue } from '../../test/support/recording-queue.ts';
import { MemoryStepStore } from '../adapters/memory/memory-step-store.ts';
import { ThrottledExchangeError } from '../exchange/exchange-errors.ts';
import { ManualClock } from '../ports/clock.ts';
import { sequentialIds } from '../ports/ids.ts';
import { result } from './effects.ts';
import { StepEngine } from './engine.ts';
import { defineHandler, HandlerRegistry } from './registry.ts';

let governorWaits = 0;
const placeOrder = defineHandler({
  name: 'order.place', lane: 'orders', args: z.object({}),
  run: async (_job, ctx) => {
    // The exchange governor says this IP is out of weight for 350 ms.
    if (governorWaits++ === 0) throw new ThrottledExchangeError('WEIGHT_BUDGET', 'weight budget spent on 10.0.0.4', 350, ctx.clock.now());
    return result.complete();
  },
});

const activate = defineHandler({
  name: 'position.activate', lane: 'positions', args: z.object({ positionId: z.number().int() }),
  run: async (job, ctx) => {
    const [position] = await ctx.rows.findRows('positions', { id: job.args.positionId });
    return result.complete([
      { kind: 'update', table: 'positions', where: { id: job.args.positionId, status: 'opening' }, set: { status: 'active' }, required: true },
      { kind: 'insert', table: 'audit', row: { position_id: job.args.positionId, seen_status: String(position?.status) } },
    ]);
  },
});

function setup() {
  const store = new MemoryStepStore();
  const queue = new RecordingQueue();
  const clock = new ManualClock();
  const engine = new StepEngine({ store, queue, clock, ids: sequentialIds(), registry: new HandlerRegistry([activate, placeOrder]), limits: { backoffMs: 50 } });
  return { store, queue, engine, clock };
}

describe('step engine effects', () => {
  it('applies conditional writes and the transition in one transaction', async () => {
    const { store, queue, engine } = setup();
    await store.transaction((tx) => tx.insertRow('positions', { id: 7, status: 'opening' }));
    const [step] = await engine.start([{ handler: 'position.activate', args: { positionId: 7 } }]);
    expect(await engine.execute(queue.take()!)).toBe('ran');
    expect(await store.findRows('positions', { id: 7 })).toEqual([{ id: 7, status: 'active' }]);
    expect(await store.findRows('audit', {})).toEqual([{ id: 1, position_id: 7, seen_status: 'opening' }]);
    expect((await store.getStep('default', step!.id))!.state).toBe('completed');
  });

  it('rolls back every effect and retries when a required write finds the status changed', async () => {
    const { store, queue, engine } = setup();
    await store.transaction((tx) => tx.insertRow('positions', { id: 8, status: 'closing' }));
    const [step] = await engine.start([{ handler: 'position.activate', args: { positionId: 8 } }]);
    await engine.execute(queue.take()!);
    const s = (await store.getStep('default', step!.id))!;
    expect([s.state, s.attempts]).toEqual(['pending', 1]);
    expect(s.errorMessage).toContain('conditional update on positions matched no row');
    expect(await store.findRows('audit', {})).toEqual([]);
    expect(await store.findRows('positions', { id: 8 })).toEqual([{ id: 8, status: 'closing' }]);
  });

  it('refuses unknown handlers and bad arguments before anything is written', async () => {
    const { store, engine } = setup();
    await expect(engine.start([{ handler: 'position.activate', args: { positionId: 'x' } }])).rejects.toThrow(/argument positionId/);
    expect(await store.listSteps('default', {})).toEqual([]);
  });
});

describe('exchange throttling', () => {
  it('turns a governor wait into a throttle reschedule that spends no attempt', async () => {
    const { store, queue, engine, clock } = setup();
    const [step] = await engine.start([{ handler: 'order.place' }]);
    await engine.execute(queue.take()!);
    let s = (await store.getStep('default', step!.id))!;
    expect([s.state, s.attempts, s.isThrottled, s.dispatchAfter - clock.now()]).toEqual(['pending', 0, true, 350]);
    clock.advance(350);
    await store.transaction((tx) => tx.updateStep('default', step!.id, ['pending'], { state: 'dispatched' }));
    await engine.execute({ set: 'default', stepId: step!.id, dispatchedAt: clock.now() });
    s = (await store.getStep('default', step!.id))!;
    expect([s.state, s.attempts]).toEqual(['completed', 1]);
  });
});

describe('deduplicated starts', () => {
  it('two concurrent starts with one dedupe key yield one block', async () => {
    const { store, engine } = setup();
    await store.transaction((tx) => tx.insertRow('positions', { id: 9, status: 'opening' }));
    const spec = [{ handler: 'position.activate', args: { positionId: 9 } }];
    const [a, b] = await Promise.all([engine.start(spec, { dedupeKey: 'fill:42' }), engine.start(spec, { dedupeKey: 'fill:42' })]);
    expect(a![0]!.id).toBe(b![0]!.id);
    expect((await store.listSteps('default', {})).length).toBe(1);
  });
});
