// Per-minute series over the last hour for the admin's charts (drawn by the shared chart mechanism,
// web/assets/chart-markup.ts): counts and sums per minute, zero-filled, and a percentile per minute.
import { chartTime, type ChartPoint } from '../assets/chart-markup.ts';

/** One minute: its start (epoch ms) and its value. */
export interface MinutePoint {
  at: number;
  value: number;
}

/** Sums `value` per minute over the `minutes` minutes ending at `now`, oldest first. */
export function minuteSeries(entries: { at: number; value: number }[], now: number, minutes = 60): MinutePoint[] {
  const end = Math.floor(now / 60_000);
  const sums = new Array<number>(minutes).fill(0);
  for (const e of entries) {
    const i = minutes - 1 - (end - Math.floor(e.at / 60_000));
    if (i >= 0 && i < minutes) sums[i]! += e.value;
  }
  return sums.map((value, i) => ({ at: (end - (minutes - 1 - i)) * 60_000, value }));
}

/** Counts epoch-ms times per minute over the `minutes` minutes ending at `now`, oldest first. */
export function perMinute(times: number[], now: number, minutes = 60): MinutePoint[] {
  return minuteSeries(times.map((at) => ({ at, value: 1 })), now, minutes);
}

/** The nearest-rank percentile of sorted values; null when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** The `p`th percentile of the values per minute within the hour ending at `now`, only minutes that had any, oldest first. */
export function percentilePerMinute(entries: { at: number; value: number }[], p: number, now: number, minutes = 60): MinutePoint[] {
  const from = Math.floor(now / 60_000) - minutes + 1;
  const byMinute = new Map<number, number[]>();
  for (const e of entries) {
    const minute = Math.floor(e.at / 60_000);
    if (minute >= from) byMinute.set(minute, [...(byMinute.get(minute) ?? []), e.value]);
  }
  return [...byMinute.entries()].sort(([a], [b]) => a - b).map(([minute, values]) => ({ at: minute * 60_000, value: percentile(values.sort((a, b) => a - b), p)! }));
}

/** Minute points as chart points (unix seconds). */
export const toChart = (points: MinutePoint[]): ChartPoint[] => points.map((p) => [chartTime(p.at), p.value]);
