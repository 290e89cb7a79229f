// The edge services of a fleet process: the system handlers (every process registers them), the
// alerting of step events, the fleet heartbeat (every process publishes one per box it stands
// in for, and watches the other boxes' beats so a quiet box is paged by one still up) and, on the
// box whose topology lists the `scheduler` daemon, the scheduler and the notifications outbox
// relay. Shared state (leases, cooldown flag, heartbeats, the scheduler's fire log) lives in Redis
// when REDIS_URL is set, in memory otherwise.
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { HeartbeatWatch } from '../../core/fleet/heartbeat-watch.ts';
import { HeartbeatPublisher, MemoryHeartbeats, type HeartbeatPort } from '../../core/fleet/heartbeat.port.ts';
import type { Topology } from '../../core/fleet/topology.schema.ts';
import { alertOnEvents } from '../../core/notify/event-alerts.ts';
import type { Notifier } from '../../core/notify/notifier.port.ts';
import { OutboxRelay } from '../../core/notify/outbox-relay.ts';
import type { Logger } from '../../core/ports/logger.ts';
import { MemoryCooldown, type CooldownPort } from '../../core/scheduler/cooldown.port.ts';
import { systemHandlers } from '../../core/scheduler/handlers/index.ts';
import { MemoryFireLog, type FireLogPort } from '../../core/scheduler/fire-log.port.ts';
import { MemoryLease, type LeasePort } from '../../core/scheduler/lease.port.ts';
import { SCHEDULE } from '../../core/scheduler/schedule-table.ts';
import { Scheduler } from '../../core/scheduler/scheduler.ts';
import { engineStarter } from '../../core/scheduler/step-starter.ts';
import { staleMarkPricesOf } from '../../core/trading/reads.ts';
import type { StepEngine } from '../../core/steps/engine.ts';
import { recoverStale } from '../../core/steps/recovery.ts';
import type { StepEvent } from '../../core/steps/step-store.port.ts';
import { redisOptions } from '../adapters/bullmq/redis-connection.ts';
import { createMySqlPool } from '../adapters/mysql/mysql-pool.ts';
import { RedisHeartbeats } from '../heartbeat/redis-heartbeats.ts';
import { staleMarkPrices } from '../streams/mark-price/mysql-mark-price-writer.ts';
import { staleUserDataStreams } from '../streams/user-data/stale-streams.ts';
import { purgeOldKlines } from '../adapters/mysql/kline-retention.ts';
import { configuredBackupHandlers } from '../backup/backup-handlers.ts';
import { processVersion } from '../heartbeat/version.ts';
import { createNotifier } from '../notify/create-notifier.ts';
import type { FleetMetrics } from '../metrics/fleet-metrics.ts';
import type { KraiteConfig } from '../runtime/config.ts';
import { RedisCooldown } from './redis-cooldown.ts';
import { RedisFireLog } from './redis-fire-log.ts';
import { RedisLease } from './redis-lease.ts';

/** The shared-state ports of the edge, over Redis or memory. */
export interface EdgeState {
  lease: LeasePort;
  cooldown: CooldownPort;
  heartbeats: HeartbeatPort;
  fireLog: FireLogPort;
  close(): Promise<void>;
}

