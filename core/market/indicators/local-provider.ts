// The local indicator provider: the seven readouts computed from stored klines. No rate limit;
// its candles are whatever the klines fetch stored, so a stale store shows up as a stale candle.
import type { RowReader } from '../../steps/step-store.port.ts';
import { recentCandles, type Candle } from '../klines-store.ts';
import { CHOP_PERIOD, EMA_PERIODS, type EmaPair, type RawReadouts } from '../readouts.ts';
import type { Timeframe } from '../timeframes.ts';
import type { IndicatorProvider } from './indicator-provider.port.ts';
import { choppiness, ema, pivotPoints } from './local-indicators.ts';

/** Candles read per evaluation: enough for EMA 50 to settle. */
export const LOCAL_LOOKBACK = 200;

function lastPair(values: readonly number[], period: number): EmaPair | undefined {
  const series = ema(values, period);
  return series.length >= 2 ? [series.at(-1)!, series.at(-2)!] : undefined;
}

/** Raw readouts of the last candle of `candles` (oldest first, all closed). */
export function readoutsFromCandles(candles: readonly Candle[]): RawReadouts {
  const last = candles.at(-1);
  const prev = candles.at(-2);
  const closes = candles.map((c) => c.close);
  const chop = choppiness(candles, CHOP_PERIOD);
  return {
    candle: { openTime: last?.openTime ?? null, close: last?.close ?? NaN },
    ...(prev ? { previousClose: prev.close, pivot: pivotPoints(prev) } : {}),
    ...optional('emaFast', lastPair(closes, EMA_PERIODS.fast)),
    ...optional('emaMid', lastPair(closes, EMA_PERIODS.mid)),
    ...optional('emaSlow', lastPair(closes, EMA_PERIODS.slow)),
    ...(chop === null ? {} : { chop }),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The local provider over stored klines. */
export function localIndicatorProvider(rows: RowReader, exchange?: string): IndicatorProvider {
  return {
    name: 'local',
    async readouts(symbol: string, tf: Timeframe, now: number) {
      // Only closed candles are stored; a candle closing after `now` cannot be there yet.
      const candles = (await recentCandles(rows, symbol, tf, LOCAL_LOOKBACK, exchange)).filter((c) => c.closeTime < now);
      return readoutsFromCandles(candles);
    },
  };
}
