// `kraite schedule`: every entry of the table with cadence, cooldown behaviour, availability and
// next run; with REDIS_URL it reports the deploy cooldown, each entry's last slot and outcome, how
// many slots another scheduler's lease held back, and who holds the current slot's lease.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEDULE } from '../core/scheduler/schedule-table.ts';
import { main } from '../edge/cli/main.ts';
import { scheduleRows } from '../edge/cli/commands/schedule.command.ts';
import { slotAtOrBefore } from '../core/scheduler/cadence.ts';
import { slotLeaseKey } from '../core/scheduler/scheduler.ts';
import { RedisCooldown } from '../edge/scheduler/redis-cooldown.ts';
import { RedisFireLog } from '../edge/scheduler/redis-fire-log.ts';
import { RedisLease } from '../edge/scheduler/redis-lease.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';

const keys = testPrefix();
afterAll(async () => {
  await keys.cleanup();
});

const run = async (env: Record<string, string>, ...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

describe('kraite schedule', () => {
  it('lists every entry with its next run and availability', async () => {
    const r = await run({}, 'schedule');
    expect(r.code).toBe(0);
    for (const e of SCHEDULE) expect(r.out).toContain(e.name);
    expect(r.out).toMatch(/^name\s+cadence\s+in cooldown\s+handler\s+next run\s+step$/m);
    expect(r.out).toMatch(/recover-stale\s+every 1 min\s+runs\s+available\s+\d{4}-/);
    expect(r.out).toMatch(/conclude-directions\s+hourly at :30\s+stops\s+available/);
    expect(r.out).toMatch(/flush-saturation\s+every 1 min\s+runs\s+automatic/);
    expect(r.out).not.toMatch(/paused/);
  });

  it('counts the trading and market handlers a fleet process registers as available', async () => {
    // Backups are registered only where KRAITE_BACKUP_* is set.
    const r = await run({ KRAITE_BACKUP_S3_ENDPOINT: 'https://s3.example.com' }, 'schedule');
    for (const name of ['open-positions', 'sync-orders', 'drift-check', 'store-balances', 'compute-regime', 'refresh-symbols', 'backup', 'backup-check']) {
      expect(r.out).toMatch(new RegExp(`${name}\\s+.*\\savailable\\s`));
    }
    expect(r.out).not.toContain('unavailable');
    const unconfigured = await run({}, 'schedule');
    expect(unconfigured.out).toMatch(/backup\s+daily at 02:40 UTC\s+stops\s+unavailable/);
  });

  it('computes next runs from the cadence', () => {
    const now = Date.UTC(2026, 0, 1, 10, 31, 5);
    const rows = scheduleRows(SCHEDULE, new Set(['steps.recover-stale']), now);
    expect(rows.find((r) => r.name === 'recover-stale')).toMatchObject({ handler: 'available', nextRunAt: '2026-01-01T10:32:00.000Z', lastOutcome: null, leaseHolder: null });
    expect(rows.find((r) => r.name === 'compute-regime')).toMatchObject({ handler: 'unavailable', nextRunAt: '2026-01-01T10:50:00.000Z' });
    expect(rows.find((r) => r.name === 'archive-purge')!.nextRunAt).toBe('2026-01-02T03:10:00.000Z');
  });

  it('reports the deploy cooldown from Redis, as JSON too', async () => {
    const redis = new Redis(REDIS_URL);
    try {
      await new RedisCooldown(redis, keys.prefix).begin('release 0.3.0', 'ops');
      const r = await run({ REDIS_URL, KRAITE_QUEUE_PREFIX: keys.prefix }, 'schedule', '--json');
      const parsed = JSON.parse(r.out) as { cooldown: string; entries: unknown[] };
      expect(parsed.cooldown).toMatch(/^on since .*\(release 0\.3\.0, by ops\)$/);
      expect(parsed.entries).toHaveLength(SCHEDULE.length);
    } finally {
      await redis.quit();
    }
  });

  it('shows each entry\'s last slot, its outcome, leased slots and who holds the current slot\'s lease', async () => {
    const redis = new Redis(REDIS_URL);
    try {
      const t = testPrefix();
      const log = new RedisFireLog(redis, t.prefix);
      const slot = slotAtOrBefore({ everyMs: 5 * 60_000 }, Date.now());
      await log.record({ entry: 'sync-orders', slot: slot - 300_000, outcome: 'fired', at: 1, owner: 'athena@a', stepId: 4 });
      await log.record({ entry: 'sync-orders', slot, outcome: 'leased', at: 2, owner: 'athena@b', detail: 'slot leased by athena@a' });
      await new RedisLease(redis).acquire(slotLeaseKey(t.prefix, 'sync-orders', slot), 'athena@a', 60_000);
      const r = await run({ REDIS_URL, KRAITE_QUEUE_PREFIX: t.prefix }, 'schedule');
      expect(r.out).toMatch(/^name\s+cadence\s+in cooldown\s+handler\s+next run\s+last slot\s+outcome\s+by\s+leased\s+lease holder\s+step$/m);
      expect(r.out).toMatch(new RegExp(`sync-orders .*${new Date(slot).toISOString()}\\s+leased \\(slot leased by athena@a\\)\\s+athena@b\\s+1\\s+athena@a \\(\\d+ s left\\)`));
      expect(r.out).toContain('slots not fired because another scheduler held the lease: sync-orders ×1');
      await t.cleanup();
    } finally {
      await redis.quit();
    }
  });
});
