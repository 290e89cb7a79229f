// `kraite bench mark-price`: a frame of 700 mark prices → every exchange_symbols row updated in
// MariaDB, through the daemon's parse and bulk writer (chunks of 500, one UPDATE per chunk),
// against the one-UPDATE-per-symbol peer measured in the same run on the same database.
import { createMySqlPool } from '../adapters/mysql/mysql-pool.ts';
import { parseMarkPriceFrame } from '../streams/mark-price/mark-price-frame.ts';
import { BulkMarkPriceWriter, PerSymbolMarkPriceWriter, type MarkPriceWriter } from '../streams/mark-price/mysql-mark-price-writer.ts';
import { fixtureSymbols, insertFixtureSymbols } from '../streams/mark-price/symbol-fixtures.ts';
import { BENCH_MYSQL, scratchDatabase } from './bench-servers.ts';
import type { Benchmark } from './index.ts';
import { fmt, median, percentile, table } from './stats.ts';

const SYMBOLS = 700;

function frameText(symbols: readonly string[], round: number): string {
  const E = Date.now();
  return JSON.stringify(symbols.map((s, i) => {
    const p = (100 + i + round / 1000).toFixed(4);
    return { e: 'markPriceUpdate', E, s, p, ap: p, i: p, P: p, r: '0.00010000', T: E + 3_600_000 };
  }));
}

async function measure(writer: MarkPriceWriter, symbols: readonly string[], rounds: number, from: number): Promise<number[]> {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const text = frameText(symbols, from + r);
    const started = performance.now();
    const frame = parseMarkPriceFrame(text)!;
    const matched = await writer.write(frame.prices, Date.now());
    times.push(performance.now() - started);
    if (matched !== symbols.length) throw new Error(`expected ${symbols.length} rows updated, got ${matched}`);
  }
  return times;
}

/** The mark-price benchmark. */
export const markPriceBenchmark: Benchmark = {
  name: 'mark-price',
  summary: 'mark-price frame of 700 symbols → all rows updated in MariaDB: bulk (500-row chunks) vs one UPDATE per symbol',
  async run(io, args) {
    const rounds = Number(args[0] ?? 50);
    const db = await scratchDatabase();
    const pool = createMySqlPool(db.url, { connectionLimit: 2 });
    try {
      const symbols = fixtureSymbols(SYMBOLS);
      await insertFixtureSymbols(pool, symbols);
      io.out(`mark-price: ${SYMBOLS} symbols, MariaDB ${BENCH_MYSQL}, ${rounds} frames per writer after 5 warm-up frames`);
      const bulk = new BulkMarkPriceWriter(pool);
      const naive = new PerSymbolMarkPriceWriter(pool);
      await measure(bulk, symbols, 5, 0);
      await measure(naive, symbols, 2, 0);
      // Interleave the two so box noise hits both alike.
      const b: number[] = [];
      const n: number[] = [];
      const peerRounds = Math.max(5, Math.round(rounds / 5));
      for (let i = 0; i < peerRounds; i++) {
        b.push(...await measure(bulk, symbols, Math.round(rounds / peerRounds), 1000 * i + 10));
        n.push(...await measure(naive, symbols, 1, 1000 * i + 20));
      }
      const p50 = median(b);
      io.out('');
      for (const line of table([
        { name: 'bulk: frame → all rows updated, p50', value: `${fmt(p50)} ms`, target: '≤ 20 ms', note: p50 <= 20 ? 'met' : 'MISSED' },
        { name: 'bulk: p99', value: `${fmt(percentile(b, 99))} ms` },
        { name: 'peer: one UPDATE per symbol, p50', value: `${fmt(median(n))} ms` },
        { name: 'peer / bulk (p50)', value: `${fmt(median(n) / p50, 1)}×` },
        { name: 'statements per frame (bulk / peer)', value: `${Math.ceil(SYMBOLS / 500)} / ${SYMBOLS}` },
      ])) io.out(line);
      return 0;
    } finally {
      await pool.end();
      await db.drop();
    }
  },
};
