// `kraite schedule`: every entry of the table with cadence, cooldown behaviour, availability and
// next run; with REDIS_URL it reports the deploy cooldown.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEDULE } from '../core/scheduler/schedule-table.ts';
import { main } from '../edge/cli/main.ts';
import { scheduleRows } from '../edge/cli/commands/schedule.command.ts';
import { RedisCooldown } from '../edge/scheduler/redis-cooldown.ts';
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
    expect(r.out).toMatch(/recover-stale\s+every 1 min\s+runs\s+available\s+\d{4}-/);
    expect(r.out).toMatch(/conclude-directions\s+hourly at :30\s+paused/);
    expect(r.out).toMatch(/flush-saturation\s+every 1 min\s+runs\s+automatic/);
  });

  it('counts the trading and market handlers a fleet process registers as available', async () => {
    // Backups are registered only where KRAITE_BACKUP_* is set.
    const r = await run({ KRAITE_BACKUP_S3_ENDPOINT: 'https://s3.example.com' }, 'schedule');
    for (const name of ['open-positions', 'sync-orders', 'drift-check', 'store-balances', 'compute-regime', 'refresh-symbols', 'backup', 'backup-check']) {
      expect(r.out).toMatch(new RegExp(`${name}\\s+.*\\savailable\\s`));
    }
    expect(r.out).not.toContain('unavailable');
    const unconfigured = await run({}, 'schedule');
    expect(unconfigured.out).toMatch(/backup\s+daily at 02:40 UTC\s+paused\s+unavailable/);
  });

  it('computes next runs from the cadence', () => {
    const now = Date.UTC(2026, 0, 1, 10, 31, 5);
    const rows = scheduleRows(SCHEDULE, new Set(['steps.recover-stale']), now);
    expect(rows.find((r) => r.name === 'recover-stale')).toMatchObject({ status: 'available', nextRunAt: '2026-01-01T10:32:00.000Z' });
    expect(rows.find((r) => r.name === 'compute-regime')).toMatchObject({ status: 'unavailable', nextRunAt: '2026-01-01T10:50:00.000Z' });
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
});