/** Opens the edge's shared state: Redis (its own connection, failing fast when Redis is away) or memory. */
export function openEdgeState(config: Pick<KraiteConfig, 'REDIS_URL' | 'KRAITE_QUEUE_PREFIX'>, engine: Pick<StepEngine, 'o'> | null = null): EdgeState {
  if (!config.REDIS_URL) {
    const clock = engine?.o.clock ?? { now: () => Date.now() };
    return { lease: new MemoryLease(clock), cooldown: new MemoryCooldown(clock), heartbeats: new MemoryHeartbeats(), fireLog: new MemoryFireLog(), close: async () => undefined };
  }
  const redis = new Redis({ ...redisOptions(config.REDIS_URL), maxRetriesPerRequest: 2 });
  redis.on('error', () => undefined); // reconnects by itself; callers see failed commands
  const prefix = config.KRAITE_QUEUE_PREFIX;
  return {
    lease: new RedisLease(redis), cooldown: new RedisCooldown(redis, prefix, engine?.o.clock), heartbeats: new RedisHeartbeats(redis, prefix),
    fireLog: new RedisFireLog(redis, prefix),
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Options of the edge services. */
export interface EdgeServicesOptions {
  engine: StepEngine;
  config: KraiteConfig;
  topology: Topology;
  /** Boxes the process stands in for. */
  boxes: readonly string[];
  consumers: readonly { queue: string; concurrency: number }[];
  dispatch: boolean;
  logger: Logger;
  worker: string;
  env?: Record<string, string | undefined>;
  /** Injected for tests; otherwise built from the configuration. */
  state?: EdgeState;
  notifier?: Notifier;
  /** Deliveries are counted here when set. */
  metrics?: FleetMetrics | null;
  /** Start the timers (default true); tests drive `scheduler.tick()`, `heartbeat.beat()` and `watch.check()` by hand. */
  autoStart?: boolean;
  /** The scheduler's lease owner; default the box-stable `schedulerOwner(boxes)`. */
  leaseOwner?: string;
}

/** Running edge services. */
export interface EdgeServices {
  scheduler: Scheduler | null;
  /** The notifications outbox relay; runs beside the scheduler (one per fleet). */
  outbox: OutboxRelay | null;
  heartbeat: HeartbeatPublisher;
  /** This process's watch over the other boxes' heartbeats. */
  watch: HeartbeatWatch;
  notifier: Notifier;
  state: EdgeState;
  /** Hands step events to the notifier (the fleet process calls it from the engine's onEvents). */
  onEvents(events: StepEvent[]): void;
  stop(): Promise<void>;
}

/** Boxes that run a Kraite process and so must be beating: every box but storage-only ones. */
export function expectedBoxes(topology: Topology): string[] {
  return topology.boxes.filter((b) => !b.roles.every((r) => r === 'storage')).map((b) => b.name);
}

/**
 * The scheduler's lease owner: the box and the host, no pid, so the scheduler a supervisor restarts
 * after a crash owns what its predecessor leased (`athena@host`; `all@host` for run --all).
 */
export function schedulerOwner(boxes: readonly string[], host = hostname()): string {
  return `${boxes.length === 1 ? boxes[0] : 'all'}@${host}`;
}

/** Registers the system handlers and starts the heartbeat and, where the topology says so, the scheduler. */
export function startEdgeServices(o: EdgeServicesOptions): EdgeServices {
  const { engine, config, topology } = o;
  const state = o.state ?? openEdgeState(config, engine);
  const notifier = o.notifier ?? createNotifier(config, o.logger, engine.o.clock, o.metrics).notifier;
  const { registry, store, clock } = engine.o;
  // The mark-price staleness read needs SQL; one lazily opened connection, only where the check runs.
  let pool: ReturnType<typeof createMySqlPool> | null = null;
  const databaseUrl = config.DATABASE_URL;
  const deps = {
    recover: (set: 'default' | 'trading') => recoverStale(engine, set),
    archive: (set: 'default' | 'trading', before: number) => store.archiveSettledTrees(set, before, 100_000),
    purge: (set: 'default' | 'trading', before: number) => store.purgeArchive(set, before, 100_000),
    cooldown: state.cooldown, maintenancePageMs: config.KRAITE_MAINTENANCE_PAGE_MS,
    markPriceStaleMs: config.KRAITE_MARK_PRICE_STALE_MS,
    // Without SQL, paper trading (which records its simulator's marks) reads the same rows through the store.
    staleMarkPrices: databaseUrl ? (before: number) => staleMarkPrices((pool ??= createMySqlPool(databaseUrl, { connectionLimit: 1 })), before)
      : !config.KRAITE_EXCHANGE_URL ? (before: number) => staleMarkPricesOf(store, before) : undefined,
    // Only where a user-data daemon runs: against a real exchange (paper trading feeds frames in-process).
    staleUserDataStreams: databaseUrl && config.KRAITE_EXCHANGE_URL ? (before: number) => staleUserDataStreams((pool ??= createMySqlPool(databaseUrl, { connectionLimit: 1 })), before) : undefined,
    userDataStaleMs: config.KRAITE_USER_DATA_STALE_MS,
    purgeKlines: databaseUrl ? (now: number) => purgeOldKlines((pool ??= createMySqlPool(databaseUrl, { connectionLimit: 1 })), now) : undefined,
  };
  for (const h of systemHandlers(deps)) if (!registry.has(h.name)) registry.register(h);
  // Backups where the environment configures them (the cronjobs box needs mariadb-dump).
  for (const h of configuredBackupHandlers(o.env ?? process.env)) if (!registry.has(h.name)) registry.register(h);

  const runsScheduler = topology.boxes.some((b) => o.boxes.includes(b.name) && b.daemons.includes('scheduler'));
  const scheduler = runsScheduler
    ? new Scheduler({
      entries: SCHEDULE, starter: engineStarter(engine), lease: state.lease, cooldown: state.cooldown, fireLog: state.fireLog, clock,
      logger: o.logger.child({ daemon: 'scheduler' }), owner: o.leaseOwner ?? schedulerOwner(o.boxes), keyPrefix: config.KRAITE_QUEUE_PREFIX,
      catchUpMs: config.KRAITE_SCHEDULE_CATCHUP_MS,
    })
    : null;
  const outbox = scheduler ? new OutboxRelay({ store, notifier, clock, logger: o.logger }) : null;
  const processes = [...(o.dispatch ? ['dispatcher'] : []), ...(scheduler ? ['scheduler'] : []), 'heartbeat'];
  const heartbeat = new HeartbeatPublisher({
    port: state.heartbeats, clock, boxes: o.boxes, worker: o.worker, version: processVersion(o.env), processes: () => processes,
    consumers: () => o.consumers.map((c) => ({ queue: c.queue, concurrency: c.concurrency })),
    everyMs: config.KRAITE_HEARTBEAT_EVERY_MS,
    onError: (error) => o.logger.warn('could not publish the heartbeat', { error }),
  });
  const watch = new HeartbeatWatch({
    port: state.heartbeats, lease: state.lease, notifier, clock, logger: o.logger, expected: expectedBoxes(topology), self: o.boxes, watcher: o.worker,
    staleMs: config.KRAITE_HEARTBEAT_STALE_MS, coldStartMs: config.KRAITE_HEARTBEAT_COLD_START_MS, pageEveryMs: config.KRAITE_ALERT_THROTTLE_MS,
    everyMs: config.KRAITE_HEARTBEAT_EVERY_MS, keyPrefix: config.KRAITE_QUEUE_PREFIX,
  });
  if (o.autoStart !== false) {
    heartbeat.start();
    // Without Redis a process sees only its own beats: `run --all` stands in for every box, and a
    // lone `run --box` has no fleet to watch (it would page every other box as never beating).
    if (config.REDIS_URL) watch.start();
    scheduler?.start();
    outbox?.start();
  }
  const alerts = alertOnEvents(notifier, { logger: o.logger });
  return {
    scheduler, outbox, heartbeat, watch, notifier, state, onEvents: alerts,
    async stop() {
      heartbeat.stop();
      await watch.stop();
      await scheduler?.stop();
      await outbox?.stop();
      if (!o.state) await state.close();
      await pool?.end().catch(() => undefined);
    },
  };
}
