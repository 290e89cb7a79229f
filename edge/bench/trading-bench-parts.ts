// The store and queue a trading benchmark runs on: the embedded pair (in-memory store with the
// trading and market unique keys, in-process queue), or MariaDB + BullMQ in a scratch database and
// key prefix that close() drops.
import { MemoryQueue } from '../../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../../core/adapters/memory/memory-step-store.ts';
import { MARKET_UNIQUE_KEYS } from '../../core/market/tables.ts';
import { silentLogger } from '../../core/ports/logger.ts';
import type { QueuePort } from '../../core/queue/queue.port.ts';
import type { StepStore } from '../../core/steps/step-store.port.ts';
import { TRADING_UNIQUE_KEYS } from '../../core/trading/tables.ts';
import { BullMqQueue } from '../adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../adapters/bullmq/redis-connection.ts';
import { FLEET_GROUP_COMMIT } from '../adapters/mysql/group-commit.ts';
import { openMySqlStepStore } from '../adapters/mysql/open-mysql-store.ts';
import { dropKeys } from '../adapters/redis/drop-keys.ts';
import { BENCH_REDIS, scratchDatabase } from './bench-servers.ts';

/** A store and a queue, and how to drop them. */
export interface BenchParts {
  store: StepStore;
  queue: QueuePort;
  close(): Promise<void>;
}

/** Fresh embedded parts. */
export async function embeddedParts(): Promise<BenchParts> {
  return { store: new MemoryStepStore({ uniqueKeys: { ...TRADING_UNIQUE_KEYS, ...MARKET_UNIQUE_KEYS } }), queue: new MemoryQueue({ logger: silentLogger }), close: async () => {} };
}

/** Fresh MariaDB + BullMQ parts in a scratch database and key prefix, the store opened as fleet processes open it (group commit on). */
export async function distributedParts(): Promise<BenchParts> {
  const db = await scratchDatabase();
  const store = await openMySqlStepStore(db.url, { groupCommit: FLEET_GROUP_COMMIT });
  const prefix = `kraite-bench-${Math.random().toString(36).slice(2, 8)}`;
  const queue = new BullMqQueue({ connection: redisOptions(BENCH_REDIS), prefix });
  return {
    store, queue,
    async close() {
      await queue.close();
      await store.close();
      await dropKeys(BENCH_REDIS, prefix);
      await db.drop();
    },
  };
}

/** Both runners, labelled, in the order the benchmarks print them. */
export const RUNNERS = [['embedded', embeddedParts], ['MariaDB + BullMQ', distributedParts]] as const;
