// What the user-data benchmarks run the daemon on: the embedded store and queue, or MariaDB +
// BullMQ in a scratch database and key prefix (dropped afterwards), with a no-op handler under
// the user-data handler's name so allowlisted frames become real steps.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { MemoryQueue } from '../../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../../core/adapters/memory/memory-step-store.ts';
import { silentLogger } from '../../core/ports/logger.ts';
import type { QueuePort } from '../../core/queue/queue.port.ts';
import { result } from '../../core/steps/effects.ts';
import { StepEngine } from '../../core/steps/engine.ts';
import { defineHandler, HandlerRegistry } from '../../core/steps/registry.ts';
import type { StepStore } from '../../core/steps/step-store.port.ts';
import { USER_DATA_HANDLER, USER_DATA_LANE } from '../../core/streams/user-data-sink.ts';
import { TRADING_UNIQUE_KEYS } from '../../core/trading/tables.ts';
import { BullMqQueue } from '../adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../adapters/bullmq/redis-connection.ts';
import { FLEET_GROUP_COMMIT } from '../adapters/mysql/group-commit.ts';
import { openMySqlStepStore } from '../adapters/mysql/open-mysql-store.ts';
import { dropKeys } from '../adapters/redis/drop-keys.ts';
import { UsageError } from '../cli/command.ts';
import { BENCH_REDIS, scratchDatabase } from './bench-servers.ts';


/** A store, a queue and an engine that enqueues user-data steps; `consume` runs them with a no-op. */
export interface BenchBackends {
  label: string;
  store: StepStore;
  queue: QueuePort;
  engine: StepEngine;
  /** The database URL when on MariaDB (for peer measurements). */
  databaseUrl: string | null;
  close(): Promise<void>;
}

const noop = defineHandler({
  name: USER_DATA_HANDLER, lane: USER_DATA_LANE, set: 'trading',
  args: z.object({ accountId: z.number().int(), eventId: z.number().int().nullable(), frame: z.record(z.string(), z.unknown()) }),
  run: async () => result.complete(),
});

/** Opens the embedded or the distributed backends; with `consume`, a consumer runs the steps. */
export async function benchBackends(kind: 'embedded' | 'distributed', options: { consume?: boolean } = {}): Promise<BenchBackends> {
  if (kind === 'embedded') {
    const store = new MemoryStepStore({ uniqueKeys: TRADING_UNIQUE_KEYS });
    const queue = new MemoryQueue({ logger: silentLogger });
    const engine = new StepEngine({ store, queue, registry: new HandlerRegistry([noop]) });
    if (options.consume) queue.consume(USER_DATA_LANE, 5, async (job) => void (await engine.execute(job)));
    return { label: 'embedded (memory store + in-process queue)', store, queue, engine, databaseUrl: null, close: () => queue.close() };
  }
  const db = await scratchDatabase();
  // As fleet processes open it (KRAITE_GROUP_COMMIT's default).
  const store = await openMySqlStepStore(db.url, { connectionLimit: 12, groupCommit: FLEET_GROUP_COMMIT });
  const prefix = `kraite-bench-ud-${Math.random().toString(36).slice(2, 8)}`;
  const queue = new BullMqQueue({ connection: redisOptions(BENCH_REDIS), prefix });
  const engine = new StepEngine({ store, queue, registry: new HandlerRegistry([noop]) });
  if (options.consume) queue.consume(USER_DATA_LANE, 5, async (job) => void (await engine.execute(job)));
  return {
    label: 'MariaDB + BullMQ', store, queue, engine, databaseUrl: db.url,
    async close() {
      await queue.close();
      await store.close();
      await dropKeys(BENCH_REDIS, prefix);
      await db.drop();
    },
  };
}

/** Parses a benchmark's own flags strictly; a bad one is a UsageError naming it (exit 2). */
export function benchArgs(args: string[], options: NonNullable<ParseArgsConfig['options']>, usage: string): { values: Record<string, unknown> } {
  try {
    return { values: parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<string, unknown> };
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: kraite bench ${usage}`);
  }
}
