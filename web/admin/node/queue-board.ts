// The queue dashboard on Node: bull-board's Hono adapter over one read-only BullMQ Queue per
// physical queue, sharing one Redis connection. Read-only because the step rows are the durable
// record: retrying or removing a BullMQ job behind the engine's back would desync them (operators
// retry and cancel steps in the step browser). The admin mounts the returned app under /queues,
// behind its session gate.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { Queue } from 'bullmq';
import type { Hono } from 'hono';
import { Redis, type RedisOptions } from 'ioredis';
import { QUEUE_BOARD_PATH } from '../queues-routes.ts';

/** What the board shows. */
export interface QueueBoardOptions {
  /** ioredis options for REDIS_URL (edge/adapters/bullmq/redis-connection.ts redisOptions). */
  connection: RedisOptions;
  /** The BullMQ key prefix (KRAITE_QUEUE_PREFIX). */
  prefix: string;
  /** Physical queue names, e.g. every consumer of allInOne(topology). */
  queues: readonly string[];
}

/** A built board: the Hono app to mount, and how to release its Redis connection. */
export interface QueueBoard {
  app: Hono;
  close(): Promise<void>;
}

/** Builds the read-only bull-board app for the fleet's physical queues. */
export function createQueueBoard(o: QueueBoardOptions): QueueBoard {
  // A page request fails after two tries while Redis is away instead of waiting for it to return.
  const redis = new Redis({ ...o.connection, maxRetriesPerRequest: 2, lazyConnect: true });
  redis.on('error', () => undefined); // reconnects by itself; the board's requests see the failures
  const queues = [...new Set(o.queues)].sort().map((name) => new Queue(name, { connection: redis, prefix: o.prefix }));
  for (const q of queues) q.on('error', () => undefined);
  const adapter = new HonoAdapter(serveStatic).setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true, description: `prefix ${o.prefix}` })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Kraite queues', hideDocsLink: true, miscLinks: [{ text: 'Admin', url: '/' }] } },
  });
  return {
    app: adapter.registerPlugin(),
    async close() {
      await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
