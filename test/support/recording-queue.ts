// A queue that only records pushes: unit tests drain it by hand, so every step runs when the test says.
import type { JobProcessor, QueuePort, StepJob } from '../../core/queue/queue.port.ts';

/** Records every push; `take()` hands the oldest job to the test. */
export class RecordingQueue implements QueuePort {
  readonly pushed: { queue: string; job: StepJob }[] = [];
  private cursor = 0;

  async push(queue: string, job: StepJob): Promise<void> {
    this.pushed.push({ queue, job });
  }

  /** The next job not yet taken, or undefined. */
  take(): StepJob | undefined {
    return this.pushed[this.cursor++]?.job;
  }

  consume(queue: string, concurrency: number, _processor: JobProcessor) {
    return { queue, concurrency, close: async () => {} };
  }

  async counts() {
    return { waiting: this.pushed.length - this.cursor, active: 0, delayed: 0, oldestWaitingMs: null };
  }

  async close(): Promise<void> {}
}
