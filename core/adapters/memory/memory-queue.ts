// The in-process queue for the embedded mode and unit tests. Waiting jobs sit in one FIFO per
// priority, the non-empty priorities in a max-heap, so push and take stay O(1) (O(log k) for a new
// priority). A push reaches an idle consumer on a microtask, never a timer; after `yieldEvery`
// hand-offs in one event-loop turn the queue yields once so timers and I/O are not starved.
import { KraiteError } from '../../errors.ts';
import { jsonLogger, type Logger } from '../../ports/logger.ts';
import type { Consumer, JobProcessor, PushOptions, QueueCounts, QueuePort, StepJob } from '../../queue/queue.port.ts';

/** The next event-loop turn: setImmediate where the runtime has it (no 1 ms clamp), else a 0 ms timer. */
const nextTurn: (fn: () => void) => void = (() => {
  const g = globalThis as { setImmediate?: (fn: () => void) => unknown };
  return g.setImmediate ? (fn) => void g.setImmediate!(fn) : (fn) => void setTimeout(fn, 0);
})();

interface Entry {
  job: StepJob;
  jobId: string | undefined;
  pushedAt: number;
}

/** A FIFO with amortised O(1) shift (Array#shift is O(n) on large arrays). */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head += 1;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 4_096 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** A binary max-heap of numbers: the priorities that have waiting jobs. */
class MaxHeap {
  private readonly a: number[] = [];

  peek(): number | undefined {
    return this.a[0];
  }

  push(x: number): void {
    const a = this.a;
    let i = a.push(x) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! >= x) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = x;
  }

  pop(): void {
    const a = this.a;
    const last = a.pop()!;
    if (a.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const c = l + 1 < a.length && a[l + 1]! > a[l]! ? l + 1 : l;
      if (a[c]! <= last) break;
      a[i] = a[c]!;
      i = c;
    }
    a[i] = last;
  }
}

/** One physical queue: its waiting jobs, known job ids and consumers. */
class Lane {
  private readonly bands = new Map<number, Fifo<Entry>>();
  private readonly order = new MaxHeap();
  waiting = 0;
  active = 0;
  scheduled = false;
  readonly known = new Set<string>();
  readonly consumers: LaneConsumer[] = [];

  add(entry: Entry, priority: number): void {
    let band = this.bands.get(priority);
    if (!band) {
      this.bands.set(priority, (band = new Fifo()));
      this.order.push(priority);
    }
    band.push(entry);
    this.waiting += 1;
  }

  take(): Entry | undefined {
    const priority = this.order.peek();
    if (priority === undefined) return undefined;
    const band = this.bands.get(priority)!;
    const entry = band.shift()!;
    if (band.size === 0) {
      this.bands.delete(priority);
      this.order.pop();
    }
    this.waiting -= 1;
    return entry;
  }

  /** Push time of the oldest waiting job: the oldest head over the priority bands. */
  oldestPushedAt(): number | null {
    let oldest: number | null = null;
    for (const band of this.bands.values()) {
      const head = band.peek()!;
      if (oldest === null || head.pushedAt < oldest) oldest = head.pushedAt;
    }
    return oldest;
  }
}

/** What a consumer needs from its queue: the hand-off budget and failure reporting. */
interface ConsumerHost {
  mayHandOff(): boolean;
  jobFailed(queue: string, job: StepJob, error: unknown): void;
}

/** A consumer pulling from one lane with a concurrency limit. */
class LaneConsumer implements Consumer {
  private inFlight = 0;
  private closed = false;
  private closing: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  constructor(
    readonly queue: string,
    readonly concurrency: number,
    private readonly lane: Lane,
    private readonly processor: JobProcessor,
    private readonly host: ConsumerHost,
  ) {}

  /** Starts waiting jobs while this consumer has free slots and the turn's budget allows. */
  fill(): void {
    while (!this.closed && this.inFlight < this.concurrency && this.lane.waiting > 0 && this.host.mayHandOff()) {
      const entry = this.lane.take()!;
      this.inFlight += 1;
      this.lane.active += 1;
      void this.run(entry);
    }
  }

  private async run(entry: Entry): Promise<void> {
    try {
      await this.processor(entry.job);
    } catch (error) {
      this.host.jobFailed(this.queue, entry.job, error);
    } finally {
      if (entry.jobId !== undefined) this.lane.known.delete(entry.jobId);
      this.inFlight -= 1;
      this.lane.active -= 1;
      if (!this.closed) this.fill();
      else if (this.inFlight === 0) this.drained?.();
    }
  }

