// Plain LIMIT / MARKET orders on /fapi/v1/order, addressed by our client id. Conditional types are
// refused here: since 2025-12-09 Binance answers them with -4120 (they go to the algo API).
import { ValidationError } from '../../errors.ts';
import { isExchangeError } from '../exchange-errors.ts';
import type { ModifyOrderRequest, Order, OrderRef, PlaceOrderRequest } from '../exchange.port.ts';
import { toOrder } from './normalise-orders.ts';
import type { BinanceRequest, Endpoint, Params } from './request.ts';
import { clientIdParam, decimalParam, flag } from './validate.ts';

// New and modified orders cost the account's order buckets, not IP weight.
const PLACE: Endpoint = { method: 'POST', path: '/fapi/v1/order', security: 'SIGNED', weight: 0, orders: 1, mutation: true };
const MODIFY: Endpoint = { method: 'PUT', path: '/fapi/v1/order', security: 'SIGNED', weight: 0, orders: 1, mutation: true };
const CANCEL: Endpoint = { method: 'DELETE', path: '/fapi/v1/order', security: 'SIGNED', weight: 1, mutation: true };
const QUERY: Endpoint = { method: 'GET', path: '/fapi/v1/order', security: 'SIGNED', weight: 1, mutation: false };

function refParams(ref: OrderRef): Params {
  if (ref.clientOrderId !== undefined) return { symbol: ref.symbol, origClientOrderId: clientIdParam('clientOrderId', ref.clientOrderId) };
  if (ref.orderId !== undefined) return { symbol: ref.symbol, orderId: ref.orderId };
  throw new ValidationError('an order reference needs clientOrderId or orderId', 'INVALID_ORDER');
}

/** Places a LIMIT or MARKET order and returns its RESULT state (MARKET comes back filled or expired). */
export async function placeOrder(http: BinanceRequest, r: PlaceOrderRequest): Promise<Order> {
  if (r.type !== 'LIMIT' && r.type !== 'MARKET') throw new ValidationError(`order type ${String(r.type)} goes through the algo order API`, 'INVALID_ORDER');
  const limit = r.type === 'LIMIT';
  if (!limit && r.price !== undefined) throw new ValidationError('a MARKET order takes no price', 'INVALID_ORDER');
  const params: Params = {
    symbol: r.symbol,
    side: r.side,
    positionSide: r.positionSide,
    type: r.type,
    timeInForce: limit ? (r.timeInForce ?? 'GTC') : undefined,
    quantity: decimalParam('quantity', r.quantity, true),
    price: decimalParam('price', r.price, limit),
    reduceOnly: flag(r.reduceOnly),
    newClientOrderId: clientIdParam('clientOrderId', r.clientOrderId),
    goodTillDate: r.goodTillDate,
    newOrderRespType: 'RESULT',
  };
  return http.call(PLACE, params, toOrder);
}

/** Modifies a resting LIMIT order in place (Binance requires side, quantity and price). */
export async function modifyOrder(http: BinanceRequest, r: ModifyOrderRequest): Promise<Order> {
  const params: Params = {
    ...refParams(r),
    side: r.side,
    quantity: decimalParam('quantity', r.quantity, true),
    price: decimalParam('price', r.price, true),
  };
  return http.call(MODIFY, params, toOrder);
}

/** Cancels an order; -2011 (UNKNOWN_ORDER) when it is unknown or already finished. */
export async function cancelOrder(http: BinanceRequest, ref: OrderRef): Promise<Order> {
  return http.call(CANCEL, refParams(ref), toOrder);
}

/** Reads one order; -2013 (ORDER_NOT_FOUND) when the exchange does not know it. */
export async function getOrder(http: BinanceRequest, ref: OrderRef): Promise<Order> {
  return http.call(QUERY, refParams(ref), toOrder);
}

/** getOrder, with "not found" as null: the reconcile step of every placement. */
export async function findOrder(http: BinanceRequest, ref: OrderRef): Promise<Order | null> {
  try {
    return await getOrder(http, ref);
  } catch (error) {
    if (isExchangeError(error, 'ORDER_NOT_FOUND', 'UNKNOWN_ORDER')) return null;
    throw error;
  }
}
