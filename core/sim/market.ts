// Live state of one simulated contract: its parsed filters, mark price, last (contract) price and
// the synthetic liquidity offered to takers.
import { D, dec, type Dec } from './decimal.ts';
import type { SimSymbolSpec } from './symbols.ts';

/** One contract's parsed filters and current prices. */
export class SimMarket {
  readonly symbol: string;
  readonly tick: Dec;
  readonly minPrice: Dec;
  readonly maxPrice: Dec;
  readonly step: Dec;
  readonly minQty: Dec;
  readonly maxQty: Dec;
  readonly marketStep: Dec;
  readonly marketMinQty: Dec;
  readonly marketMaxQty: Dec;
  readonly minNotional: Dec;
  readonly multiplierUp: Dec;
  readonly multiplierDown: Dec;
  readonly volatility: Dec;
  /** Mark price: what MARK_PRICE triggers, unrealised PnL and percent-price checks use. */
  mark: Dec;
  /** Last traded (contract) price: what LIMIT orders cross and CONTRACT_PRICE triggers use. */
  last: Dec;
  /** Quantity available per price level to a taker and per price update to a resting order; null = unlimited. */
  depth: Dec | null = null;
  /** Funding rate charged at each 8-hourly funding time (premiumIndex lastFundingRate). */
  fundingRate: Dec = dec('0.0001');
  /** Prices seen at each path step, for klines: [time, price]. */
  readonly history: Array<[number, Dec]> = [];

  constructor(readonly spec: SimSymbolSpec) {
    this.symbol = spec.symbol;
    this.tick = dec(spec.tickSize);
    this.minPrice = dec(spec.minPrice);
    this.maxPrice = dec(spec.maxPrice);
    this.step = dec(spec.stepSize);
    this.minQty = dec(spec.minQty);
    this.maxQty = dec(spec.maxQty);
    this.marketStep = dec(spec.marketStepSize);
    this.marketMinQty = dec(spec.marketMinQty);
    this.marketMaxQty = dec(spec.marketMaxQty);
    this.minNotional = dec(spec.minNotional);
    this.multiplierUp = dec(spec.multiplierUp);
    this.multiplierDown = dec(spec.multiplierDown);
    this.volatility = dec(spec.volatility);
    this.mark = dec(spec.price);
    this.last = this.mark;
  }

  /** Rounds a price onto the tick grid (half up) and keeps it within the price filter. */
  onGrid(price: Dec): Dec {
    const steps = price.minus(this.minPrice).div(this.tick).toDecimalPlaces(0, D.ROUND_HALF_UP);
    const p = steps.times(this.tick).plus(this.minPrice);
    if (p.lessThan(this.minPrice)) return this.minPrice;
    return this.maxPrice.isZero() || p.lessThanOrEqualTo(this.maxPrice) ? p : this.maxPrice;
  }
}
