// The queue port: carries step ids to workers. Adapters: in-process and BullMQ on Redis; both pass
// test/contracts/queue.contract.ts.
import type { StepSet } from '../steps/step.ts';

/** What travels on a queue: just enough to find the step row. */
export interface StepJob {
  set: StepSet;
  stepId: number;
  /** When the step was marked dispatched (for stale detection and latency figures). */
  dispatchedAt: number;
}

/** Options for one push. */
export interface PushOptions {
  /** Higher runs sooner. */
  priority?: number;
  /** Idempotency: a second push with the same id is ignored while the first is known. */
  jobId?: string;
}

/** Depth figures for one physical queue. */
export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  /** Age of the oldest waiting job, ms, or null when empty. */
  oldestWaitingMs: number | null;
}

/** A running consumer of one queue. */
export interface Consumer {
  readonly queue: string;
  readonly concurrency: number;
  /** Stops taking jobs and waits up to `deadlineMs` for in-flight ones. */
  close(deadlineMs?: number): Promise<void>;
}

/** Processes one job; a throw means the job could not even be handed to the engine. */
export type JobProcessor = (job: StepJob) => Promise<void>;

/** Push, consume and observe physical queues. */
export interface QueuePort {
  push(queue: string, job: StepJob, options?: PushOptions): Promise<void>;
  consume(queue: string, concurrency: number, processor: JobProcessor): Consumer;
  counts(queue: string): Promise<QueueCounts>;
  /** Closes every consumer and connection. */
  close(): Promise<void>;
}
