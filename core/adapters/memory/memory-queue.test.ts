import { describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../ports/logger.ts';
import type { StepJob } from '../../queue/queue.port.ts';
import { queueContract } from '../../../test/contracts/queue.contract.ts';
import { MemoryQueue } from './memory-queue.ts';

queueContract('in-process queue', async () => ({ queue: new MemoryQueue({ logger: silentLogger }), cleanup: async () => {} }));

const job = (stepId: number): StepJob => ({ set: 'default', stepId, dispatchedAt: 0 });
const microtasks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => queueMicrotask(r));
};

describe('in-process queue', () => {
  it('hands a pushed job to an idle consumer within a few microtasks, before any timer', async () => {
    const queue = new MemoryQueue({ logger: silentLogger });
    const got: number[] = [];
    queue.consume('q', 1, async (j) => {
      got.push(j.stepId);
    });
    let timerFired = false;
    setTimeout(() => (timerFired = true), 0);
    await queue.push('q', job(1));
    await microtasks(3);
    expect(got).toEqual([1]);
    expect(timerFired).toBe(false);
    await queue.close();
  });

  it('ages the oldest waiting job by the injected clock', async () => {
    let now = 1_000;
    const queue = new MemoryQueue({ now: () => now, logger: silentLogger });
    await queue.push('q', job(1), { priority: 1 });
    now = 1_250;
    await queue.push('q', job(2), { priority: 9 });
    now = 1_400;
    expect(await queue.counts('q')).toEqual({ waiting: 2, active: 0, delayed: 0, oldestWaitingMs: 400 });
  });

  it('logs a processor throw with the step it carried', async () => {
    const lines: Parameters<Logger['error']>[] = [];
    const logger: Logger = { ...silentLogger, error: (...args) => void lines.push(args) };
    const queue = new MemoryQueue({ logger });
    queue.consume('q', 1, async () => {
      throw new Error('boom');
    });
    await queue.push('q', { set: 'trading', stepId: 9, dispatchedAt: 0 });
    await expect.poll(() => lines.length, { timeout: 10_000 }).toBe(1);
    expect(lines[0]![1]).toMatchObject({ queue: 'q', set: 'trading', stepId: 9, error: 'boom' });
    await queue.close();
  });

  it('keeps priority order and FIFO over many jobs and priorities', async () => {
    const queue = new MemoryQueue({ logger: silentLogger });
    const n = 20_000;
    const priorityOf = (i: number) => (i * 7919) % 13 - 6;
    for (let i = 0; i < n; i++) await queue.push('q', job(i), { priority: priorityOf(i) });
    const order: number[] = [];
    const consumer = queue.consume('q', 4, async (j) => {
      order.push(j.stepId);
    });
    await expect.poll(() => order.length, { timeout: 10_000 }).toBe(n);
    const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => priorityOf(b) - priorityOf(a) || a - b);
    expect(order).toEqual(expected);
    await consumer.close();
  });

  it('yields to the event loop during a long burst instead of starving it', async () => {
    const queue = new MemoryQueue({ logger: silentLogger, yieldEvery: 500 });
    for (let i = 0; i < 3_000; i++) await queue.push('q', job(i));
    let done = 0;
    let doneAtNextTurn = -1;
    // Queued before the burst starts, so it runs at the queue's first yield.
    setImmediate(() => (doneAtNextTurn = done));
    queue.consume('q', 8, async () => {
      done += 1;
    });
    await expect.poll(() => done, { timeout: 10_000 }).toBe(3_000);
    expect(doneAtNextTurn).toBe(500);
    await queue.close();
  });
});
