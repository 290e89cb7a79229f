// The Queues consumer's outcome mapping on the memory store: ran/ignored ack, a throw retries with
// backoff, a malformed body is acked (retrying cannot fix it), a tick dispatches due steps, and a
// redelivery takes back the run its failed delivery left behind.
import { describe, expect, it } from 'vitest';
import { testHandlers } from '../../../test/support/test-handlers.ts';
import { ManualClock } from '../../ports/clock.ts';
import { StepEngine } from '../../steps/engine.ts';
import { HandlerRegistry } from '../../steps/registry.ts';
import { MemoryStepStore } from '../memory/memory-step-store.ts';
import { CloudflareQueuePort, type QueueMessage } from './cloudflare-queues.ts';
import { consumeStepBatch } from './step-consumer.ts';

function message(id: string, body: unknown, attempts = 1) {
  const fate: { acked: boolean; retried: number | null } = { acked: false, retried: null };
  const m: QueueMessage = { id, body, attempts, ack: () => (fate.acked = true), retry: (o) => (fate.retried = o?.delaySeconds ?? 0) };
  return { m, fate };
}

function setup() {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const store = new MemoryStepStore();
  const sent: unknown[] = [];
  const queue = new CloudflareQueuePort(() => ({ send: async (body) => void sent.push(body) }));
  const registry = new HandlerRegistry(testHandlers);
  const engineFor = (identity: string) => new StepEngine({ store, queue, registry, clock, worker: identity });
  return { clock, store, sent, queue, engineFor };
}

describe('consumeStepBatch', () => {
  it('runs each step message, sends the next step to the producer, and acks', async () => {
    const s = setup();
    await s.engineFor('p').start([{ handler: 'test.log', args: { tag: 'a' } }, { handler: 'test.log', args: { tag: 'b' }, index: 1 }]);
    expect(s.sent).toEqual([{ kind: 'step', set: 'default', stepId: expect.any(Number), dispatchedAt: s.clock.now() }]);
    const first = message('m1', s.sent.shift());
    const duplicate = message('m2', first.m.body);
    const outcomes: string[] = [];
    await consumeStepBatch({ queue: 'kraite-steps', messages: [first.m, duplicate.m] }, { engineFor: s.engineFor, concurrency: 1, onResult: (r) => outcomes.push(r.outcome) });
    expect(outcomes).toEqual(['ran', 'ignored']);
    expect([first.fate, duplicate.fate]).toEqual([{ acked: true, retried: null }, { acked: true, retried: null }]);
    expect(s.sent).toHaveLength(1);
  });

  it('retries a message whose run threw, with backoff by attempt; acks a malformed body', async () => {
    const s = setup();
    const broken = { ...s, engineFor: (id: string) => Object.assign(s.engineFor(id), { execute: async () => { throw new Error('store unreachable'); } }) };
    const step = message('m1', { kind: 'step', set: 'default', stepId: 1, dispatchedAt: 0 }, 3);
    const junk = message('m2', { hello: 'world' });
    await consumeStepBatch({ queue: 'q', messages: [step.m, junk.m] }, { engineFor: broken.engineFor, concurrency: 1 });
    expect(step.fate).toEqual({ acked: false, retried: 8 });
    expect(junk.fate).toEqual({ acked: true, retried: null });
  });

  it('re-runs, on redelivery, the step its failed delivery left running', async () => {
    const s = setup();
    const [step] = await s.engineFor('p').start([{ handler: 'test.log', args: { tag: 'r' } }]);
    // The first delivery claimed the step, then its invocation died.
    await s.store.claimDispatched('default', step!.id, 'cf-steps:m1#dead', s.clock.now());
    const redelivery = message('m1', s.sent.shift(), 2);
    const outcomes: string[] = [];
    await consumeStepBatch({ queue: 'q', messages: [redelivery.m] }, { engineFor: s.engineFor, onResult: (r) => outcomes.push(r.outcome) });
    expect(outcomes).toEqual(['adopted', 'ran']);
    expect((await s.store.getStep('default', step!.id))!.state).toBe('completed');
    // Another delivery's run is never taken.
    const [other] = await s.engineFor('p').start([{ handler: 'test.log', args: { tag: 'o' } }]);
    await s.store.claimDispatched('default', other!.id, 'cf-steps:m9#live', s.clock.now());
    const stranger = message('m3', { kind: 'step', set: 'default', stepId: other!.id, dispatchedAt: 0 }, 2);
    outcomes.length = 0;
    await consumeStepBatch({ queue: 'q', messages: [stranger.m] }, { engineFor: s.engineFor, onResult: (r) => outcomes.push(r.outcome) });
    expect(outcomes).toEqual(['ignored']);
  });

  it('turns a tick into a dispatcher pass over the active groups', async () => {
    const s = setup();
    await s.engineFor('p').start([{ handler: 'test.log', args: { tag: 'late' }, delayMs: 5_000 }]);
    expect(s.sent).toEqual([]);
    s.clock.advance(5_000);
    await consumeStepBatch({ queue: 'q', messages: [message('t', { kind: 'tick', at: s.clock.now() }).m] }, { engineFor: s.engineFor });
    expect(s.sent).toEqual([expect.objectContaining({ kind: 'step' })]);
  });
});
