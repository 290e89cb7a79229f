// The HTTP push pair on the memory store: each push is a signed POST /steps/:id/run to the entry,
// which runs the step and pushes the next one the same way, until the block is done.
import { describe, expect, it } from 'vitest';
import { runs, testHandlers } from '../../../test/support/test-handlers.ts';
import { ManualClock } from '../../ports/clock.ts';
import { StepEngine } from '../../steps/engine.ts';
import { HandlerRegistry } from '../../steps/registry.ts';
import { MemoryStepStore } from '../memory/memory-step-store.ts';
import { httpStepEntry } from './http-step-entry.ts';
import { HttpPushQueue } from './http-push-queue.ts';

const SECRET = 'x'.repeat(32);

describe('HTTP push queue and step entry', () => {
  it('runs a three-step block hop by hop over signed requests', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const store = new MemoryStepStore();
    const posted: string[] = [];
    const holder: { entry?: ReturnType<typeof httpStepEntry> } = {};
    const queue = new HttpPushQueue({
      baseUrl: 'https://steps.example', secret: SECRET, clock,
      fetch: async (input, init) => {
        posted.push(String(input));
        return (await holder.entry!(new Request(input as string, init))) ?? new Response('no route', { status: 404 });
      },
    });
    const engine = new StepEngine({ store, queue, registry: new HandlerRegistry(testHandlers), clock, worker: 'http' });
    holder.entry = httpStepEntry({ engine, secret: SECRET, clock });
    const tags = ['h1', 'h2', 'h3'].map((t) => `${t}-${crypto.randomUUID()}`);
    const [first] = await engine.start(tags.map((tag, index) => ({ handler: 'test.log', args: { tag }, index })));
    expect(tags.map((t) => runs.get(t))).toEqual([1, 1, 1]);
    expect(posted).toEqual([0, 1, 2].map((k) => `https://steps.example/steps/${first!.id + k}/run`));
    expect(await store.countByState('default')).toEqual({ completed: 3 });
  });

  it('refuses an unsigned request and ignores other paths', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const engine = new StepEngine({ store: new MemoryStepStore(), queue: new HttpPushQueue({ baseUrl: 'https://x', secret: SECRET, clock }), registry: new HandlerRegistry(testHandlers), clock });
    const entry = httpStepEntry({ engine, secret: SECRET, clock });
    expect((await entry(new Request('https://x/steps/1/run', { method: 'POST', body: '{}' })))!.status).toBe(401);
    expect(await entry(new Request('https://x/other'))).toBeNull();
    expect(() => httpStepEntry({ engine, secret: 'short', clock })).toThrow(/at least 32 characters/);
  });
});
