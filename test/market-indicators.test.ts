// The local indicators against an independent reference implementation (the technicalindicators
// package, used in tests only) on a recorded candle series: test/fixtures/market-candles.json,
// generated deterministically from the simulator's seeded price path.
import { readFileSync } from 'node:fs';
import { EMA, Highest, Lowest, Sum, TrueRange } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { MemoryStepStore } from '../core/adapters/memory/memory-step-store.ts';
import { choppiness, ema, pivotPoints, trueRanges } from '../core/market/indicators/local-indicators.ts';
import { localIndicatorProvider, readoutsFromCandles } from '../core/market/indicators/local-provider.ts';
import { klineInserts, type Candle } from '../core/market/klines-store.ts';
import { CHOP_PERIOD, EMA_PERIODS } from '../core/market/readouts.ts';
import { MARKET_UNIQUE_KEYS } from '../core/market/tables.ts';
import { applyRowEffects } from '../core/trading/apply-row-effects.ts';

interface FixtureCandle { openTime: number; open: string; high: string; low: string; close: string; closeTime: number }
const fixture = JSON.parse(readFileSync(new URL('./fixtures/market-candles.json', import.meta.url), 'utf8')) as { candles: Record<string, FixtureCandle[]> };
const toCandle = (c: FixtureCandle): Candle => ({ openTime: c.openTime, closeTime: c.closeTime, open: +c.open, high: +c.high, low: +c.low, close: +c.close, volume: 0 });

/** Relative closeness: indicator values differ only by floating-point order of operations. */
function expectClose(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    expect(Math.abs(a - e)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e)));
  });
}

describe.each(Object.keys(fixture.candles))('local indicators on %s', (symbol) => {
  const candles = fixture.candles[symbol]!.map(toCandle);
  const closes = candles.map((c) => c.close);

  it('has a real-looking series: 240 hourly candles that move', () => {
    expect(candles).toHaveLength(240);
    expect(new Set(closes).size).toBeGreaterThan(200);
    expect(candles.every((c) => c.low <= Math.min(c.open, c.close) && c.high >= Math.max(c.open, c.close))).toBe(true);
  });

  it.each(Object.values(EMA_PERIODS))('EMA %d matches the reference over the whole series', (period) => {
    expectClose(ema(closes, period), EMA.calculate({ period, values: closes }));
  });

  it('true range matches the reference', () => {
    const reference = TrueRange.calculate({ high: candles.map((c) => c.high), low: candles.map((c) => c.low), close: closes });
    // Both start at the second candle, the first with a previous close.
    expectClose(trueRanges(candles), reference);
  });

  it('choppiness matches one built from the reference\'s true range, highest, lowest and sum', () => {
    const n = CHOP_PERIOD;
    const tr = TrueRange.calculate({ high: candles.map((c) => c.high), low: candles.map((c) => c.low), close: closes });
    const sums = Sum.calculate({ period: n, values: tr });
    const highs = Highest.calculate({ period: n, values: candles.map((c) => c.high) });
    const lows = Lowest.calculate({ period: n, values: candles.map((c) => c.low) });
    const reference = sums.map((s, i) => (100 * Math.log10(s / (highs.at(i - sums.length)! - lows.at(i - sums.length)!))) / Math.log10(n));
    // Ours at every prefix long enough (period + 1 candles, so every true range has a previous close).
    const ours = candles.slice(n).map((_, i) => choppiness(candles.slice(0, n + 1 + i), n)!);
    expectClose(ours, reference.slice(-ours.length));
    expect(ours.every((v) => v > 0 && v < 100)).toBe(true);
  });

  it('pivot points follow the classic floor formula', () => {
    const prev = candles.at(-2)!;
    const { p, r1, s1 } = pivotPoints(prev);
    expect(p).toBeCloseTo((prev.high + prev.low + prev.close) / 3, 9);
    expect(r1).toBeCloseTo(2 * p - prev.low, 9);
    expect(s1).toBeCloseTo(2 * p - prev.high, 9);
    expect(s1).toBeLessThanOrEqual(p);
    expect(r1).toBeGreaterThanOrEqual(p);
  });

  it('the local provider reads stored klines and returns the same readouts', async () => {
    const store = new MemoryStepStore({ uniqueKeys: MARKET_UNIQUE_KEYS });
    const raw = fixture.candles[symbol]!.map((c) => ({
      ...c, volume: '0', quoteVolume: '0', trades: 0, takerBuyBaseVolume: '0', takerBuyQuoteVolume: '0', raw: null,
    }));
    const now = candles.at(-1)!.closeTime + 1;
    await store.transaction((tx) => applyRowEffects(tx, klineInserts(symbol, '1h', raw, now)));
    const readouts = await localIndicatorProvider(store).readouts(symbol, '1h', now);
    expect(readouts).toEqual(readoutsFromCandles(candles.slice(-200)));
    const slow = EMA.calculate({ period: 50, values: closes.slice(-200) });
    expect(readouts.emaSlow![0]).toBeCloseTo(slow.at(-1)!, 6);
    expect(readouts.candle).toEqual({ openTime: candles.at(-1)!.openTime, close: candles.at(-1)!.close });
  });
});
