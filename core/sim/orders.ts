// Plain (LIMIT / MARKET) orders and trades, and the JSON bodies Binance returns for them.
import { plain, ZERO, type Dec } from './decimal.ts';
import type { PositionSide } from './positions.ts';

/** Order side. */
export type Side = 'BUY' | 'SELL';
/** Order status as Binance reports it. */
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'EXPIRED_IN_MATCH';

/** One order in the matching engine. */
export interface SimOrder {
  apiKey: string;
  orderId: number;
  clientOrderId: string;
  symbol: string;
  side: Side;
  positionSide: PositionSide;
  type: 'LIMIT' | 'MARKET';
  origType: string;
  timeInForce: string;
  price: Dec;
  origQty: Dec;
  executedQty: Dec;
  cumQuote: Dec;
  reduceOnly: boolean;
  closePosition: boolean;
  status: OrderStatus;
  time: number;
  updateTime: number;
  workingType: string;
  priceProtect: boolean;
  priceMatch: string;
  selfTradePreventionMode: string;
  goodTillDate: number;
  modifyCount: number;
  /** ORDER_TRADE_UPDATE `er`: 0 none, 2 IOC remainder, 4 reduce-only knocked out, 9 MARKET not fully filled. */
  expiryReason: number;
  /** Time priority: lower fills first at the same price; a modify moves it to the back. */
  priority: number;
  /** The algo order whose trigger created this order. */
  algoId?: number;
}

/** One fill of one order. */
export interface SimTrade {
  id: number;
  orderId: number;
  symbol: string;
  side: Side;
  positionSide: PositionSide;
  price: Dec;
  qty: Dec;
  quoteQty: Dec;
  commission: Dec;
  realizedPnl: Dec;
  maker: boolean;
  time: number;
}

/** True while the order can still fill. */
export function isOpen(order: SimOrder): boolean {
  return order.status === 'NEW' || order.status === 'PARTIALLY_FILLED';
}

/** Average fill price (0 before the first fill). */
export function avgPrice(order: SimOrder): Dec {
  return order.executedQty.isZero() ? ZERO : order.cumQuote.div(order.executedQty);
}

/** Remaining quantity. */
export function remaining(order: SimOrder): Dec {
  return order.origQty.minus(order.executedQty);
}

function common(o: SimOrder) {
  return {
    orderId: o.orderId, symbol: o.symbol, status: o.status, clientOrderId: o.clientOrderId,
    price: plain(o.price), origQty: plain(o.origQty), executedQty: plain(o.executedQty),
  };
}

/** Body of POST/PUT/DELETE /fapi/v1/order; `legacy` adds avgPrice/cumQuote as before 2026-07-15. */
export function orderMutationBody(o: SimOrder, legacy: boolean): Record<string, unknown> {
  return {
    ...common(o),
    ...(legacy ? { avgPrice: plain(avgPrice(o)) } : {}),
    cumQty: plain(o.executedQty),
    ...(legacy ? { cumQuote: plain(o.cumQuote) } : {}),
    timeInForce: o.timeInForce, type: o.type, reduceOnly: o.reduceOnly, closePosition: o.closePosition,
    side: o.side, positionSide: o.positionSide, stopPrice: '0', workingType: o.workingType,
    priceProtect: o.priceProtect, origType: o.origType, priceMatch: o.priceMatch,
    selfTradePreventionMode: o.selfTradePreventionMode, goodTillDate: o.goodTillDate, updateTime: o.updateTime,
  };
}

/** Body of GET /fapi/v1/order, openOrder(s) and allOrders (always with avgPrice and cumQuote). */
export function orderQueryBody(o: SimOrder): Record<string, unknown> {
  return {
    avgPrice: plain(avgPrice(o)), clientOrderId: o.clientOrderId, cumQuote: plain(o.cumQuote),
    executedQty: plain(o.executedQty), orderId: o.orderId, origQty: plain(o.origQty), origType: o.origType,
    price: plain(o.price), reduceOnly: o.reduceOnly, side: o.side, positionSide: o.positionSide,
    status: o.status, stopPrice: '0', closePosition: o.closePosition, symbol: o.symbol, time: o.time,
    timeInForce: o.timeInForce, type: o.type, updateTime: o.updateTime, workingType: o.workingType,
    priceProtect: o.priceProtect, priceMatch: o.priceMatch, selfTradePreventionMode: o.selfTradePreventionMode,
    goodTillDate: o.goodTillDate,
  };
}

/** Body of one GET /fapi/v1/userTrades row. */
export function tradeBody(t: SimTrade): Record<string, unknown> {
  return {
    buyer: t.side === 'BUY', commission: plain(t.commission), commissionAsset: 'USDT', id: t.id,
    maker: t.maker, orderId: t.orderId, price: plain(t.price), qty: plain(t.qty), quoteQty: plain(t.quoteQty),
    realizedPnl: plain(t.realizedPnl), side: t.side, positionSide: t.positionSide, symbol: t.symbol, time: t.time,
  };
}
