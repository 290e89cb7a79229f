// Symbol filter checks with Binance's error codes: PRICE_FILTER, LOT_SIZE / MARKET_LOT_SIZE,
// MIN_NOTIONAL and PERCENT_PRICE.
import { plain, type Dec } from './decimal.ts';
import type { SimMarket } from './market.ts';
import type { Side } from './orders.ts';
import { errors } from './sim-error.ts';

/** PRICE_FILTER: precision, range and tick grid (measured from minPrice). */
export function checkPrice(market: SimMarket, price: Dec): void {
  if (price.decimalPlaces() > market.spec.pricePrecision) throw errors.precision();
  if (price.lessThan(market.minPrice)) throw errors.priceBelowMin();
  if (!market.maxPrice.isZero() && price.greaterThan(market.maxPrice)) throw errors.priceAboveMax();
  if (!market.tick.isZero() && !price.minus(market.minPrice).mod(market.tick).isZero()) throw errors.priceTick();
}

/** LOT_SIZE (or MARKET_LOT_SIZE for market orders): positive, precision, step, range. */
export function checkQty(market: SimMarket, qty: Dec, isMarket: boolean): void {
  if (!qty.isPositive() || qty.isZero()) throw errors.qtyNotPositive();
  if (qty.decimalPlaces() > market.spec.quantityPrecision) throw errors.precision();
  const step = isMarket ? market.marketStep : market.step;
  const min = isMarket ? market.marketMinQty : market.minQty;
  const max = isMarket ? market.marketMaxQty : market.maxQty;
  if (!step.isZero() && !qty.minus(min).mod(step).isZero()) throw errors.qtyStep();
  if (qty.lessThan(min)) throw errors.qtyBelowMin();
  if (qty.greaterThan(max)) throw errors.qtyAboveMax();
}

/** MIN_NOTIONAL: price × qty (mark price for market orders) must reach the threshold; waived for reduce-only. */
export function checkNotional(market: SimMarket, qty: Dec, price: Dec, reduceOnly: boolean): void {
  if (reduceOnly) return;
  if (qty.times(price).lessThan(market.minNotional)) throw errors.minNotional(plain(market.minNotional));
}

/** PERCENT_PRICE: a BUY may not exceed mark × up, a SELL may not go below mark × down. */
export function checkPercentPrice(market: SimMarket, side: Side, price: Dec): void {
  if (side === 'BUY') {
    const cap = market.mark.times(market.multiplierUp);
    if (price.greaterThan(cap)) throw errors.priceTooHigh(plain(market.onGrid(cap)));
  } else {
    const floor = market.mark.times(market.multiplierDown);
    if (price.lessThan(floor)) throw errors.priceTooLow(plain(market.onGrid(floor)));
  }
}
