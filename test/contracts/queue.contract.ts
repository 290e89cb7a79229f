// The QueuePort contract, run against the in-process queue and BullMQ.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueuePort, StepJob } from '../../core/queue/queue.port.ts';

const job = (stepId: number): StepJob => ({ set: 'default', stepId, dispatchedAt: 1_000 + stepId });
const unique = () => `q${crypto.randomUUID().slice(0, 8)}`;

/** Runs the queue contract against what `make` builds. */
export function queueContract(name: string, make: () => Promise<{ queue: QueuePort; cleanup(): Promise<void> }>): void {
  describe(`queue contract: ${name}`, () => {
    let queue: QueuePort;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ queue, cleanup } = await make());
    });
    afterEach(async () => {
      await queue.close();
      await cleanup();
    });

    it('delivers the exact job pushed', async () => {
      const q = unique();
      const got: StepJob[] = [];
      queue.consume(q, 1, async (j) => {
        got.push(j);
      });
      await queue.push(q, job(7));
      await expect.poll(() => got, { timeout: 10_000 }).toEqual([job(7)]);
    });

    it('hands higher priorities out first when several wait', async () => {
      const q = unique();
      await queue.push(q, job(1), { priority: 0 });
      await queue.push(q, job(2), { priority: 5 });
      await queue.push(q, job(3), { priority: 0 });
      await queue.push(q, job(4), { priority: 9 });
      await expect.poll(async () => (await queue.counts(q)).waiting, { timeout: 10_000 }).toBe(4);
      const order: number[] = [];
      queue.consume(q, 1, async (j) => {
        order.push(j.stepId);
      });
      await expect.poll(() => order, { timeout: 10_000 }).toEqual([4, 2, 1, 3]);
    });

    it('never runs more jobs at once than the concurrency', async () => {
      const q = unique();
      let inFlight = 0;
      let peak = 0;
      let done = 0;
      const release: (() => void)[] = [];
      queue.consume(q, 3, async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise<void>((r) => release.push(r));
        inFlight -= 1;
        done += 1;
      });
      for (let i = 0; i < 8; i++) await queue.push(q, job(i));
      await expect.poll(() => inFlight, { timeout: 10_000 }).toBe(3);
      while (done < 8) {
        release.splice(0).forEach((r) => r());
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(peak).toBe(3);
    });

    it('ignores a second push with the same job id', async () => {
      const q = unique();
      await queue.push(q, job(1), { jobId: 'default-1-5' });
      await queue.push(q, job(1), { jobId: 'default-1-5' });
      await queue.push(q, job(2), { jobId: 'default-2-5' });
      expect((await queue.counts(q)).waiting).toBe(2);
    });

    it('counts waiting and active jobs and the age of the oldest', async () => {
      const q = unique();
      let open!: () => void;
      const gate = new Promise<void>((r) => (open = r));
      await queue.push(q, job(1));
      await queue.push(q, job(2));
      expect((await queue.counts(q)).waiting).toBe(2);
      expect((await queue.counts(q)).oldestWaitingMs).toBeGreaterThanOrEqual(0);
      const consumer = queue.consume(q, 1, () => gate);
      await expect.poll(async () => (await queue.counts(q)).active, { timeout: 10_000 }).toBe(1);
      expect((await queue.counts(q)).waiting).toBe(1);
      open();
      await consumer.close(5_000);
    });

    it('keeps consuming after a processor throws', async () => {
      const q = unique();
      const seen: number[] = [];
      queue.consume(q, 1, async (j) => {
        seen.push(j.stepId);
        if (j.stepId === 1) throw new Error('boom');
      });
      await queue.push(q, job(1));
      await queue.push(q, job(2));
      await expect.poll(() => seen, { timeout: 10_000 }).toEqual([1, 2]);
    });

    it('on close, lets in-flight work finish within the deadline and takes nothing new', async () => {
      const q = unique();
      let finished = 0;
      let started = 0;
      let open!: () => void;
      const gate = new Promise<void>((r) => (open = r));
      const consumer = queue.consume(q, 1, async () => {
        started += 1;
        await gate;
        finished += 1;
      });
      await queue.push(q, job(1));
      await expect.poll(() => started, { timeout: 10_000 }).toBe(1);
      const closing = consumer.close(10_000);
      await queue.push(q, job(2));
      setTimeout(open, 50);
      await closing;
      expect(finished).toBe(1);
      expect(started).toBe(1);
    });
  });
}
