// Kline retention (market.md: klines "with retention"): candles older than their timeframe's
// horizon are deleted in batches, so the daily pass never holds a long lock on the table.
import type { Pool, ResultSetHeader } from 'mysql2/promise';

/** How long candles of each timeframe are kept: long enough for every indicator and statistic that reads them. */
export const KLINE_RETENTION_DAYS: Record<string, number> = { '15m': 7, '1h': 90, '4h': 365, '1d': 3 * 365 };

const DAY = 86_400_000;

/** Deletes candles past their horizon at `now`, 10,000 rows per statement; returns rows deleted. */
export async function purgeOldKlines(pool: Pool, now: number, retentionDays: Record<string, number> = KLINE_RETENTION_DAYS): Promise<number> {
  let deleted = 0;
  for (const [timeframe, days] of Object.entries(retentionDays)) {
    for (;;) {
      const [r] = await pool.query<ResultSetHeader>('DELETE FROM klines WHERE timeframe = ? AND open_time < ? LIMIT 10000', [timeframe, now - days * DAY]);
      deleted += r.affectedRows;
      if (r.affectedRows < 10_000) break;
    }
  }
  return deleted;
}
