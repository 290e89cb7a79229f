// The candle intervals market intelligence reads, their lengths, and which candle counts as the
// last closed one at a given moment.

/** The direction timeframes, in the order direction is concluded. */
export const TIMEFRAMES = ['1h', '4h', '1d'] as const;
/** A direction timeframe. */
export type Timeframe = (typeof TIMEFRAMES)[number];

/** Every interval stored as klines: the direction timeframes plus the 15m shock reference basket. */
export const KLINE_INTERVALS = ['15m', '1h', '4h', '1d'] as const;
/** A stored kline interval. */
export type KlineInterval = (typeof KLINE_INTERVALS)[number];

/** Interval lengths in milliseconds. */
export const INTERVAL_MS: Record<KlineInterval, number> = {
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
};

/** Open time of the last fully closed candle of `interval` at `now`. */
export function lastClosedOpenTime(interval: KlineInterval, now: number): number {
  const len = INTERVAL_MS[interval];
  return Math.floor(now / len) * len - len;
}

/** Rank of a timeframe (1h = 0): a higher rank is a longer, slower view. */
export function timeframeRank(tf: Timeframe): number {
  return TIMEFRAMES.indexOf(tf);
}
