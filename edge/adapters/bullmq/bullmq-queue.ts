// The QueuePort on BullMQ 6: one Queue per physical queue (cached) over one shared producer
// connection, one Worker per consumer. BullMQ attempts each job once: the step engine owns retries,
// so a processor throw is logged and the job dropped. ioredis connections are built here and passed
// in (BullMQ 6 treats ioredis as an optional peer), so reconnection is ours to configure.
import { Queue, Worker, type Job, type KeepJobs } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { KraiteError } from '../../../core/errors.ts';
import { jsonLogger, type Logger } from '../../../core/ports/logger.ts';
import type { Consumer, JobProcessor, PushOptions, QueueCounts, QueuePort, StepJob } from '../../../core/queue/queue.port.ts';

/** Options of the BullMQ queue adapter. */
export interface BullMqQueueOptions {
  /** ioredis options, e.g. `redisOptions(REDIS_URL)`; retryStrategy decides how it reconnects. */
  connection: RedisOptions;
  /** Redis key prefix; tests use a random one to isolate. */
  prefix?: string;
  /** Finished jobs kept for inspection (the step row is the durable record). */
  keepCompleted?: KeepJobs;
  keepFailed?: KeepJobs;
  /** Deadline `close()` gives each consumer's in-flight jobs. */
  closeDeadlineMs?: number;
  /** Clock for the age of waiting jobs. */
  now?: () => number;
  logger?: Logger;
  /** Sees every connection error and dropped job (tests count them). */
  onError?: (error: unknown, queue: string) => void;
}

/** BullMQ's highest priority number (its lowest priority). */
export const BULL_PRIORITY_LIMIT = 2 ** 21 - 1;
const BULL_PRIORITY_MIDDLE = 2 ** 20;

/**
 * Maps "higher runs sooner" onto BullMQ's 1 (first) … 2,097,151 (last); our 0 sits in the middle.
 * Every job gets a priority: BullMQ runs unprioritised jobs before all prioritised ones.
 */
export function bullPriority(priority = 0): number {
  const p = Number.isFinite(priority) ? Math.round(priority) : 0;
  return Math.min(BULL_PRIORITY_LIMIT, Math.max(1, BULL_PRIORITY_MIDDLE - p));
}

/** BullMQ refuses ids with ':' or that read as integers: escape '%' and ':', mark integers with '%N'. */
export function bullJobId(id: string): string {
  const escaped = id.replace(/%/g, '%25').replace(/:/g, '%3A');
  return String(Number.parseInt(escaped, 10)) === escaped ? `%N${escaped}` : escaped;
}

/**
 * The producer connection. A push made while Redis is away waits in the offline queue through a
 * short restart, but fails after four failed reconnect attempts (about 1.5 s with redisOptions'
 * backoff) instead of hanging the dispatcher; the step stays Dispatched and stale-dispatch recovery
 * re-queues it.
 */
export function producerConnection(options: RedisOptions): Redis {
  return new Redis({ ...options, maxRetriesPerRequest: 3 });
}

/**
 * Ends a client for good. Between reconnect attempts ioredis's disconnect() only clears the retry
 * timer: the client never reaches 'end' and its queued commands never settle, so BullMQ's close
 * (which waits for 'end') would hang and keep its timers alive. Finish that close the way ioredis does.
 */
export function endConnection(redis: Redis): void {
  redis.disconnect();
  if (redis.status !== 'reconnecting') return;
  const internals = redis as unknown as { setStatus(status: string): void; flushQueue(error: Error): void };
  internals.setStatus('end');
  internals.flushQueue(new Error('Connection is closed.'));
}

/**
 * A worker's connection: BullMQ runs the worker's commands on it and duplicates it for the blocking
 * fetch. It remembers those copies so a stuck close can cut them all.
 */
export class WorkerConnection extends Redis {
  private readonly copies = new Set<Redis>();

  constructor(options: RedisOptions) {
    super(options);
    // BullMQ reports errors while it listens; this keeps ioredis from printing them after.
    this.on('error', () => undefined);
  }

