// Exchange symbols: refresh filters from exchange info (hourly) and, every 6 hours, the leverage
// brackets. New symbols start ineligible: the operator approves them.
import { z } from 'zod';
import { result } from '../../steps/effects.ts';
import { defineHandler } from '../../steps/registry.ts';
import { recordLeverageBrackets, upsertExchangeSymbol } from '../../trading/exchange-symbol.ts';
import { DEFAULT_EXCHANGE } from '../../trading/tables.ts';
import { MARKET_LANES, type MarketDeps } from './deps.ts';

/** Only USDⓈ-M perpetuals quoted in USDT are listed for trading. */
const listable = (s: { contractType?: string; quoteAsset: string }) => (s.contractType === undefined || s.contractType === 'PERPETUAL') && s.quoteAsset === 'USDT';

/** `market.symbols.refresh`: filters always, leverage brackets when `brackets` is set. */
export function refreshSymbolsHandler(deps: MarketDeps) {
  return defineHandler({
    name: 'market.symbols.refresh', lane: MARKET_LANES.cron, args: z.object({ brackets: z.boolean().default(false) }),
    async run(job, ctx) {
      const exchange = deps.exchangeName ?? DEFAULT_EXCHANGE;
      const now = ctx.clock.now();
      const info = await deps.exchange.getExchangeInfo();
      const symbols = info.symbols.filter(listable);
      const effects = symbols.flatMap((s) => upsertExchangeSymbol(s, now, exchange));
      if (job.args.brackets) {
        const known = new Set(symbols.map((s) => s.symbol));
        for (const b of await deps.exchange.getLeverageBrackets()) {
          if (known.has(b.symbol)) effects.push(recordLeverageBrackets(b.symbol, b.brackets, now, exchange));
        }
      }
      return result.complete(effects, { symbols: symbols.length, brackets: job.args.brackets });
    },
  });
}
