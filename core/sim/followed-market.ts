// An external price source for the simulator: paper trading on live prices. The simulator lists
// the followed market's contracts with that market's filters, starts from its past (candles become
// price-history points) and, once following, takes every mark price (and funding rate) the market
// publishes instead of walking: the random walk is frozen, each mark goes through `setPrices` (mark exact, last on the
// tick grid), so resting orders and triggers fill when the followed price crosses them, as in any
// other price change. No I/O here: the feed (REST and the mark-price stream) lives in edge/paper.
import type { Kline, SymbolInfo } from '../exchange/exchange.port.ts';
import { dec, type Dec } from './decimal.ts';
import type { SimExchange } from './sim-exchange.ts';
import { symbolSpec, type SimSymbolSpec } from './symbols.ts';

/** A listed contract of the followed market as its exchangeInfo and premiumIndex give it. */
export type FollowedSymbol = Pick<SymbolInfo, 'symbol' | 'baseAsset' | 'pricePrecision' | 'quantityPrecision' | 'filters'> & { markPrice: string };

/** The simulator's spec of a followed contract: the market's filters and mark, `base`'s leverage cap where the simulator knew the symbol. */
export function followedSpec(market: FollowedSymbol, base?: SimSymbolSpec): SimSymbolSpec {
  const f = market.filters;
  return symbolSpec({
    ...(base ?? {}),
    symbol: market.symbol, baseAsset: market.baseAsset, pricePrecision: market.pricePrecision, quantityPrecision: market.quantityPrecision,
    tickSize: f.tickSize, minPrice: f.minPrice, maxPrice: f.maxPrice, stepSize: f.stepSize, minQty: f.minQty, maxQty: f.maxQty,
    marketStepSize: f.marketStepSize ?? f.stepSize, marketMinQty: f.marketMinQty ?? f.minQty, marketMaxQty: f.marketMaxQty ?? f.maxQty,
    minNotional: f.minNotional,
    ...(f.percentPrice ? { multiplierUp: f.percentPrice.multiplierUp, multiplierDown: f.percentPrice.multiplierDown } : {}),
    price: market.markPrice,
  });
}

/**
 * A candle as four history points: open, the extreme nearer the open, the farther one, close —
 * the order a price most plausibly took, so klines rebuilt from the points keep the candle's range.
 */
export function candlePoints(k: Pick<Kline, 'openTime' | 'closeTime' | 'open' | 'high' | 'low' | 'close'>): Array<[number, Dec]> {
  const [open, high, low, close] = [dec(k.open), dec(k.high), dec(k.low), dec(k.close)];
  const highFirst = high.minus(open).lessThanOrEqualTo(open.minus(low));
  const third = Math.max(1, Math.floor((k.closeTime - k.openTime) / 3));
  return [
    [k.openTime, open],
    [k.openTime + third, highFirst ? high : low],
    [k.openTime + 2 * third, highFirst ? low : high],
    [k.closeTime, close],
  ];
}

/** Makes a simulator follow an external market's mark prices; remembers when each symbol was last heard of. */
export class MarketFollower {
  private readonly seen = new Map<string, number>();

  /** Freezes the random walk of every listed symbol and puts each on its followed price (`at`: when that price was read). */
  constructor(private readonly sim: SimExchange, at: number) {
    sim.freeze();
    for (const m of sim.state.marketList()) this.mark(m.symbol, m.mark.toFixed(), at);
  }

  /** Prepends closed candles (oldest first) to a symbol's price history, so klines reach back as the market's do. */
  backfill(symbol: string, candles: readonly Pick<Kline, 'openTime' | 'closeTime' | 'open' | 'high' | 'low' | 'close'>[], now: number): void {
    const market = this.sim.market(symbol);
    const first = market.history[0]?.[0] ?? Infinity;
    const points = candles.filter((k) => k.closeTime < Math.min(now, first)).flatMap(candlePoints);
    market.history.unshift(...points);
  }

  /**
   * Applies the followed market's mark prices (and funding rates, when given) received at `at`;
   * symbols the simulator does not list are ignored. Returns how many applied.
   */
  onMarks(prices: readonly { symbol: string; price: string; fundingRate?: string }[], at: number): number {
    let applied = 0;
    for (const p of prices) {
      if (!this.sim.state.markets.has(p.symbol)) continue;
      if (p.fundingRate !== undefined) this.sim.setFundingRate(p.symbol, p.fundingRate);
      applied += this.mark(p.symbol, p.price, at);
    }
    return applied;
  }

  /** When the followed market last gave this symbol a price (null: never). */
  markAt(symbol: string): number | null {
    return this.seen.get(symbol) ?? null;
  }

  private mark(symbol: string, price: string, at: number): number {
    this.sim.setPrices(symbol, { mark: price, last: price });
    this.seen.set(symbol, at);
    return 1;
  }
}
