// Klines: a schedule step spawns one fetch per symbol (the basket for 15m; eligible symbols plus
// the basket for 1h / 4h / 1d), and each fetch stores the closed candles idempotently.
import { z } from 'zod';
import { result } from '../../steps/effects.ts';
import { defineHandler } from '../../steps/registry.ts';
import type { RowReader } from '../../steps/step-store.port.ts';
import { DEFAULT_EXCHANGE, TABLES } from '../../trading/tables.ts';
import { klineInserts, newestCandleOpenTime } from '../klines-store.ts';
import { INTERVAL_MS, KLINE_INTERVALS } from '../timeframes.ts';
import { DEFAULT_BASKET, MARKET_LANES, type MarketDeps } from './deps.ts';

/** Candles fetched per symbol and interval: enough for EMA 50 and a 30-day 1h baseline. */
export const KLINE_FETCH_LIMITS = { '15m': 96, '1h': 750, '4h': 200, '1d': 200 } as const;

/** Symbols market data follows: the basket, then every approved, trading symbol. */
export async function followedSymbols(rows: RowReader, deps: MarketDeps): Promise<string[]> {
  const exchange = deps.exchangeName ?? DEFAULT_EXCHANGE;
  const approved = await rows.findRows(TABLES.symbols, { exchange, is_eligible: 1, status: 'TRADING' }, { orderBy: 'symbol' });
  return [...new Set([...(deps.basket ?? DEFAULT_BASKET), ...approved.map((r) => String(r.symbol))])];
}

const interval = z.enum(KLINE_INTERVALS);

/** `market.klines.schedule`: one fetch step per followed symbol, in parallel. */
export function scheduleKlinesHandler(deps: MarketDeps) {
  return defineHandler({
    name: 'market.klines.schedule', lane: MARKET_LANES.cron, args: z.object({ interval }),
    async run(job, ctx) {
      const symbols = job.args.interval === '15m' ? [...(deps.basket ?? DEFAULT_BASKET)] : await followedSymbols(ctx.rows, deps);
      if (symbols.length === 0) return result.skip('no symbol to fetch');
      return result.complete([{
        kind: 'spawn',
        steps: symbols.map((symbol) => ({ handler: 'market.klines.fetch', args: { symbol, interval: job.args.interval }, index: 1, lane: MARKET_LANES.cron })),
      }]);
    },
  });
}

/** `market.klines.fetch`: stores the closed candles of one symbol and interval. */
export function fetchKlinesHandler(deps: MarketDeps) {
  return defineHandler({
    name: 'market.klines.fetch', lane: MARKET_LANES.cron,
    args: z.object({ symbol: z.string().regex(/^[A-Z0-9]{2,32}$/), interval, limit: z.number().int().min(1).max(1500).optional() }),
    async run(job, ctx) {
      const { symbol, interval: iv } = job.args;
      const exchange = deps.exchangeName ?? DEFAULT_EXCHANGE;
      // Only what is missing: from the candle after the newest stored one (each insert is a round trip).
      const newest = await newestCandleOpenTime(ctx.rows, symbol, iv, exchange);
      const from = newest === null ? {} : { startTime: newest + INTERVAL_MS[iv] };
      const klines = await deps.exchange.getKlines({ symbol, interval: iv, limit: job.args.limit ?? KLINE_FETCH_LIMITS[iv], ...from });
      const inserts = klineInserts(symbol, iv, klines, ctx.clock.now(), exchange);
      return result.complete(inserts, { candles: inserts.length });
    },
  });
}
