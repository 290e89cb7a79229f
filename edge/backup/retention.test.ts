import { describe, expect, it } from 'vitest';
import { retention } from './retention.ts';

const H = 3_600_000;
const D = 24 * H;
// Wednesday 2026-01-07 12:00 UTC.
const now = Date.UTC(2026, 0, 7, 12);

describe('backup retention', () => {
  it('keeps the newest backup of each of the last N days and drops the older ones of the same day', () => {
    const backups = [0, 1, 2, 3].flatMap((d) => [{ key: `d${d}-a`, takenAt: now - d * D - 2 * H }, { key: `d${d}-b`, takenAt: now - d * D - 1 * H }]);
    const { keep, drop } = retention(backups, { now, keepDaily: 2, keepWeekly: 0 });
    expect(keep.map((b) => b.key)).toEqual(['d0-b', 'd1-b']);
    expect(drop.map((b) => b.key).sort()).toEqual(['d0-a', 'd1-a', 'd2-a', 'd2-b', 'd3-a', 'd3-b']);
  });

  it('keeps the newest backup of each of the last M ISO weeks beyond the daily window', () => {
    // One backup a day for 30 days.
    const backups = Array.from({ length: 30 }, (_, d) => ({ key: `day-${d}`, takenAt: now - d * D }));
    const { keep } = retention(backups, { now, keepDaily: 3, keepWeekly: 3 });
    // Days 0-2 (Wed, Tue, Mon: this week), Sunday of last week (day 3), Sunday two weeks back (day 10).
    expect(keep.map((b) => b.key)).toEqual(['day-0', 'day-1', 'day-2', 'day-3', 'day-10']);
  });

  it('never deletes the newest backup, however old', () => {
    const { keep } = retention([{ key: 'old', takenAt: now - 90 * D }], { now, keepDaily: 1, keepWeekly: 0 });
    expect(keep.map((b) => b.key)).toEqual(['old']);
  });
});
