// Margin arithmetic: initial margin of positions and working orders, available balance, and the
// reduce-only direction rules. Deliberately simple (one maintenance rate, no liquidation), but
// enough for -2019 and for realistic account and positionRisk bodies.
import { D, dec, ZERO, type Dec } from './decimal.ts';
import type { SimAccount } from './accounts.ts';
import { remaining, type Side, type SimOrder } from './orders.ts';
import { unrealized, type PositionLeg, type PositionSide } from './positions.ts';
import type { SimState } from './sim-state.ts';

/** Maintenance margin rate used for every symbol's first bracket. */
export const MAINT_MARGIN_RATE = dec('0.004');

/** Whether an order on this leg shrinks it: reduce-only in one-way mode, the closing side in hedge mode. */
export function isReducing(order: Pick<SimOrder, 'side' | 'positionSide' | 'reduceOnly'>): boolean {
  if (order.positionSide === 'LONG') return order.side === 'SELL';
  if (order.positionSide === 'SHORT') return order.side === 'BUY';
  return order.reduceOnly;
}

/** How much of `side` the leg lets a reducing order take: the open size when opposite, else 0. */
export function reducibleQty(leg: PositionLeg, side: Side): Dec {
  if (leg.amount.isZero()) return ZERO;
  const opposite = side === 'SELL' ? leg.amount.isPositive() : leg.amount.isNegative();
  return opposite ? leg.amount.abs() : ZERO;
}

/** Signed direction of a side. */
export function signed(side: Side, qty: Dec): Dec {
  return side === 'BUY' ? qty : qty.neg();
}

/** The open bid and ask notional of an account's working orders on a symbol. */
export function openNotional(account: SimAccount, symbol: string): { bid: Dec; ask: Dec } {
  let bid = ZERO;
  let ask = ZERO;
  for (const o of account.working(symbol)) {
    const n = remaining(o).times(o.price);
    if (o.side === 'BUY') bid = bid.plus(n);
    else ask = ask.plus(n);
  }
  return { bid, ask };
}

/** Account-wide margin figures, as /fapi/v3/account reports them. */
export interface AccountTotals {
  wallet: Dec;
  unrealized: Dec;
  positionInitialMargin: Dec;
  openOrderInitialMargin: Dec;
  maintMargin: Dec;
  marginBalance: Dec;
  available: Dec;
}

/** Initial margin of one leg at the mark price. */
export function legInitialMargin(state: SimState, account: SimAccount, leg: PositionLeg): Dec {
  const market = state.market(leg.symbol);
  const lev = account.settingsOf(leg.symbol, market.spec.maxLeverage).leverage;
  return leg.amount.abs().times(market.mark).div(lev);
}

/** Initial margin of a working order (zero for reducing orders). */
export function orderInitialMargin(state: SimState, account: SimAccount, order: SimOrder): Dec {
  if (isReducing(order)) return ZERO;
  const market = state.market(order.symbol);
  const lev = account.settingsOf(order.symbol, market.spec.maxLeverage).leverage;
  return remaining(order).times(order.price.isZero() ? market.mark : order.price).div(lev);
}

/** Totals over all legs and working orders of the account. */
export function accountTotals(state: SimState, account: SimAccount): AccountTotals {
  let up = ZERO;
  let pim = ZERO;
  let mm = ZERO;
  for (const leg of account.legs.values()) {
    if (leg.amount.isZero()) continue;
    const market = state.market(leg.symbol);
    up = up.plus(unrealized(leg, market.mark));
    pim = pim.plus(legInitialMargin(state, account, leg));
    mm = mm.plus(leg.amount.abs().times(market.mark).times(MAINT_MARGIN_RATE));
  }
  let oim = ZERO;
  for (const o of account.working()) oim = oim.plus(orderInitialMargin(state, account, o));
  const marginBalance = account.wallet.plus(up);
  const available = D.max(ZERO, marginBalance.minus(pim).minus(oim));
  return { wallet: account.wallet, unrealized: up, positionInitialMargin: pim, openOrderInitialMargin: oim, maintMargin: mm, marginBalance, available };
}

/** Margin a new order needs: only the part that grows exposure (a one-way flip counts its excess). */
export function requiredMargin(state: SimState, account: SimAccount, req: { symbol: string; side: Side; positionSide: PositionSide; qty: Dec; price: Dec }): Dec {
  const market = state.market(req.symbol);
  const lev = account.settingsOf(req.symbol, market.spec.maxLeverage).leverage;
  const leg = account.leg(req.symbol, req.positionSide);
  const growing = D.max(ZERO, req.qty.minus(reducibleQty(leg, req.side)));
  return growing.times(req.price).div(lev);
}
