// Writes a frame's mark prices to exchange_symbols in bulk: chunks of ~500 symbols, one UPDATE per
// chunk (`SET mark_price = CASE symbol WHEN … END … WHERE exchange = ? AND symbol IN (…)`), so a
// 700-symbol frame costs two statements instead of 700. Symbols the table does not list are left
// alone (the IN list only matches rows that exist). The one-UPDATE-per-symbol writer is kept as the
// benchmark's peer.
import type { Pool } from 'mysql2/promise';
import type { MarkPrice } from './mark-price-frame.ts';

/** Where mark prices go. */
export interface MarkPriceWriter {
  /** Stores `prices` as of `at`; returns the rows matched. */
  write(prices: readonly MarkPrice[], at: number): Promise<number>;
}

/** Options of the bulk writer. */
export interface BulkWriterOptions {
  exchange?: string;
  /** Symbols per statement (default 500). */
  chunkSize?: number;
}

/** The bulk writer: one statement per chunk. */
export class BulkMarkPriceWriter implements MarkPriceWriter {
  private readonly exchange: string;
  private readonly chunkSize: number;

  constructor(private readonly pool: Pool, o: BulkWriterOptions = {}) {
    this.exchange = o.exchange ?? 'binance';
    this.chunkSize = o.chunkSize ?? 500;
  }

  async write(prices: readonly MarkPrice[], at: number): Promise<number> {
    let matched = 0;
    for (let i = 0; i < prices.length; i += this.chunkSize) {
      const chunk = prices.slice(i, i + this.chunkSize);
      const cases = chunk.map(() => 'WHEN ? THEN ?').join(' ');
      const params: (string | number)[] = [];
      for (const p of chunk) params.push(p.symbol, p.price);
      params.push(at, at, this.exchange, ...chunk.map((p) => p.symbol));
      // The text protocol: chunk sizes vary, and prepared statements would cache one plan per size.
      const [res] = await this.pool.query(
        `UPDATE exchange_symbols SET mark_price = CASE symbol ${cases} ELSE mark_price END, mark_price_at = ?, updated_at = ? WHERE exchange = ? AND symbol IN (${chunk.map(() => '?').join(',')})`,
        params,
      );
      matched += (res as { affectedRows: number }).affectedRows;
    }
    return matched;
  }
}

/** The naive peer: one UPDATE per symbol (what the benchmark compares against). */
export class PerSymbolMarkPriceWriter implements MarkPriceWriter {
  constructor(private readonly pool: Pool, private readonly exchange = 'binance') {}

  async write(prices: readonly MarkPrice[], at: number): Promise<number> {
    let matched = 0;
    for (const p of prices) {
      const [res] = await this.pool.query('UPDATE exchange_symbols SET mark_price = ?, mark_price_at = ?, updated_at = ? WHERE exchange = ? AND symbol = ?', [p.price, at, at, this.exchange, p.symbol]);
      matched += (res as { affectedRows: number }).affectedRows;
    }
    return matched;
  }
}

/** Open positions whose symbol's mark price is older than `before` (or was never set). */
export async function staleMarkPrices(pool: Pool, before: number, exchange = 'binance'): Promise<{ symbol: string; markPriceAt: number | null }[]> {
  const [rows] = await pool.query(
    `SELECT DISTINCT s.symbol, s.mark_price_at AS markPriceAt FROM positions p
       JOIN exchange_symbols s ON s.exchange = p.exchange AND s.symbol = p.symbol
      WHERE p.is_open = 1 AND p.exchange = ? AND (s.mark_price_at IS NULL OR s.mark_price_at < ?)
      ORDER BY s.symbol`,
    [exchange, before],
  );
  return (rows as { symbol: string; markPriceAt: number | string | null }[]).map((r) => ({ symbol: r.symbol, markPriceAt: r.markPriceAt === null ? null : Number(r.markPriceAt) }));
}
