// Conditional orders held by the algo service until they trigger, and their JSON bodies.
import { plain, type Dec } from './decimal.ts';
import type { Side } from './orders.ts';
import type { PositionSide } from './positions.ts';

/** Algo order lifecycle: NEW → TRIGGERING → TRIGGERED → FINISHED, or CANCELED / REJECTED / EXPIRED. */
export type AlgoStatus = 'NEW' | 'TRIGGERING' | 'TRIGGERED' | 'FINISHED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';
/** Conditional types the simulator executes. */
export type AlgoOrderType = 'STOP_MARKET' | 'TAKE_PROFIT_MARKET' | 'STOP' | 'TAKE_PROFIT';

/** One conditional order. */
export interface SimAlgoOrder {
  apiKey: string;
  algoId: number;
  clientAlgoId: string;
  orderType: AlgoOrderType;
  symbol: string;
  side: Side;
  positionSide: PositionSide;
  timeInForce: string;
  /** Null with closePosition: the size is read at trigger time. */
  quantity: Dec | null;
  price: Dec | null;
  triggerPrice: Dec;
  workingType: 'MARK_PRICE' | 'CONTRACT_PRICE';
  closePosition: boolean;
  reduceOnly: boolean;
  priceProtect: boolean;
  status: AlgoStatus;
  createTime: number;
  updateTime: number;
  triggerTime: number;
  /** Set once triggered: the child order in the matching engine. */
  actualOrderId?: number;
  actualType?: 'MARKET' | 'LIMIT';
  actualQty?: Dec;
  actualAvgPrice?: Dec;
  /** Failure reason (ALGO_UPDATE `rm`). */
  reason?: string;
}

/** True while the algo order waits for its trigger. */
export function isAlgoOpen(algo: SimAlgoOrder): boolean {
  return algo.status === 'NEW';
}

/** Whether `price` meets the trigger: STOP buys at or above, sells at or below; TAKE_PROFIT the reverse. */
export function triggerMet(algo: Pick<SimAlgoOrder, 'orderType' | 'side' | 'triggerPrice'>, price: Dec): boolean {
  const stop = algo.orderType === 'STOP_MARKET' || algo.orderType === 'STOP';
  const upward = stop === (algo.side === 'BUY');
  return upward ? price.greaterThanOrEqualTo(algo.triggerPrice) : price.lessThanOrEqualTo(algo.triggerPrice);
}

function base(a: SimAlgoOrder) {
  return {
    algoId: a.algoId, clientAlgoId: a.clientAlgoId, algoType: 'CONDITIONAL', orderType: a.orderType,
    symbol: a.symbol, side: a.side, positionSide: a.positionSide, timeInForce: a.timeInForce,
    quantity: a.quantity ? plain(a.quantity) : '0', algoStatus: a.status,
  };
}

function tail(a: SimAlgoOrder) {
  return {
    selfTradePreventionMode: 'EXPIRE_MAKER', workingType: a.workingType, priceMatch: 'NONE',
    closePosition: a.closePosition, priceProtect: a.priceProtect, reduceOnly: a.reduceOnly,
  };
}

/** Body of POST /fapi/v1/algoOrder. */
export function algoPlaceBody(a: SimAlgoOrder): Record<string, unknown> {
  return {
    ...base(a), triggerPrice: plain(a.triggerPrice), price: a.price ? plain(a.price) : '0', icebergQuantity: null,
    ...tail(a), activatePrice: '', callbackRate: '', createTime: a.createTime, updateTime: a.updateTime,
    triggerTime: a.triggerTime, goodTillDate: 0,
  };
}

/** Body of GET /fapi/v1/algoOrder, openAlgoOrders and allAlgoOrders (with the child order fields). */
export function algoQueryBody(a: SimAlgoOrder): Record<string, unknown> {
  return {
    ...base(a), actualOrderId: a.actualOrderId === undefined ? '' : String(a.actualOrderId),
    actualPrice: a.actualAvgPrice ? plain(a.actualAvgPrice) : '0', actualType: a.actualType ?? '',
    actualQty: a.actualQty ? plain(a.actualQty) : '0', triggerPrice: plain(a.triggerPrice),
    price: a.price ? plain(a.price) : '0', icebergQuantity: null, tpOrderType: '', ...tail(a),
    createTime: a.createTime, updateTime: a.updateTime, triggerTime: a.triggerTime, goodTillDate: 0,
  };
}
