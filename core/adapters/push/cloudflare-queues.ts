// The queue port as Cloudflare Queues: a producer binding per physical queue carries step jobs, and
// the Worker's `queue(batch, env)` handler runs each message through the engine (push-style: the
// platform calls us; nothing polls). Only the slices of the Workers types we call are declared.
import type { QueueCounts, QueuePort, StepJob } from '../../queue/queue.port.ts';

/** The slice of a Queue producer binding (`env.STEPS`) the port calls. */
export interface QueueProducer {
  send(body: unknown, options?: { contentType?: 'json'; delaySeconds?: number }): Promise<void>;
}

/** The slice of one delivered message. `attempts` starts at 1 and grows with each redelivery. */
export interface QueueMessage {
  readonly id: string;
  readonly body: unknown;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/** The slice of a delivered batch. */
export interface MessageBatch {
  readonly queue: string;
  readonly messages: readonly QueueMessage[];
}

/** What a message carries: a step to run, or a wake-up for steps that became due later. */
export type StepMessage = ({ kind: 'step' } & StepJob) | { kind: 'tick'; at: number };

/** QueuePort over producer bindings; `producerFor` maps a physical queue (lane) to its binding. */
export class CloudflareQueuePort implements QueuePort {
  /** Messages sent since the port was built (for tests and benchmarks). */
  sent = 0;

  constructor(private readonly producerFor: (queue: string) => QueueProducer) {}

  async push(queue: string, job: StepJob): Promise<void> {
    const message: StepMessage = { kind: 'step', set: job.set, stepId: job.stepId, dispatchedAt: job.dispatchedAt };
    await this.producerFor(queue).send(message, { contentType: 'json' });
    this.sent += 1;
  }

  /** A wake-up `delayMs` from now (Queues delays in whole seconds, at most 12 hours). */
  async tick(queue: string, at: number, delayMs: number): Promise<void> {
    const message: StepMessage = { kind: 'tick', at };
    await this.producerFor(queue).send(message, { contentType: 'json', delaySeconds: Math.min(43_200, Math.max(0, Math.ceil(delayMs / 1000))) });
    this.sent += 1;
  }

  consume(): never {
    throw new Error('Cloudflare Queues push to the Worker\'s queue() handler: there is no consumer to start (see consumeStepBatch)');
  }

  counts(): Promise<QueueCounts> {
    return Promise.reject(new Error('Cloudflare Queues expose no depth to a Worker: read it from the Cloudflare dashboard or API'));
  }

  async close(): Promise<void> {}
}

/** Whether a message body is a StepMessage (anything else is dead-lettered, not retried). */
export function parseStepMessage(body: unknown): StepMessage | null {
  const b = body as Partial<Record<string, unknown>> | null;
  if (b?.kind === 'tick' && typeof b.at === 'number') return { kind: 'tick', at: b.at };
  if (b?.kind === 'step' && (b.set === 'default' || b.set === 'trading') && Number.isSafeInteger(b.stepId) && typeof b.dispatchedAt === 'number') {
    return { kind: 'step', set: b.set, stepId: b.stepId as number, dispatchedAt: b.dispatchedAt };
  }
  return null;
}
