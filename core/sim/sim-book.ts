// The synthetic order book the simulator's own orders trade against. There are no other
// participants: the last (contract) price is both best bid and best ask, and each further tick
// away offers `depth` more (unlimited by default). That is enough for market sweeps, partial
// fills and post-only rejections to behave like Binance's without simulating other traders.
import { minDec, ZERO, type Dec } from './decimal.ts';
import type { Side } from './orders.ts';

/** One level a taker fills at. */
export interface BookLevel {
  price: Dec;
  qty: Dec;
}

/** Whether a limit order at `price` would take liquidity now (BUY at or above last, SELL at or below). */
export function wouldTake(side: Side, price: Dec, last: Dec): boolean {
  return side === 'BUY' ? price.greaterThanOrEqualTo(last) : price.lessThanOrEqualTo(last);
}

/** Whether the last price has reached a resting order (same rule as taking, seen from the book). */
export function crosses(side: Side, price: Dec, last: Dec): boolean {
  return wouldTake(side, price, last);
}

/** The levels a taker of `qty` sweeps: last price first, then one tick worse per `depth`, up to `limit`. */
export function takerLevels(side: Side, last: Dec, tick: Dec, qty: Dec, depth: Dec | null, limit?: Dec): BookLevel[] {
  const levels: BookLevel[] = [];
  let left = qty;
  let price = last;
  // A safety bound: a sweep never walks more than 10,000 ticks.
  for (let i = 0; left.greaterThan(ZERO) && i < 10_000; i++) {
    if (limit && !wouldTake(side, limit, price)) break;
    if (price.lessThanOrEqualTo(ZERO)) break;
    const take = depth ? minDec(depth, left) : left;
    levels.push({ price, qty: take });
    left = left.minus(take);
    price = side === 'BUY' ? price.plus(tick) : price.minus(tick);
  }
  return levels;
}

/** Quantity a taker could fill within `limit` (or unbounded for market orders). */
export function fillableQty(side: Side, last: Dec, tick: Dec, qty: Dec, depth: Dec | null, limit?: Dec): Dec {
  return takerLevels(side, last, tick, qty, depth, limit).reduce((sum, l) => sum.plus(l.qty), ZERO);
}
