// The in-process queue for the embedded mode and unit tests: per-priority FIFOs, consumers with a
// concurrency limit, microtask hand-off (no timers on the hot path), and jobId dedupe.
import type { Consumer, JobProcessor, PushOptions, QueueCounts, QueuePort, StepJob } from '../../queue/queue.port.ts';

interface Entry {
  job: StepJob;
  jobId: string | null;
  pushedAt: number;
}

/** One physical queue: waiting entries by priority, and its consumers. */
class Lane {
  readonly byPriority = new Map<number, Entry[]>();
  priorities: number[] = [];
  waiting = 0;
  active = 0;
  readonly known = new Set<string>();
  readonly consumers: LaneConsumer[] = [];

  add(entry: Entry, priority: number): void {
    let fifo = this.byPriority.get(priority);
    if (!fifo) {
      this.byPriority.set(priority, (fifo = []));
      this.priorities = [...this.byPriority.keys()].sort((a, b) => b - a);
    }
    fifo.push(entry);
    this.waiting += 1;
  }

  take(): Entry | undefined {
    for (const p of this.priorities) {
      const fifo = this.byPriority.get(p)!;
      if (fifo.length > 0) {
        this.waiting -= 1;
        return fifo.shift();
      }
    }
    return undefined;
  }

  oldest(): Entry | undefined {
    let oldest: Entry | undefined;
    for (const fifo of this.byPriority.values()) if (fifo[0] && (!oldest || fifo[0].pushedAt < oldest.pushedAt)) oldest = fifo[0];
    return oldest;
  }
}

/** A consumer pulling from one lane with a concurrency limit. */
class LaneConsumer implements Consumer {
  inFlight = 0;
  closed = false;
  private idle: (() => void)[] = [];

  constructor(readonly queue: string, readonly concurrency: number, private readonly lane: Lane, private readonly processor: JobProcessor, private readonly onError: (e: unknown) => void) {}

  /** Starts as many waiting jobs as the concurrency allows. */
  pump(): void {
    while (!this.closed && this.inFlight < this.concurrency) {
      const entry = this.lane.take();
      if (!entry) return;
      this.inFlight += 1;
      this.lane.active += 1;
      void this.run(entry);
    }
  }

  private async run(entry: Entry): Promise<void> {
    try {
      await this.processor(entry.job);
    } catch (error) {
      this.onError(error);
    } finally {
      if (entry.jobId) this.lane.known.delete(entry.jobId);
      this.inFlight -= 1;
      this.lane.active -= 1;
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
      this.pump();
      // Another consumer of the same lane may have room for what is left.
      for (const c of this.lane.consumers) if (c !== this) c.pump();
    }
  }

  async close(deadlineMs = 30_000): Promise<void> {
    this.closed = true;
    const i = this.lane.consumers.indexOf(this);
    if (i >= 0) this.lane.consumers.splice(i, 1);
    if (this.inFlight === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.idle.push(resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs))),
    ]);
    clearTimeout(timer);
  }
}

/** Options of the in-process queue. */
export interface MemoryQueueOptions {
  now?: () => number;
  /** Called when a processor throws (the consumer keeps going). */
  onError?: (error: unknown) => void;
}

/** In-process QueuePort. */
export class MemoryQueue implements QueuePort {
  private readonly lanes = new Map<string, Lane>();
  private readonly now: () => number;
  private readonly onError: (error: unknown) => void;

  constructor(options: MemoryQueueOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    this.onError = options.onError ?? (() => {});
  }

  private lane(name: string): Lane {
    let lane = this.lanes.get(name);
    if (!lane) this.lanes.set(name, (lane = new Lane()));
    return lane;
  }

  async push(queue: string, job: StepJob, options: PushOptions = {}): Promise<void> {
    const lane = this.lane(queue);
    const jobId = options.jobId ?? null;
    if (jobId !== null) {
      if (lane.known.has(jobId)) return;
      lane.known.add(jobId);
    }
    lane.add({ job, jobId, pushedAt: this.now() }, options.priority ?? 0);
    // Hand off on a microtask so the pusher finishes its own bookkeeping first.
    if (lane.consumers.length > 0) queueMicrotask(() => { for (const c of lane.consumers) c.pump(); });
  }

  consume(queue: string, concurrency: number, processor: JobProcessor): Consumer {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
    const lane = this.lane(queue);
    const consumer = new LaneConsumer(queue, concurrency, lane, processor, this.onError);
    lane.consumers.push(consumer);
    queueMicrotask(() => consumer.pump());
    return consumer;
  }

  async counts(queue: string): Promise<QueueCounts> {
    const lane = this.lane(queue);
    const oldest = lane.oldest();
    return { waiting: lane.waiting, active: lane.active, delayed: 0, oldestWaitingMs: oldest ? this.now() - oldest.pushedAt : null };
  }

  async close(): Promise<void> {
    const all = [...this.lanes.values()].flatMap((l) => [...l.consumers]);
    await Promise.all(all.map((c) => c.close()));
  }
}