  override duplicate(override?: Partial<RedisOptions>): Redis {
    const copy = super.duplicate(override);
    copy.on('error', () => undefined);
    this.copies.add(copy);
    return copy;
  }

  /** Ends this connection and every copy at once, reconnecting ones included. */
  cut(): void {
    for (const copy of this.copies) endConnection(copy);
    endConnection(this);
  }
}

/** A worker's connection for these options; BullMQ's blocking reads need `maxRetriesPerRequest: null`. */
export function workerConnection(options: RedisOptions): WorkerConnection {
  return new WorkerConnection({ ...options, maxRetriesPerRequest: null });
}

// The oldest waiting job, without scanning: BullMQ scores a prioritised job priority * 2^32 + a
// counter, so within a priority band the first member is the oldest. Visit each band's first
// member (one ZRANGEBYSCORE per distinct priority, capped) and the tail of the plain wait list.
const OLDEST_WAITING_LUA = `
local oldest = nil
local function consider(id)
  local ts = tonumber(redis.call('HGET', ARGV[1] .. id, 'timestamp'))
  if ts and (oldest == nil or ts < oldest) then oldest = ts end
end
local tail = redis.call('LINDEX', KEYS[1], -1)
if tail then consider(tail) end
local from = '-inf'
for _ = 1, 64 do
  local r = redis.call('ZRANGEBYSCORE', KEYS[2], from, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  if #r == 0 then break end
  consider(r[1])
  from = string.format('%.0f', (math.floor(tonumber(r[2]) / 4294967296) + 1) * 4294967296)
end
return oldest`;

/** Timestamp (ms) of the oldest job waiting on a queue, or null. */
async function oldestWaitingTimestamp(redis: Redis, key: (type: string) => string): Promise<number | null> {
  const ts = await redis.eval(OLDEST_WAITING_LUA, 2, key('wait'), key('prioritized'), key(''));
  return typeof ts === 'number' ? ts : null;
}

/** Whether `work` settles within `ms` (it runs on regardless). */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = await Promise.race([work.then(() => true, () => true), deadline]);
  clearTimeout(timer);
  return settled;
}

/** QUITs a client politely when it is connected, else (or if QUIT stalls) disconnects it. */
async function closeClient(redis: Redis, graceMs = 1_000): Promise<void> {
  if (redis.status === 'ready') await settlesWithin(redis.quit(), graceMs);
  endConnection(redis);
}

/** QueuePort over BullMQ. */
export class BullMqQueue implements QueuePort {
  private readonly queues = new Map<string, Queue<StepJob>>();
  private readonly consumers = new Set<Consumer>();
  private readonly producer: Redis;
  private readonly workerConnections = new Set<WorkerConnection>();
  private readonly prefix: string;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly keepCompleted: KeepJobs;
  private readonly keepFailed: KeepJobs;
  private readonly lastError = new Map<string, string>();
  private closing: Promise<void> | undefined;

  constructor(private readonly o: BullMqQueueOptions) {
    this.prefix = o.prefix ?? 'bull';
    this.log = o.logger ?? jsonLogger();
    this.now = o.now ?? (() => Date.now());
    this.keepCompleted = o.keepCompleted ?? { count: 1_000, age: 24 * 3_600 };
    this.keepFailed = o.keepFailed ?? { count: 1_000, age: 7 * 24 * 3_600 };
    this.producer = producerConnection(o.connection);
    this.producer.on('error', (error) => this.connectionError('producer', error));
    this.producer.on('ready', () => this.lastError.clear());
  }

  /** Logs a connection error once per distinct message until the producer is ready again. */
  private connectionError(source: string, error: unknown): void {
    this.o.onError?.(error, source);
    const message = error instanceof Error ? error.message : String(error);
    if (this.lastError.get(source) === message) return;
    this.lastError.set(source, message);
    this.log.warn('redis connection error', { source, error: message });
  }

