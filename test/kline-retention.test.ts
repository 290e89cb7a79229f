// Kline retention on MariaDB: the daily pass deletes candles past their timeframe's horizon and
// keeps the rest (the scheduler's daily archive-purge step calls it where there is SQL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMySqlPool } from '../edge/adapters/mysql/mysql-pool.ts';
import { KLINE_RETENTION_DAYS, purgeOldKlines } from '../edge/adapters/mysql/kline-retention.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
let db: TestDatabase;
let pool: ReturnType<typeof createMySqlPool>;

beforeAll(async () => {
  db = await freshDatabase();
  pool = createMySqlPool(db.url, { connectionLimit: 2 });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

describe('kline retention', () => {
  it('deletes each timeframe past its horizon and keeps everything younger', async () => {
    const rows: unknown[][] = [];
    for (const [tf, days] of Object.entries(KLINE_RETENTION_DAYS)) {
      for (const age of [days + 1, days - 1]) rows.push(['binance', 'BTCUSDT', tf, NOW - age * DAY, NOW - age * DAY + 1, '1', '1', '1', '1', '0', NOW]);
    }
    await pool.query('INSERT INTO klines (exchange, symbol, timeframe, open_time, close_time, open, high, low, close, volume, created_at) VALUES ?', [rows]);
    expect(await purgeOldKlines(pool, NOW)).toBe(4);
    const [left] = await pool.query('SELECT timeframe, open_time FROM klines ORDER BY timeframe');
    expect((left as { timeframe: string; open_time: number }[]).map((r) => [r.timeframe, (NOW - Number(r.open_time)) / DAY])).toEqual(
      Object.entries(KLINE_RETENTION_DAYS).map(([tf, days]) => [tf, days - 1]).sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
    expect(await purgeOldKlines(pool, NOW)).toBe(0);
  });
});
