// Settling one fill: commission, position leg, wallet, the trade record, and the user-data frames
// Binance sends for it (TRADE_LITE, ORDER_TRADE_UPDATE x=TRADE, ACCOUNT_UPDATE m=ORDER).
import { D, type Dec } from './decimal.ts';
import type { SimAccount } from './accounts.ts';
import { openNotional, signed } from './margin.ts';
import type { SimTrade, SimOrder } from './orders.ts';
import { applyFill, type PositionLeg } from './positions.ts';
import type { SimState } from './sim-state.ts';
import { accountUpdate, orderTradeUpdate, tradeLite, type LegView } from './user-events.ts';

/** The ACCOUNT_UPDATE view of a leg. */
export function legView(state: SimState, account: SimAccount, leg: PositionLeg): LegView {
  const market = state.market(leg.symbol);
  const settings = account.settingsOf(leg.symbol, market.spec.maxLeverage);
  const isolatedWallet = settings.marginType === 'ISOLATED' ? leg.amount.abs().times(leg.entry).div(settings.leverage) : D(0);
  return { leg, market, marginType: settings.marginType, isolatedWallet };
}

/** Publishes an ORDER_TRADE_UPDATE for the order's current state. */
export function publishOrder(state: SimState, account: SimAccount, order: SimOrder, x: 'NEW' | 'CANCELED' | 'EXPIRED' | 'AMENDMENT', time = state.now()): void {
  const frame = orderTradeUpdate(order, { x }, openNotional(account, order.symbol), time);
  state.emit({ kind: 'user', apiKey: account.apiKey, frame });
}

/** Fills `qty` of `order` at `price`; mutates the order, leg and wallet and publishes the frames. */
export function settleFill(state: SimState, account: SimAccount, order: SimOrder, qty: Dec, price: Dec, maker: boolean): SimTrade {
  const now = state.now();
  const quote = qty.times(price);
  const fee = quote.times(maker ? account.makerRate : account.takerRate).toDecimalPlaces(8, D.ROUND_HALF_UP);
  const leg = account.leg(order.symbol, order.positionSide);
  const effect = applyFill(leg, signed(order.side, qty), price, fee, now);
  // Booked at 8 places like the fee, so the wallet, the trade and the income history agree to the unit.
  const realizedPnl = effect.realizedPnl.toDecimalPlaces(8, D.ROUND_HALF_UP);
  account.wallet = account.wallet.plus(realizedPnl).minus(fee);
  account.updateTime = now;

  order.executedQty = order.executedQty.plus(qty);
  order.cumQuote = order.cumQuote.plus(quote);
  order.status = order.executedQty.greaterThanOrEqualTo(order.origQty) ? 'FILLED' : 'PARTIALLY_FILLED';
  order.updateTime = now;
  if (order.status === 'FILLED') account.openOrders.delete(order.orderId);

  const trade: SimTrade = {
    id: state.nextTradeId(), orderId: order.orderId, symbol: order.symbol, side: order.side,
    positionSide: order.positionSide, price, qty, quoteQty: quote, commission: fee,
    realizedPnl, maker, time: now,
  };
  account.trades.push(trade);

  const emit = (frame: Record<string, unknown>) => state.emit({ kind: 'user', apiKey: account.apiKey, frame });
  if (state.behaviour.tradeLite) emit(tradeLite(order, trade, now));
  emit(orderTradeUpdate(order, { x: 'TRADE', trade }, openNotional(account, order.symbol), now));
  emit(accountUpdate('ORDER', account.wallet, D(0), [legView(state, account, leg)], now));
  return trade;
}
