// Position legs: signed amount, weighted-average entry, break-even price and realised PnL.
//
// Break-even follows Binance's FAQ: (total cost − total gained) / current size, fees included.
// One signed cost basis does it for both directions: every fill adds qty×price + fee, and
// break-even = cost / amount. With only opening fills that is entry ± fees/|amount|, which matches
// the live samples (bep = entry × 1.0002 after one maker fill).
import { ZERO, type Dec } from './decimal.ts';

/** BOTH in one-way mode; LONG or SHORT in hedge mode. */
export type PositionSide = 'BOTH' | 'LONG' | 'SHORT';

/** One position leg of one symbol. */
export interface PositionLeg {
  symbol: string;
  positionSide: PositionSide;
  /** Signed size: positive long, negative short. */
  amount: Dec;
  /** Weighted-average entry price of the open size. */
  entry: Dec;
  /** Signed cost basis including fees and partial-close proceeds (see file comment). */
  cost: Dec;
  /** Accumulated realised PnL before fees (ACCOUNT_UPDATE `cr`). */
  realized: Dec;
  updateTime: number;
}

/** A new, flat leg. */
export function flatLeg(symbol: string, positionSide: PositionSide): PositionLeg {
  return { symbol, positionSide, amount: ZERO, entry: ZERO, cost: ZERO, realized: ZERO, updateTime: 0 };
}

/** What one fill did to a leg. */
export interface FillEffect {
  /** Realised PnL of the closed part, before fees. */
  realizedPnl: Dec;
  /** The part of the fill that reduced the leg (absolute). */
  closedQty: Dec;
}

/** Applies a fill of signed `qty` at `price` with commission `fee` (≥ 0); mutates the leg. */
export function applyFill(leg: PositionLeg, qty: Dec, price: Dec, fee: Dec, now: number): FillEffect {
  leg.updateTime = now;
  const opposite = !leg.amount.isZero() && leg.amount.isPositive() !== qty.isPositive();
  if (!opposite) {
    open(leg, qty, price, fee);
    return { realizedPnl: ZERO, closedQty: ZERO };
  }
  const closedQty = qty.abs().lessThan(leg.amount.abs()) ? qty.abs() : leg.amount.abs();
  const closeFee = fee.times(closedQty).div(qty.abs());
  const direction = leg.amount.isPositive() ? 1 : -1;
  const realizedPnl = price.minus(leg.entry).times(closedQty).times(direction);
  leg.realized = leg.realized.plus(realizedPnl);
  const closedSigned = closedQty.times(-direction);
  leg.amount = leg.amount.plus(closedSigned);
  leg.cost = leg.cost.plus(closedSigned.times(price)).plus(closeFee);
  if (leg.amount.isZero()) {
    leg.entry = ZERO;
    leg.cost = ZERO;
  }
  const rest = qty.minus(closedSigned);
  if (!rest.isZero()) open(leg, rest, price, fee.minus(closeFee));
  return { realizedPnl, closedQty };
}

function open(leg: PositionLeg, qty: Dec, price: Dec, fee: Dec): void {
  const size = leg.amount.abs();
  leg.entry = size.times(leg.entry).plus(qty.abs().times(price)).div(size.plus(qty.abs()));
  leg.amount = leg.amount.plus(qty);
  leg.cost = leg.cost.plus(qty.times(price)).plus(fee);
}

/** Break-even price of the open size (0 when flat). */
export function breakEven(leg: PositionLeg): Dec {
  return leg.amount.isZero() ? ZERO : leg.cost.div(leg.amount);
}

/** Unrealised PnL at the mark price. */
export function unrealized(leg: PositionLeg, mark: Dec): Dec {
  return leg.amount.isZero() ? ZERO : mark.minus(leg.entry).times(leg.amount);
}

/** The leg an order acts on: its own side in hedge mode, BOTH in one-way mode. */
export function legKey(symbol: string, positionSide: PositionSide): string {
  return `${symbol}:${positionSide}`;
}