  private assertOpen(what: string): void {
    if (this.closing) throw new KraiteError('QUEUE_CLOSED', `${what} after the queue was closed`, 'retry');
  }

  private queue(name: string): Queue<StepJob> {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue<StepJob>(name, {
        connection: this.producer, prefix: this.prefix,
        defaultJobOptions: { attempts: 1, removeOnComplete: this.keepCompleted, removeOnFail: this.keepFailed },
      });
      q.on('error', (error) => this.connectionError(name, error));
      this.queues.set(name, q);
    }
    return q;
  }

  async push(queue: string, job: StepJob, options: PushOptions = {}): Promise<void> {
    this.assertOpen(`push to ${queue}`);
    await this.queue(queue).add('step', job, {
      jobId: options.jobId === undefined ? undefined : bullJobId(options.jobId),
      priority: bullPriority(options.priority),
    });
  }

  consume(queue: string, concurrency: number, processor: JobProcessor): Consumer {
    this.assertOpen(`consume ${queue}`);
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    const connection = workerConnection(this.o.connection);
    this.workerConnections.add(connection);
    const worker = new Worker<StepJob>(queue, async (job: Job<StepJob>) => processor(job.data), {
      connection, prefix: this.prefix, concurrency,
      removeOnComplete: this.keepCompleted, removeOnFail: this.keepFailed,
    });
    worker.on('error', (error) => this.connectionError(queue, error));
    worker.on('failed', (job, error) => {
      this.o.onError?.(error, queue);
      this.log.error('queue job failed; dropped', { queue, set: job?.data.set, stepId: job?.data.stepId, error: error.message });
    });
    let closing: Promise<void> | undefined;
    const consumer: Consumer = {
      queue, concurrency,
      close: (deadlineMs = 30_000) => {
        // Stays listed until closed, so the adapter's close() waits for a close already under way.
        closing ??= this.closeWorker(worker, connection, queue, deadlineMs).finally(() => this.consumers.delete(consumer));
        return closing;
      },
    };
    this.consumers.add(consumer);
    return consumer;
  }

  /** Graceful close raced against the deadline; past it, the connections are cut and in-flight jobs abandoned to stale recovery. */
  private async closeWorker(worker: Worker<StepJob>, connection: WorkerConnection, queue: string, deadlineMs: number): Promise<void> {
    const graceful = worker.close();
    graceful.catch((error: unknown) => this.connectionError(queue, error));
    const closed = await settlesWithin(graceful, deadlineMs);
    this.workerConnections.delete(connection);
    if (closed) {
      // BullMQ closes the copies it made but leaves the connection it was given.
      await closeClient(connection);
      connection.cut();
      return;
    }
    this.log.warn('consumer did not close by its deadline; cutting its connections (in-flight jobs are abandoned)', { queue, deadlineMs });
    // Not worker.close(true): it rejoins the pending graceful close. Not worker.disconnect(): it
    // waits for an 'end' event that an ioredis client between reconnect attempts never emits.
    connection.cut();
  }

  async counts(queue: string): Promise<QueueCounts> {
    this.assertOpen(`counts of ${queue}`);
    const q = this.queue(queue);
    await q.waitUntilReady();
    const [c, oldest] = await Promise.all([
      q.getJobCounts('waiting', 'prioritized', 'active', 'delayed'),
      oldestWaitingTimestamp(this.producer, (type) => q.toKey(type)),
    ]);
    return {
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      oldestWaitingMs: oldest === null ? null : Math.max(0, this.now() - oldest),
    };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const deadlineMs = this.o.closeDeadlineMs ?? 30_000;
      await Promise.all([...this.consumers].map((c) => c.close(deadlineMs)));
      // The queues share the producer connection, so closing them sends nothing to Redis.
      await Promise.all([...this.queues.values()].map((q) => settlesWithin(q.close(), 1_000)));
      await closeClient(this.producer);
      for (const connection of this.workerConnections) connection.cut();
    })();
    return this.closing;
  }
}
