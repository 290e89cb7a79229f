// Rows of exchange_symbols for the mark-price benchmark and tests: N listed contracts with the
// columns the table requires, inserted in one statement.
import type { Pool } from 'mysql2/promise';

/** `SYM0001USDT`… style names, deterministic. */
export function fixtureSymbols(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `SYM${String(i).padStart(4, '0')}USDT`);
}

/** Inserts listed contracts for `symbols` on `exchange`. */
export async function insertFixtureSymbols(pool: Pool, symbols: readonly string[], exchange = 'binance'): Promise<void> {
  for (let i = 0; i < symbols.length; i += 500) {
    const chunk = symbols.slice(i, i + 500);
    const rows = chunk.map((s) => [exchange, s, 'TRADING', s.replace(/USDT$/, ''), 'USDT', '0.01', '0.01', '1000000', '0.001', '0.001', '1000000', '5', 1, 0, 0, 0]);
    await pool.query(
      'INSERT INTO exchange_symbols (exchange, symbol, status, base_asset, quote_asset, tick_size, min_price, max_price, step_size, min_qty, max_qty, min_notional, is_eligible, is_blocked, created_at, updated_at) VALUES ?',
      [rows],
    );
  }
}
