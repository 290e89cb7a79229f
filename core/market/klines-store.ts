// Stored klines: effect builders for closed candles and the reads indicators, token selection and
// the regime score make (the newest N candles of one symbol and interval, oldest first).
import type { Kline } from '../exchange/exchange.port.ts';
import type { InsertEffect, Row } from '../steps/effects.ts';
import type { RowReader } from '../steps/step-store.port.ts';
import { dbDecimal } from '../trading/row-codec.ts';
import { DEFAULT_EXCHANGE } from '../trading/tables.ts';
import { MARKET_TABLES, statNumber } from './tables.ts';
import type { KlineInterval } from './timeframes.ts';

/** A stored candle as numbers (indicators and statistics, never order prices). */
export interface Candle {
  openTime: number;
  closeTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/**
 * Idempotent inserts for the candles that have closed by `now` (a forming candle would change
 * after it is stored, so it is left for the next fetch).
 */
export function klineInserts(symbol: string, interval: KlineInterval, klines: readonly Kline[], now: number, exchange = DEFAULT_EXCHANGE): InsertEffect[] {
  return klines.filter((k) => k.closeTime < now).map((k) => ({
    kind: 'insert', table: MARKET_TABLES.klines, ignoreDuplicate: true,
    row: {
      exchange, symbol, timeframe: interval, open_time: k.openTime, close_time: k.closeTime,
      open: dbDecimal(k.open, 'klines.open'), high: dbDecimal(k.high, 'klines.high'), low: dbDecimal(k.low, 'klines.low'),
      close: dbDecimal(k.close, 'klines.close'), volume: dbDecimal(k.volume, 'klines.volume'), created_at: now,
    },
  }));
}

/** Maps a klines row. */
export function toCandle(row: Row): Candle {
  return {
    openTime: statNumber(row.open_time), closeTime: statNumber(row.close_time), open: statNumber(row.open), high: statNumber(row.high),
    low: statNumber(row.low), close: statNumber(row.close), volume: statNumber(row.volume),
  };
}

/** The newest `limit` stored candles of a symbol and interval, oldest first. */
export async function recentCandles(rows: RowReader, symbol: string, interval: KlineInterval, limit: number, exchange = DEFAULT_EXCHANGE): Promise<Candle[]> {
  const found = await rows.findRows(MARKET_TABLES.klines, { exchange, symbol, timeframe: interval }, { orderBy: 'open_time', desc: true, limit });
  return found.map(toCandle).reverse();
}

/** Open time of the newest stored candle, or null. */
export async function newestCandleOpenTime(rows: RowReader, symbol: string, interval: KlineInterval, exchange = DEFAULT_EXCHANGE): Promise<number | null> {
  const [c] = await recentCandles(rows, symbol, interval, 1, exchange);
  return c?.openTime ?? null;
}
