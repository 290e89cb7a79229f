// The indicators computed locally from candles: EMA (seeded with the SMA of its first period, the
// common convention TAAPI and most libraries share), true range, the choppiness index and classic
// floor pivot points. Matches an independent reference package on the same candles (see
// test/market-indicators.test.ts).
import type { Candle } from '../klines-store.ts';

/** EMA series; entry i is the EMA at values[i + period − 1] (empty when too few values). */
export function ema(values: readonly number[], period: number): number[] {
  if (values.length < period || period < 1) return [];
  const k = 2 / (period + 1);
  let current = values.slice(0, period).reduce((s, v) => s + v, 0) / period;
  const out = [current];
  for (let i = period; i < values.length; i++) {
    current = (values[i]! - current) * k + current;
    out.push(current);
  }
  return out;
}

/** True range of each candle after the first: max(high − low, |high − prev close|, |low − prev close|). */
export function trueRanges(candles: readonly Pick<Candle, 'high' | 'low' | 'close'>[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < candles.length; i++) {
    const c = candles[i]!;
    const prev = candles[i - 1]!.close;
    out.push(Math.max(c.high - c.low, Math.abs(c.high - prev), Math.abs(c.low - prev)));
  }
  return out;
}

/**
 * Choppiness index of the last `period` candles:
 * 100 × log10(Σ true range / (highest high − lowest low)) / log10(period). Null when too short or flat.
 */
export function choppiness(candles: readonly Pick<Candle, 'high' | 'low' | 'close'>[], period: number): number | null {
  if (candles.length < period + 1) return null;
  const tail = candles.slice(-(period + 1));
  const sum = trueRanges(tail).reduce((s, v) => s + v, 0);
  const window = tail.slice(1);
  const range = Math.max(...window.map((c) => c.high)) - Math.min(...window.map((c) => c.low));
  if (!(range > 0) || !(sum > 0)) return null;
  return (100 * Math.log10(sum / range)) / Math.log10(period);
}

/** Classic floor pivot of one candle: P = (H + L + C) / 3, R1 = 2P − L, S1 = 2P − H. */
export function pivotPoints(c: Pick<Candle, 'high' | 'low' | 'close'>): { p: number; r1: number; s1: number } {
  const p = (c.high + c.low + c.close) / 3;
  return { p, r1: 2 * p - c.low, s1: 2 * p - c.high };
}
