// The queue port for runtimes without a queue: a push is a signed `POST /steps/:id/run` to the step
// entry (http-step-entry.ts), awaited, so the run happens before the pusher's own invocation ends.
import type { Clock } from '../../ports/clock.ts';
import type { QueueCounts, QueuePort, StepJob } from '../../queue/queue.port.ts';
import { SIGNATURE_HEADER, signRequest } from './signed-request.ts';

/** Where and how to post. */
export interface HttpPushQueueOptions {
  /** The entry's origin, e.g. https://steps.example.com. */
  baseUrl: string;
  secret: string;
  clock: Clock;
  /** A service binding's fetch, or the global one. */
  fetch?: typeof fetch;
}

/** QueuePort whose push runs the step over HTTP. */
export class HttpPushQueue implements QueuePort {
  constructor(private readonly o: HttpPushQueueOptions) {}

  async push(_queue: string, job: StepJob): Promise<void> {
    const path = `/steps/${job.stepId}/run`;
    const body = JSON.stringify({ set: job.set, dispatchedAt: job.dispatchedAt });
    const signature = await signRequest(this.o.secret, 'POST', path, body, this.o.clock.now());
    const res = await (this.o.fetch ?? fetch)(new URL(path, this.o.baseUrl).toString(), { method: 'POST', body, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature } });
    // A failed run is left to stale recovery (the step stays dispatched or running): say so, do not hide it.
    if (!res.ok) throw new Error(`step ${job.stepId} run over HTTP answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  }

  consume(): never {
    throw new Error('HTTP push runs steps at the entry (httpStepEntry): there is no consumer to start');
  }

  counts(): Promise<QueueCounts> {
    return Promise.resolve({ waiting: 0, active: 0, delayed: 0, oldestWaitingMs: null });
  }

  async close(): Promise<void> {}
}
