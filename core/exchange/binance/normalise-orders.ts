// Binance order and algo order payloads → our Order / AlgoOrder (avgPrice and cumQuote optional).
import type { AlgoCancel, AlgoOrder, Order, PositionSide, Side } from '../exchange.port.ts';
import { bool, dec, obj, optDec, optInt, optStr, str } from './wire.ts';

/** An order from POST/PUT/DELETE/GET /fapi/v1/order or openOrders. */
export function toOrder(payload: unknown): Order {
  const o = obj(payload, 'order');
  return {
    symbol: str(o, 'symbol'),
    orderId: str(o, 'orderId'),
    clientOrderId: str(o, 'clientOrderId'),
    side: str(o, 'side') as Side,
    positionSide: (optStr(o, 'positionSide') ?? 'BOTH') as PositionSide,
    type: str(o, 'type'),
    origType: optStr(o, 'origType'),
    status: str(o, 'status'),
    timeInForce: optStr(o, 'timeInForce') ?? 'GTC',
    price: dec(o, 'price'),
    origQty: dec(o, 'origQty'),
    executedQty: dec(o, 'executedQty'),
    avgPrice: optDec(o, 'avgPrice'),
    cumQuote: optDec(o, 'cumQuote'),
    reduceOnly: bool(o, 'reduceOnly'),
    closePosition: bool(o, 'closePosition'),
    stopPrice: optDec(o, 'stopPrice'),
    workingType: optStr(o, 'workingType'),
    updateTime: optInt(o, 'updateTime') ?? optInt(o, 'time') ?? 0,
    raw: payload,
  };
}

/** An algo order from POST/GET /fapi/v1/algoOrder or openAlgoOrders. */
export function toAlgoOrder(payload: unknown): AlgoOrder {
  const o = obj(payload, 'algo order');
  // actualOrderId is "" until the order triggers.
  const actualOrderId = optStr(o, 'actualOrderId');
  return {
    algoId: str(o, 'algoId'),
    clientAlgoId: str(o, 'clientAlgoId'),
    symbol: str(o, 'symbol'),
    side: str(o, 'side') as Side,
    positionSide: (optStr(o, 'positionSide') ?? 'BOTH') as PositionSide,
    type: optStr(o, 'orderType') ?? str(o, 'type'),
    status: str(o, 'algoStatus'),
    triggerPrice: dec(o, 'triggerPrice'),
    price: optDec(o, 'price'),
    quantity: optDec(o, 'quantity'),
    workingType: optStr(o, 'workingType'),
    timeInForce: optStr(o, 'timeInForce'),
    closePosition: bool(o, 'closePosition'),
    reduceOnly: bool(o, 'reduceOnly'),
    priceProtect: bool(o, 'priceProtect'),
    actualOrderId: actualOrderId === '' ? undefined : actualOrderId,
    actualPrice: optDec(o, 'actualPrice'),
    actualQty: optDec(o, 'actualQty'),
    createTime: optInt(o, 'createTime'),
    updateTime: optInt(o, 'updateTime') ?? optInt(o, 'createTime') ?? 0,
    triggerTime: optInt(o, 'triggerTime') || undefined,
    raw: payload,
  };
}

/** DELETE /fapi/v1/algoOrder answers `{algoId, clientAlgoId, code:"200", msg:"success"}`. */
export function toAlgoCancel(payload: unknown): AlgoCancel {
  const o = obj(payload, 'algo cancel');
  return { algoId: str(o, 'algoId'), clientAlgoId: str(o, 'clientAlgoId'), raw: payload };
}
