// The Worker's `queue(batch, env)` body: each message runs through the engine once; the engine's
// outcome decides ack or retry, and Queues' retry limit decides dead-lettering.
import type { ExecuteResult, StepEngine } from '../../steps/engine.ts';
import { STEP_SETS } from '../../steps/step.ts';
import { tickGroup } from '../../steps/dispatcher.ts';
import { adoptRedelivered } from './adopt-redelivered.ts';
import { parseStepMessage, type MessageBatch, type QueueMessage } from './cloudflare-queues.ts';

/** How the consumer builds its engine and reports. */
export interface StepConsumerOptions {
  /**
   * An engine whose worker identity is `identity` (one per message: the identity names the delivery,
   * so a redelivery recognises the run its failed delivery left behind).
   */
  engineFor(identity: string): StepEngine;
  /** The identity prefix of this deployment (e.g. `cf-steps`); the message id is appended. */
  identity?: string;
  /** Seconds before a failed message is redelivered, by attempt (default 2^attempts, capped at 60). */
  retryDelaySeconds?(attempts: number): number;
  /**
   * Messages of one batch run at once (default 10, Queues' default batch size): they are independent
   * steps, and a duplicate of one step in the same batch loses the claim and is ignored.
   */
  concurrency?: number;
  /** Told of each message's fate (logs, tests, benchmarks). */
  onResult?(result: { messageId: string; stepId: number | null; outcome: ExecuteResult | 'tick' | 'adopted' | 'malformed' | 'retry'; error?: unknown }): void;
}

/**
 * Runs a batch. Outcome mapping:
 * - `ran`, `resumed`, `ignored` (a duplicate delivery), `lost` (stale recovery took the run): ack —
 *   the step's own retries live in the store (pending with a later dispatch_after), not in the message;
 * - a throw (store or exchange unreachable mid-finish, the isolate's limits): retry with backoff; a
 *   redelivery first takes back the run the failed delivery left (adoptRedelivered);
 * - after the queue's `max_retries` Queues moves the message to its dead-letter queue, and the step,
 *   still running or dispatched in the store, is left to stale recovery on the persistent edge;
 * - a body that is no step message: ack and report (retrying cannot make it one).
 */
export async function consumeStepBatch(batch: MessageBatch, options: StepConsumerOptions): Promise<void> {
  const prefix = options.identity ?? 'cf-steps';
  const delay = options.retryDelaySeconds ?? ((attempts: number) => Math.min(60, 2 ** attempts));
  const queue = [...batch.messages];
  const worker = async () => {
    for (let message = queue.shift(); message; message = queue.shift()) await consumeOne(message, options, prefix, delay);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 10, queue.length)) }, worker));
}

/** One message: parse, run (or tick), ack or retry. */
async function consumeOne(message: QueueMessage, options: StepConsumerOptions, prefix: string, delay: (attempts: number) => number): Promise<void> {
  const body = parseStepMessage(message.body);
  if (!body) {
    options.onResult?.({ messageId: message.id, stepId: null, outcome: 'malformed' });
    message.ack();
    return;
  }
  const engine = options.engineFor(`${prefix}:${message.id}`);
  try {
    if (body.kind === 'tick') {
      // A wake-up for steps that became due later: the dispatcher's tick over the active groups.
      for (const set of STEP_SETS) for (const group of await engine.o.store.activeGroups(set)) await tickGroup(engine, set, group, { settleParents: true });
      options.onResult?.({ messageId: message.id, stepId: null, outcome: 'tick' });
    } else {
      // Run outside `onResult?.(…)`: with no listener, optional chaining would skip evaluating the run.
      const adopted = message.attempts > 1 && await adoptRedelivered(engine, body, engine.o.worker);
      if (adopted) options.onResult?.({ messageId: message.id, stepId: body.stepId, outcome: 'adopted' });
      const outcome = await engine.execute(body);
      options.onResult?.({ messageId: message.id, stepId: body.stepId, outcome });
    }
    message.ack();
  } catch (error) {
    options.onResult?.({ messageId: message.id, stepId: body.kind === 'step' ? body.stepId : null, outcome: 'retry', error });
    message.retry({ delaySeconds: delay(message.attempts) });
  }
}