  close(deadlineMs = 30_000): Promise<void> {
    this.closing ??= this.shutdown(deadlineMs);
    return this.closing;
  }

  private async shutdown(deadlineMs: number): Promise<void> {
    this.closed = true;
    const i = this.lane.consumers.indexOf(this);
    if (i >= 0) this.lane.consumers.splice(i, 1);
    if (this.inFlight === 0) return;
    // Past the deadline the in-flight jobs are abandoned (they run on, unobserved).
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      new Promise<void>((resolve) => (this.drained = resolve)),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs))),
    ]);
    clearTimeout(timer);
  }
}

/** Options of the in-process queue. */
export interface MemoryQueueOptions {
  /** Clock for the age of waiting jobs. */
  now?: () => number;
  /** Where a processor's throw is reported (the job is dropped, the consumer keeps going). */
  logger?: Logger;
  /** Hand-offs allowed in one event-loop turn before the queue yields to timers and I/O. */
  yieldEvery?: number;
  /** Deadline `close()` gives each consumer's in-flight jobs. */
  closeDeadlineMs?: number;
}

/** In-process QueuePort: priority FIFOs, microtask hand-off, jobId dedupe. */
export class MemoryQueue implements QueuePort {
  private readonly lanes = new Map<string, Lane>();
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly yieldEvery: number;
  private readonly closeDeadlineMs: number;
  private handOffs = 0;
  private closed = false;

  constructor(options: MemoryQueueOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    this.log = options.logger ?? jsonLogger();
    this.yieldEvery = options.yieldEvery ?? 1_000;
    this.closeDeadlineMs = options.closeDeadlineMs ?? 30_000;
  }

  private lane(name: string): Lane {
    let lane = this.lanes.get(name);
    if (!lane) this.lanes.set(name, (lane = new Lane()));
    return lane;
  }

  private readonly host: ConsumerHost = {
    mayHandOff: () => this.mayHandOff(),
    jobFailed: (queue, job, error) => {
      this.log.error('queue job failed; dropped', {
        queue, set: job.set, stepId: job.stepId, error: error instanceof Error ? error.message : String(error),
      });
    },
  };

  /** Counts a hand-off against this turn's budget; false once it is spent (the next turn resets it). */
  private mayHandOff(): boolean {
    if (this.handOffs === 0) {
      nextTurn(() => {
        this.handOffs = 0;
        for (const lane of this.lanes.values()) if (lane.waiting > 0) this.schedule(lane);
      });
    }
    if (this.handOffs >= this.yieldEvery) return false;
    this.handOffs += 1;
    return true;
  }

  private schedule(lane: Lane): void {
    if (lane.scheduled || lane.consumers.length === 0) return;
    lane.scheduled = true;
    queueMicrotask(() => {
      lane.scheduled = false;
      for (const consumer of lane.consumers) consumer.fill();
    });
  }

  async push(queue: string, job: StepJob, options: PushOptions = {}): Promise<void> {
    if (this.closed) throw new KraiteError('QUEUE_CLOSED', `push to ${queue} after the queue was closed`, 'retry');
    const lane = this.lane(queue);
    const jobId = options.jobId;
    if (jobId !== undefined) {
      if (lane.known.has(jobId)) return;
      lane.known.add(jobId);
    }
    const priority = Number.isFinite(options.priority) ? options.priority! : 0;
    lane.add({ job, jobId, pushedAt: this.now() }, priority);
    // A microtask, so the pusher finishes its own bookkeeping before the job starts.
    this.schedule(lane);
  }

  consume(queue: string, concurrency: number, processor: JobProcessor): Consumer {
    if (this.closed) throw new KraiteError('QUEUE_CLOSED', `consume ${queue} after the queue was closed`, 'final');
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    const lane = this.lane(queue);
    const consumer = new LaneConsumer(queue, concurrency, lane, processor, this.host);
    lane.consumers.push(consumer);
    this.schedule(lane);
    return consumer;
  }

  async counts(queue: string): Promise<QueueCounts> {
    const lane = this.lanes.get(queue);
    const oldest = lane?.oldestPushedAt() ?? null;
    return {
      waiting: lane?.waiting ?? 0,
      active: lane?.active ?? 0,
      delayed: 0,
      oldestWaitingMs: oldest === null ? null : Math.max(0, this.now() - oldest),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const consumers = [...this.lanes.values()].flatMap((lane) => [...lane.consumers]);
    await Promise.all(consumers.map((c) => c.close(this.closeDeadlineMs)));
  }
}
