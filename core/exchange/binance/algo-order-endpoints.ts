// Conditional orders (stop-loss, take-profit, trailing) on Binance's algo order API, addressed by
// our clientAlgoId. They live in the algo service until triggered, then spawn a plain order.
import { ValidationError } from '../../errors.ts';
import { isExchangeError } from '../exchange-errors.ts';
import type { AlgoCancel, AlgoOrder, AlgoOrderRef, PlaceAlgoOrderRequest } from '../exchange.port.ts';
import { toAlgoCancel, toAlgoOrder } from './normalise-orders.ts';
import type { BinanceRequest, Endpoint, Params } from './request.ts';
import { arr } from './wire.ts';
import { clientIdParam, decimalParam, flag } from './validate.ts';

const PLACE: Endpoint = { method: 'POST', path: '/fapi/v1/algoOrder', security: 'SIGNED', weight: 0, orders: 1, mutation: true };
const CANCEL: Endpoint = { method: 'DELETE', path: '/fapi/v1/algoOrder', security: 'SIGNED', weight: 1, mutation: true };
const QUERY: Endpoint = { method: 'GET', path: '/fapi/v1/algoOrder', security: 'SIGNED', weight: 1, mutation: false };
const OPEN: Endpoint = { method: 'GET', path: '/fapi/v1/openAlgoOrders', security: 'SIGNED', weight: (p) => (p.symbol ? 1 : 40), mutation: false };

function refParams(ref: AlgoOrderRef): Params {
  if (ref.clientAlgoId !== undefined) return { clientAlgoId: clientIdParam('clientAlgoId', ref.clientAlgoId) };
  if (ref.algoId !== undefined) return { algoId: ref.algoId };
  throw new ValidationError('an algo order reference needs clientAlgoId or algoId', 'INVALID_ORDER');
}

/** Places a conditional order (algoType CONDITIONAL). */
export async function placeAlgoOrder(http: BinanceRequest, r: PlaceAlgoOrderRequest): Promise<AlgoOrder> {
  if (r.closePosition && (r.quantity !== undefined || r.reduceOnly !== undefined)) {
    // Binance: closePosition takes neither quantity (-4137) nor reduceOnly (-4138 family).
    throw new ValidationError('closePosition takes neither quantity nor reduceOnly', 'INVALID_ORDER');
  }
  if (!r.closePosition && r.type !== 'TRAILING_STOP_MARKET' && r.quantity === undefined) throw new ValidationError('quantity is required unless closePosition', 'INVALID_ORDER');
  const params: Params = {
    algoType: 'CONDITIONAL',
    symbol: r.symbol,
    side: r.side,
    positionSide: r.positionSide,
    type: r.type,
    timeInForce: r.timeInForce,
    quantity: decimalParam('quantity', r.quantity, false),
    price: decimalParam('price', r.price, r.type === 'STOP' || r.type === 'TAKE_PROFIT'),
    triggerPrice: decimalParam('triggerPrice', r.triggerPrice, r.type !== 'TRAILING_STOP_MARKET'),
    workingType: r.workingType,
    closePosition: flag(r.closePosition),
    priceProtect: flag(r.priceProtect),
    reduceOnly: flag(r.reduceOnly),
    activatePrice: decimalParam('activatePrice', r.activatePrice, false),
    callbackRate: decimalParam('callbackRate', r.callbackRate, false),
    clientAlgoId: clientIdParam('clientAlgoId', r.clientAlgoId),
    newOrderRespType: 'RESULT',
  };
  return http.call(PLACE, params, toAlgoOrder);
}

/** Cancels a conditional order. */
export async function cancelAlgoOrder(http: BinanceRequest, ref: AlgoOrderRef): Promise<AlgoCancel> {
  return http.call(CANCEL, refParams(ref), toAlgoCancel);
}

/** Reads one conditional order (with the child order once triggered). */
export async function getAlgoOrder(http: BinanceRequest, ref: AlgoOrderRef): Promise<AlgoOrder> {
  return http.call(QUERY, refParams(ref), toAlgoOrder);
}

/** getAlgoOrder, with "not found" as null. */
export async function findAlgoOrder(http: BinanceRequest, ref: AlgoOrderRef): Promise<AlgoOrder | null> {
  try {
    return await getAlgoOrder(http, ref);
  } catch (error) {
    if (isExchangeError(error, 'ORDER_NOT_FOUND', 'UNKNOWN_ORDER')) return null;
    throw error;
  }
}

/** Working conditional orders (weight 40 without a symbol). */
export function getOpenAlgoOrders(http: BinanceRequest, symbol?: string): Promise<AlgoOrder[]> {
  return http.call(OPEN, { symbol }, (body) => arr(body, 'openAlgoOrders').map(toAlgoOrder));
}
