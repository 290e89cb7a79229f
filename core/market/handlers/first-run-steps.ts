// Market data on demand. The blocks that refresh exchange symbols and fetch klines — what
// `kraite symbols:refresh`, `kraite klines:fetch` and their admin commands start — and the first
// run: a fresh install has no symbols until the hourly refresh at :05 and no 1h klines until :01,
// so nothing is eligible for up to an hour. `market.first-run`, started when the scheduler's box
// starts, fetches whatever of that is missing at once; the cron table carries on from there.
import { z } from 'zod';
import { result, type BlockStepSpec } from '../../steps/effects.ts';
import { defineHandler } from '../../steps/registry.ts';
import { DEFAULT_EXCHANGE, TABLES } from '../../trading/tables.ts';
import { FRESHNESS_DEFAULTS } from '../eligibility.ts';
import { newestCandleOpenTime } from '../klines-store.ts';
import { KLINE_INTERVALS, type KlineInterval } from '../timeframes.ts';
import { MARKET_LANES, type MarketDeps } from './deps.ts';
import { followedSymbols } from './kline-steps.ts';

/** The block that refreshes exchange symbols (and leverage brackets: a signed read through the first account). */
export function refreshSymbolsSteps(brackets = false): BlockStepSpec[] {
  return [{ handler: 'market.symbols.refresh', args: { brackets }, lane: MARKET_LANES.cron, label: 'symbols:refresh' }];
}

/** The block that fetches klines: every followed symbol per interval, or one symbol; every interval unless named. */
export function fetchKlinesSteps(o: { intervals?: readonly KlineInterval[]; symbol?: string } = {}): BlockStepSpec[] {
  return (o.intervals ?? KLINE_INTERVALS).map((interval) => (o.symbol
    ? { handler: 'market.klines.fetch', args: { symbol: o.symbol, interval }, lane: MARKET_LANES.cron, index: 1, label: 'klines:fetch' }
    : { handler: 'market.klines.schedule', args: { interval }, lane: MARKET_LANES.cron, index: 1, label: 'klines:fetch' }));
}

/** What the first run found missing: no symbols at all, and the followed symbols without fresh 1h klines. */
export interface MissingMarketData {
  symbols: boolean;
  klines: string[];
}

/** `market.first-run`: spawns a symbol refresh when the table is empty, then a kline fetch when any followed symbol lacks fresh 1h klines. */
export function firstRunHandler(deps: MarketDeps) {
  return defineHandler({
    name: 'market.first-run', lane: MARKET_LANES.cron, args: z.object({}),
    async run(_job, ctx) {
      const exchange = deps.exchangeName ?? DEFAULT_EXCHANGE;
      const now = ctx.clock.now();
      const noSymbols = (await ctx.rows.findRows(TABLES.symbols, { exchange }, { limit: 1 })).length === 0;
      const stale: string[] = [];
      for (const symbol of await followedSymbols(ctx.rows, deps)) {
        const newest = await newestCandleOpenTime(ctx.rows, symbol, '1h', exchange);
        if (newest === null || now - newest > FRESHNESS_DEFAULTS.klineMaxAgeMs) stale.push(symbol);
      }
      const missing: MissingMarketData = { symbols: noSymbols, klines: stale };
      if (!noSymbols && stale.length === 0) return result.skip('exchange symbols and fresh 1h klines are present');
      // Brackets need a signed read through an account a fresh install may not have yet: the 6-hourly refresh brings them,
      // and opening reads them live meanwhile.
      const steps: BlockStepSpec[] = [
        ...(noSymbols ? refreshSymbolsSteps(false).map((s) => ({ ...s, index: 1 })) : []),
        ...fetchKlinesSteps().map((s) => ({ ...s, index: 2 })),
      ];
      ctx.log.info('first run: fetching missing market data', { symbols: noSymbols, klines: stale.join(', ') });
      return result.complete([{ kind: 'spawn', steps }], missing);
    },
  });
}
