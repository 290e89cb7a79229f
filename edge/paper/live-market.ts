// Paper trading on live prices (KRAITE_PAPER_MARKET_URL): reads the followed market's public REST
// endpoints once — exchangeInfo for the contracts and their filters, premiumIndex for the starting
// marks, 15-minute klines for the past eight days — then, once the embedded simulator exists,
// makes it follow (core/sim/followed-market.ts) and keeps it following with the mark-price stream
// (market-feed.ts). Orders never leave the simulator: only public endpoints are read.
import { BinanceUsdmClient } from '../../core/exchange/binance/binance-client.ts';
import type { Kline } from '../../core/exchange/exchange.port.ts';
import { ValidationError } from '../../core/errors.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { Logger } from '../../core/ports/logger.ts';
import { followedSpec, MarketFollower } from '../../core/sim/followed-market.ts';
import type { SimExchange } from '../../core/sim/sim-exchange.ts';
import type { SimSymbolSpec } from '../../core/sim/symbols.ts';
import { egressFetch } from '../adapters/undici-fetch.ts';
import { MarketFeed } from './market-feed.ts';

/** How far back the simulator's klines reach, and their grain (8 days of 15-minute candles: one request per symbol). */
const BACKFILL = { interval: '15m', limit: 768 } as const;

/** What to follow. */
export interface LiveMarketOptions {
  restUrl: string;
  wsBase: string;
  /** The contracts to list, where the market lists them too (their leverage caps are kept). */
  wanted: readonly SimSymbolSpec[];
  clock: Clock;
  logger: Logger;
  /** No mark price for this long is a silence (KRAITE_MARK_PRICE_STALE_MS). */
  staleMs: number;
}

/** A followed market, read and ready for a simulator. */
export interface LiveMarket {
  /** The simulator's listing: the wanted contracts the market lists, with its filters and marks. */
  symbols: SimSymbolSpec[];
  /** Banner line. */
  line: string;
  /** Makes `sim` follow the market from now on; `onSilent` is told when the stream stays silent too long. */
  follow(sim: SimExchange, onSilent: (silentForMs: number) => void): MarketFollower;
  feed: MarketFeed | null;
  stop(): Promise<void>;
}

/** Reads the market's listing, marks and recent klines; throws a ValidationError naming KRAITE_PAPER_MARKET_URL when it cannot. */
export async function openLiveMarket(o: LiveMarketOptions): Promise<LiveMarket> {
  const http = egressFetch();
  const client = new BinanceUsdmClient({ baseUrl: o.restUrl, apiKey: 'public', secret: 'public', clock: o.clock, fetch: http.fetch });
  try {
    const [info, marks] = await Promise.all([client.getExchangeInfo(), client.getMarkPrices()]);
    const markOf = new Map(marks.map((m) => [m.symbol, m.markPrice]));
    const symbols: SimSymbolSpec[] = [];
    for (const want of o.wanted) {
      const listed = info.symbols.find((s) => s.symbol === want.symbol && s.status === 'TRADING');
      const mark = markOf.get(want.symbol);
      if (listed && mark) symbols.push(followedSpec({ ...listed, markPrice: mark }, want));
    }
    if (symbols.length === 0) throw new Error(`it lists none of ${o.wanted.map((s) => s.symbol).join(', ')} as trading`);
    const readAt = o.clock.now();
    const candles = new Map<string, Kline[]>();
    await Promise.all(symbols.map(async (s) => {
      try {
        candles.set(s.symbol, await client.getKlines({ symbol: s.symbol, ...BACKFILL }));
      } catch (error) {
        o.logger.warn('paper market: no klines to backfill; candles before the start are flat', { symbol: s.symbol, error: String(error) });
      }
    }));
    let feed: MarketFeed | null = null;
    let closing: Promise<void> | null = null;
    return {
      symbols,
      line: `  exchange: embedded simulator (paper trading on live prices: ${symbols.length} symbols follow ${o.restUrl}, stream ${o.wsBase})`,
      get feed() {
        return feed;
      },
      follow(sim, onSilent) {
        const follower = new MarketFollower(sim, readAt);
        for (const m of marks) if (sim.state.markets.has(m.symbol)) sim.setFundingRate(m.symbol, m.lastFundingRate);
        for (const [symbol, list] of candles) follower.backfill(symbol, list, o.clock.now());
        feed = new MarketFeed({
          base: o.wsBase, symbols: symbols.map((s) => s.symbol), clock: o.clock, logger: o.logger, staleMs: o.staleMs, onSilent,
          onMarks: (prices, at) => follower.onMarks(prices, at),
        });
        feed.start();
        return follower;
      },
      stop() {
        feed?.stop();
        return (closing ??= http.close());
      },
    };
  } catch (error) {
    await http.close();
    throw new ValidationError(`KRAITE_PAPER_MARKET_URL: could not follow ${o.restUrl}: ${(error as Error).message}`, 'INVALID_CONFIG');
  }
}
