// The QueuePort on BullMQ 6: one Queue per physical queue (cached), one Worker per consumer.
// BullMQ does no retries of its own: the step engine owns retries, so a job is attempted once.
import { Queue, Worker, type Job } from 'bullmq';
import type { RedisOptions } from 'bullmq';
import type { Consumer, JobProcessor, PushOptions, QueueCounts, QueuePort, StepJob } from '../../../core/queue/queue.port.ts';

/** Options of the BullMQ queue adapter. */
export interface BullMqQueueOptions {
  connection: RedisOptions;
  /** Redis key prefix; tests use a random one. */
  prefix?: string;
  /** Finished jobs kept for inspection (the step row is the durable record). */
  keepCompleted?: number;
  keepFailed?: number;
  onError?: (error: unknown, queue: string) => void;
}

/** BullMQ priorities run 1 (first) … 2,097,151; jobs without one run before every prioritised job, so every job gets one. */
export function bullPriority(priority = 0): number {
  return Math.min(2_000, Math.max(1, 1_000 - Math.round(priority)));
}

/** QueuePort over BullMQ. */
export class BullMqQueue implements QueuePort {
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Set<Worker>();
  private readonly prefix: string;

  constructor(private readonly o: BullMqQueueOptions) {
    this.prefix = o.prefix ?? 'bull';
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.o.connection, prefix: this.prefix });
      q.on('error', (error) => this.o.onError?.(error, name));
      this.queues.set(name, q);
    }
    return q;
  }

  async push(queue: string, job: StepJob, options: PushOptions = {}): Promise<void> {
    await this.queue(queue).add('step', job, {
      // BullMQ job ids must not contain ':'.
      jobId: options.jobId?.replace(/:/g, '-'),
      priority: bullPriority(options.priority),
      attempts: 1,
      removeOnComplete: { count: this.o.keepCompleted ?? 1_000 },
      removeOnFail: { count: this.o.keepFailed ?? 5_000 },
    });
  }

  consume(queue: string, concurrency: number, processor: JobProcessor): Consumer {
    const worker = new Worker(queue, async (job: Job<StepJob>) => processor(job.data), {
      connection: this.o.connection, prefix: this.prefix, concurrency,
      removeOnComplete: { count: this.o.keepCompleted ?? 1_000 }, removeOnFail: { count: this.o.keepFailed ?? 5_000 },
    });
    worker.on('error', (error) => this.o.onError?.(error, queue));
    worker.on('failed', (_job, error) => this.o.onError?.(error, queue));
    this.workers.add(worker);
    return {
      queue, concurrency,
      close: async (deadlineMs = 30_000) => {
        this.workers.delete(worker);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const graceful = worker.close().then(() => 'closed' as const);
        const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), deadlineMs)));
        // Past the deadline the in-flight jobs are abandoned to stale recovery; their steps stay running.
        if ((await Promise.race([graceful, timeout])) === 'timeout') await worker.close(true);
        clearTimeout(timer);
      },
    };
  }

  async counts(queue: string): Promise<QueueCounts> {
    const q = this.queue(queue);
    const c = await q.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
    const oldest = [...(await q.getJobs(['prioritized'], 0, 0, true)), ...(await q.getJobs(['waiting'], 0, 0, true))]
      .reduce<number | null>((min, j) => (min === null || j.timestamp < min ? j.timestamp : min), null);
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, oldestWaitingMs: oldest === null ? null : Date.now() - oldest };
  }

  async close(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.close()));
    this.workers.clear();
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
