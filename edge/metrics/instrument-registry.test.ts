import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { result } from '../../core/steps/effects.ts';
import { defineHandler, HandlerRegistry } from '../../core/steps/registry.ts';
import { createFleetMetrics } from './fleet-metrics.ts';
import { instrumentRegistry } from './instrument-registry.ts';

describe('instrumentRegistry', () => {
  it('counts each run as started, then completed, failed (returned or thrown) or retried, per handler and lane', async () => {
    const outcomes = [result.complete(), result.skip('x'), result.fail('no'), result.retryAfter(10)];
    let i = 0;
    const h = defineHandler({ name: 'demo.step', lane: 'orders', args: z.object({}), run: async () => {
      if (i === outcomes.length) throw new Error('boom');
      return outcomes[i++]!;
    } });
    const m = createFleetMetrics();
    const registry = instrumentRegistry(new HandlerRegistry([h]), m);
    expect(registry.names()).toEqual(['demo.step']);
    const run = registry.get('demo.step').run;
    for (let k = 0; k < 4; k++) await run({} as never, {} as never);
    await expect(run({} as never, {} as never)).rejects.toThrow('boom');
    const value = async (c: { get(): Promise<{ values: { value: number; labels: Record<string, unknown> }[] }> }) => (await c.get()).values.find((v) => v.labels.handler === 'demo.step' && v.labels.lane === 'orders')?.value;
    expect([await value(m.stepsStarted), await value(m.stepsCompleted), await value(m.stepsFailed), await value(m.stepsRetried)]).toEqual([5, 2, 2, 1]);
  });
});
