// The QueuePort contract (core/queue/queue.port.ts), run against the in-process queue and BullMQ.
// Every wait polls a condition with a deadline; nothing sleeps for luck.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueuePort, StepJob } from '../../core/queue/queue.port.ts';
import { deferred } from '../support/deferred.ts';

const job = (stepId: number): StepJob => ({ set: stepId % 2 === 0 ? 'default' : 'trading', stepId, dispatchedAt: 1_700_000_000_000 + stepId });
const unique = () => `q${crypto.randomUUID().slice(0, 8)}`;
const soon = { timeout: 10_000, interval: 5 };

/** Runs the queue contract against what `make` builds (a fresh, isolated queue per test). */
export function queueContract(name: string, make: () => Promise<{ queue: QueuePort; cleanup(): Promise<void> }>): void {
  describe(`queue contract: ${name}`, () => {
    let queue: QueuePort;
    let cleanup: () => Promise<void>;
    const gates: (() => void)[] = [];
    beforeEach(async () => {
      ({ queue, cleanup } = await make());
    });
    afterEach(async () => {
      gates.splice(0).forEach((open) => open());
      await queue.close();
      await cleanup();
    });
    /** A gate a processor can wait on; afterEach opens any left shut. */
    const gate = () => {
      const d = deferred();
      gates.push(d.resolve);
      return d;
    };

    it('delivers exactly the job pushed, once', async () => {
      const q = unique();
      const got: StepJob[] = [];
      queue.consume(q, 1, async (j) => {
        got.push(j);
      });
      await queue.push(q, job(7));
      await expect.poll(() => got, soon).toEqual([job(7)]);
      await expect.poll(async () => (await queue.counts(q)).active, soon).toBe(0);
      expect(got).toEqual([job(7)]);
    });

    it('hands higher priorities out first, FIFO within a priority, when several wait', async () => {
      const q = unique();
      const pushes: [number, number | undefined][] = [[1, 0], [2, 5], [3, undefined], [4, 9], [5, -3], [6, 5], [7, 0]];
      for (const [id, priority] of pushes) await queue.push(q, job(id), priority === undefined ? {} : { priority });
      expect((await queue.counts(q)).waiting).toBe(pushes.length);
      const order: number[] = [];
      queue.consume(q, 1, async (j) => {
        order.push(j.stepId);
      });
      await expect.poll(() => order, soon).toEqual([4, 2, 6, 1, 3, 7, 5]);
    });

    it('never runs more jobs at once than the concurrency', async () => {
      const q = unique();
      const total = 10;
      const held: (() => void)[] = [];
      let inFlight = 0;
      let peak = 0;
      let done = 0;
      queue.consume(q, 3, async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        const g = gate();
        held.push(g.resolve);
        await g.promise;
        inFlight -= 1;
        done += 1;
      });
      for (let i = 0; i < total; i++) await queue.push(q, job(i));
      // Release one job at a time; each time the consumer must refill to its limit, never past it.
      while (done < total) {
        await expect.poll(() => held.length, soon).toBe(Math.min(3, total - done));
        expect(inFlight).toBe(held.length);
        held.shift()!();
        const before = done;
        await expect.poll(() => done, soon).toBe(before + 1);
      }
      expect(peak).toBe(3);
    });

    it('spreads one queue over several consumers', async () => {
      const q = unique();
      const hold = gate();
      const seen: string[] = [];
      queue.consume(q, 1, async () => {
        seen.push('a');
        await hold.promise;
      });
      queue.consume(q, 1, async () => {
        seen.push('b');
        await hold.promise;
      });
      for (let i = 0; i < 3; i++) await queue.push(q, job(i));
      await expect.poll(() => [...seen].sort(), soon).toEqual(['a', 'b']);
      expect((await queue.counts(q)).waiting).toBe(1);
    });

    it('keeps queues apart', async () => {
      const [a, b] = [unique(), unique()];
      const got: number[] = [];
      queue.consume(b, 1, async (j) => {
        got.push(j.stepId);
      });
      await queue.push(a, job(1));
      await queue.push(b, job(2));
      await expect.poll(() => got, soon).toEqual([2]);
      expect((await queue.counts(a)).waiting).toBe(1);
    });

    it('ignores a second push with the same job id while the first is known', async () => {
      const q = unique();
      // Colons and integer-looking ids must work on every adapter (BullMQ refuses both raw).
      for (const id of ['default:1:5', 'default:1:5', '42', '42', 'default-1-5']) await queue.push(q, job(1), { jobId: id });
      await queue.push(q, job(2));
      expect((await queue.counts(q)).waiting).toBe(4);
      const hold = gate();
      const ran: number[] = [];
      queue.consume(q, 1, async (j) => {
        ran.push(j.stepId);
        if (ran.length === 1) await hold.promise;
      });
      await expect.poll(async () => (await queue.counts(q)).active, soon).toBe(1);
      // Still known while it runs.
      await queue.push(q, job(1), { jobId: 'default:1:5' });
      expect((await queue.counts(q)).waiting).toBe(3);
      hold.resolve();
      await expect.poll(() => ran.length, soon).toBe(4);
    });

    it('counts waiting and active jobs', async () => {
      const q = unique();
      expect(await queue.counts(q)).toEqual({ waiting: 0, active: 0, delayed: 0, oldestWaitingMs: null });
      for (let i = 0; i < 3; i++) await queue.push(q, job(i));
      expect(await queue.counts(q)).toMatchObject({ waiting: 3, active: 0, delayed: 0 });
      const hold = gate();
      queue.consume(q, 2, () => hold.promise);
      await expect.poll(async () => (await queue.counts(q)).active, soon).toBe(2);
      expect((await queue.counts(q)).waiting).toBe(1);
      hold.resolve();
      await expect.poll(async () => queue.counts(q), soon).toEqual({ waiting: 0, active: 0, delayed: 0, oldestWaitingMs: null });
    });

    it('ages the oldest waiting job whatever its priority', async () => {
      const q = unique();
      await queue.push(q, job(1), { priority: -5 });
      const pushedLow = Date.now();
      // The clock has to move: wait for it (a real condition, not a guess).
      await expect.poll(() => Date.now() - pushedLow, soon).toBeGreaterThanOrEqual(100);
      for (let i = 2; i < 5; i++) await queue.push(q, job(i), { priority: 10 });
      const { oldestWaitingMs } = await queue.counts(q);
      expect(oldestWaitingMs).toBeGreaterThanOrEqual(100);
      expect(oldestWaitingMs).toBeLessThan(Date.now() - pushedLow + 1_000);
    });

    it('keeps consuming after a processor throws', async () => {
      const q = unique();
      const seen: number[] = [];
      // All wait before the consumer starts, so only the consumer itself can move on past a throw.
      for (let i = 1; i <= 3; i++) await queue.push(q, job(i));
      queue.consume(q, 1, async (j) => {
        seen.push(j.stepId);
        if (j.stepId === 1) throw new Error('boom');
        if (j.stepId === 2) await Promise.reject(new Error('async boom'));
      });
      await expect.poll(() => seen, soon).toEqual([1, 2, 3]);
      // Dropped, not retried: the engine owns retries.
      await expect.poll(async () => queue.counts(q), soon).toMatchObject({ waiting: 0, active: 0 });
      expect(seen).toEqual([1, 2, 3]);
    });

    it('refuses a concurrency below one', () => {
      expect(() => queue.consume(unique(), 0, async () => {})).toThrow();
    });

    it('on close, lets in-flight work finish and takes nothing new', async () => {
      const q = unique();
      const hold = gate();
      let started = 0;
      let closed = false;
      let closedBeforeFinish: boolean | undefined;
      const consumer = queue.consume(q, 1, async () => {
        started += 1;
        await hold.promise;
        closedBeforeFinish = closed;
      });
      await queue.push(q, job(1));
      await expect.poll(() => started, soon).toBe(1);
      const closing = consumer.close(10_000).then(() => {
        closed = true;
      });
      await queue.push(q, job(2));
      expect((await queue.counts(q)).waiting).toBe(1);
      hold.resolve();
      await closing;
      expect(closedBeforeFinish).toBe(false);
      expect(started).toBe(1);
      expect(await queue.counts(q)).toMatchObject({ waiting: 1, active: 0 });
      await consumer.close(); // idempotent
    });

    it('on close, gives up waiting for in-flight work at the deadline', async () => {
      const q = unique();
      const never = gate();
      let started = 0;
      const consumer = queue.consume(q, 1, async () => {
        started += 1;
        await never.promise;
      });
      await queue.push(q, job(1));
      await expect.poll(() => started, soon).toBe(1);
      const t0 = performance.now();
      await consumer.close(300);
      const took = performance.now() - t0;
      expect(took).toBeGreaterThanOrEqual(290);
      expect(took).toBeLessThan(5_000);
    });

    it('after close, refuses pushes and consumers; close is idempotent', async () => {
      const q = unique();
      queue.consume(q, 1, async () => {});
      await queue.close();
      await expect(queue.push(q, job(1))).rejects.toThrow(/closed/);
      expect(() => queue.consume(q, 1, async () => {})).toThrow(/closed/);
      await queue.close();
    });
  });
}
