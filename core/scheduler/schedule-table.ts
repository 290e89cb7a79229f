// The cron table of spec/streams-and-scheduler.md, as data: one entry per row (the kline row is
// three entries, one per interval). Entries for capabilities owned elsewhere name their handler;
// a process that has not registered it reports the entry "unavailable" and skips it.
import { daily, everyHours, everyMinutes, HOUR } from './cadence.ts';
import type { ScheduleEntry } from './schedule-entry.ts';

/** Retention of the daily archive/purge entry. */
export const RETENTION = { archiveAfterDays: 7, purgeAfterDays: 30 } as const;

/** Every scheduler entry, in the spec's order. */
export const SCHEDULE: readonly ScheduleEntry[] = [
  {
    name: 'recover-stale', description: 'recover stale steps (both step sets)', cadence: everyMinutes(1), pausedInCooldown: false,
    step: { handler: 'steps.recover-stale', lane: 'cronjobs', args: { sets: ['default', 'trading'] } },
  },
  {
    name: 'refresh-listen-keys', description: 'refresh listen keys', cadence: everyMinutes(1), pausedInCooldown: false,
    automatic: 'the user-data daemon keeps every listen key alive each minute and recreates it on listenKeyExpired',
  },
  {
    name: 'check-stream-heartbeats', description: 'check listen keys / stream heartbeats', cadence: everyMinutes(5), pausedInCooldown: false,
    automatic: 'the user-data daemon\'s watchdog flags and reconnects an account silent for 15 minutes',
  },
  {
    name: 'flush-saturation', description: 'flush dispatcher saturation counters', cadence: everyMinutes(1), pausedInCooldown: false,
    automatic: 'the dispatch daemon writes its counters when a minute rolls over and when it stops',
  },
  {
    name: 'fleet-heartbeat', description: "fleet heartbeat (each box's liveness and version)", cadence: everyMinutes(1), pausedInCooldown: false,
    automatic: 'every fleet process publishes its beat and watches the other boxes\' beats, so a quiet box is paged by one that is still up',
  },
  {
    name: 'health-check', description: 'system health check (runs in maintenance; pages when a box stays in maintenance too long)',
    cadence: everyMinutes(7), pausedInCooldown: false, step: { handler: 'fleet.health-check', lane: 'cronjobs' },
  },
  {
    name: 'sync-orders', description: 'sync orders (poll fallback)', cadence: everyMinutes(5), pausedInCooldown: true,
    step: { handler: 'trading.sync-orders', lane: 'orders' },
  },
  {
    name: 'drift-check', description: 'drift check + WAP self-heal', cadence: everyMinutes(5), pausedInCooldown: true,
    step: { handler: 'trading.drift-check', lane: 'orders' },
  },
  {
    // Not paused in cooldown: a cooldown stops new exposure, never the end of an exit.
    name: 'supervise-exits', description: 're-drive positions stuck closing, cancelling or mid-WAP', cadence: everyMinutes(1), pausedInCooldown: false,
    step: { handler: 'trading.supervise-exits', lane: 'priority' },
  },
  {
    name: 'open-positions', description: 'create positions', cadence: everyMinutes(3), pausedInCooldown: true,
    step: { handler: 'trading.open-positions', lane: 'positions' },
  },
  {
    name: 'fetch-klines-15m', description: 'fetch 15m klines (shock reference basket)', cadence: everyMinutes(15, 60_000), pausedInCooldown: true,
    // The 15m klines cover the shock reference basket; symbols with open positions ride on the hourly fetch.
    step: { handler: 'market.klines.schedule', lane: 'cronjobs', args: { interval: '15m' } },
  },
  {
    name: 'fetch-klines-1h', description: 'fetch klines 1h', cadence: everyHours(1, 1), pausedInCooldown: true,
    step: { handler: 'market.klines.schedule', lane: 'cronjobs', args: { interval: '1h' } },
  },
  {
    name: 'fetch-klines-4h', description: 'fetch klines 4h', cadence: everyHours(4, 2), pausedInCooldown: true,
    step: { handler: 'market.klines.schedule', lane: 'cronjobs', args: { interval: '4h' } },
  },
  {
    name: 'fetch-klines-1d', description: 'fetch klines 1d', cadence: daily(0, 3), pausedInCooldown: true,
    step: { handler: 'market.klines.schedule', lane: 'cronjobs', args: { interval: '1d' } },
  },
  {
    name: 'store-balances', description: 'store account balances', cadence: everyMinutes(5), pausedInCooldown: true,
    step: { handler: 'trading.store-balances', lane: 'orders' },
  },
  {
    name: 'refresh-symbols', description: 'refresh exchange symbols (+ leverage brackets every 6 h)', cadence: everyHours(1, 5), pausedInCooldown: true,
    step: { handler: 'market.symbols.refresh', lane: 'cronjobs', args: (slot) => ({ brackets: Math.floor(slot / HOUR) % 6 === 0 }) },
  },
  {
    name: 'conclude-directions', description: 'conclude symbol directions (indicators)', cadence: everyHours(1, 30), pausedInCooldown: true,
    step: { handler: 'market.directions.schedule', lane: 'cronjobs' },
  },
  {
    name: 'compute-regime', description: 'compute market regime', cadence: everyHours(1, 50), pausedInCooldown: true,
    step: { handler: 'market.regime.compute', lane: 'cronjobs' },
  },
  {
    name: 'apply-regime-cooldown', description: 'apply the regime cooldown state machine', cadence: everyHours(1, 55), pausedInCooldown: true,
    step: { handler: 'market.regime.cooldown', lane: 'cronjobs' },
  },
  {
    name: 'archive-purge', description: 'archive / purge steps, purge old candles and logs', cadence: daily(3, 10), pausedInCooldown: true,
    step: { handler: 'steps.archive-purge', lane: 'cronjobs', args: { archiveAfterDays: RETENTION.archiveAfterDays, purgeAfterDays: RETENTION.purgeAfterDays } },
  },
  {
    // Registered where KRAITE_BACKUP_* is set (edge/backup); `kraite deploy:cooldown` takes one too.
    name: 'backup', description: 'encrypted database backup to S3-compatible storage, then retention', cadence: daily(2, 40), pausedInCooldown: true,
    step: { handler: 'ops.backup', lane: 'cronjobs', args: { reason: 'daily' } },
  },
  {
    name: 'backup-check', description: 'alert when the newest backup is older than KRAITE_BACKUP_MAX_AGE_MS', cadence: everyHours(1, 20), pausedInCooldown: true,
    step: { handler: 'ops.backup-check', lane: 'cronjobs' },
  },
];
