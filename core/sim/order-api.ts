// The order endpoints as plain functions: parsed parameters in, Binance's JSON bodies out. The HTTP
// face and an in-process fake exchange call the same functions.
import type { SimAccount } from './accounts.ts';
import { algoPlaceBody, algoQueryBody } from './algo-order.ts';
import { cancelAlgo, findAlgoByParams, parseAlgoOrder, placeAlgo } from './algo-service.ts';
import { cancelOrder, modifyOrder, placeOrder } from './matching-engine.ts';
import { parseNewOrder, sideParams } from './order-params.ts';
import { isOpen, orderMutationBody, orderQueryBody, tradeBody, type SimOrder } from './orders.ts';
import { decimalParam, intParam, limitParam, optional, required, type Params } from './params.ts';
import { errors, SimError } from './sim-error.ts';
import type { SimState } from './sim-state.ts';

/** Reads `orderId` / `origClientOrderId` and finds the order on the symbol. */
export function findOrderByParams(account: SimAccount, p: Params): SimOrder | undefined {
  const symbol = required(p, 'symbol');
  const orderId = intParam(p, 'orderId');
  const clientOrderId = optional(p, 'origClientOrderId');
  if (orderId === undefined && clientOrderId === undefined) throw errors.eitherOrderId();
  return account.findOrder(symbol, orderId !== undefined ? { orderId } : { clientOrderId });
}

/** POST /fapi/v1/order. */
export function newOrder(state: SimState, account: SimAccount, p: Params): Record<string, unknown> {
  const req = parseNewOrder(p);
  const { order, accepted } = placeOrder(state, account, req);
  return orderMutationBody(req.respType === 'RESULT' ? order : accepted, state.behaviour.legacyOrderFields);
}

/** PUT /fapi/v1/order (modify in place, same orderId). */
export function modifyOrderApi(state: SimState, account: SimAccount, p: Params): Record<string, unknown> {
  state.market(required(p, 'symbol'));
  const order = findOrderByParams(account, p);
  const { side } = sideParams(p);
  const quantity = decimalParam(p, 'quantity');
  const price = decimalParam(p, 'price');
  if (!quantity) throw errors.mandatory('quantity');
  if (!price) throw errors.mandatory('price');
  if (!order) throw errors.noSuchOrder();
  return orderMutationBody(modifyOrder(state, account, order, { side, quantity, price }), state.behaviour.legacyOrderFields);
}

/** DELETE /fapi/v1/order. */
export function cancelOrderApi(state: SimState, account: SimAccount, p: Params): Record<string, unknown> {
  state.market(required(p, 'symbol'));
  const order = findOrderByParams(account, p);
  if (!order || !isOpen(order)) throw errors.unknownOrder();
  cancelOrder(state, account, order);
  return orderMutationBody(order, state.behaviour.legacyOrderFields);
}

/** GET /fapi/v1/order (plain orders only; algo orders are not visible here). */
export function queryOrder(state: SimState, account: SimAccount, p: Params): Record<string, unknown> {
  state.market(required(p, 'symbol'));
  const order = findOrderByParams(account, p);
  if (!order) throw errors.noSuchOrder();
  return orderQueryBody(order);
}

/** GET /fapi/v1/openOrder. */
export function queryOpenOrder(state: SimState, account: SimAccount, p: Params): Record<string, unknown> {
  state.market(required(p, 'symbol'));
  const order = findOrderByParams(account, p);
  if (!order || !isOpen(order)) throw errors.noSuchOrder();
  return orderQueryBody(order);
}

/** GET /fapi/v1/openOrders. */
export function openOrders(state: SimState, account: SimAccount, p: Params): unknown[] {
  const symbol = optional(p, 'symbol');
  if (symbol) state.market(symbol);
  return account.working(symbol).map(orderQueryBody);
}

/** GET /fapi/v1/allOrders (orderId returns orders ≥ that id). */
export function allOrders(state: SimState, account: SimAccount, p: Params): unknown[] {
  const symbol = state.market(required(p, 'symbol')).symbol;
  const fromId = intParam(p, 'orderId');
  const start = intParam(p, 'startTime');
  const end = intParam(p, 'endTime');
  const list = [...account.orders.values()].filter((o) => o.symbol === symbol
    && (fromId === undefined || o.orderId >= fromId) && (start === undefined || o.time >= start) && (end === undefined || o.time <= end));
  const limit = limitParam(p, 500, 1000);
  return (fromId === undefined ? list.slice(-limit) : list.slice(0, limit)).map(orderQueryBody);
}

/** GET /fapi/v1/userTrades. */
export function userTrades(state: SimState, account: SimAccount, p: Params): unknown[] {
  const symbol = state.market(required(p, 'symbol')).symbol;
  const orderId = intParam(p, 'orderId');
  const fromId = intParam(p, 'fromId');
  const start = intParam(p, 'startTime');
  const end = intParam(p, 'endTime');
  // Binance: a window of at most 7 days, and fromId never beside one.
  if (fromId !== undefined && (start !== undefined || end !== undefined)) throw errors.notWithTime('fromId');
  if (start !== undefined && end !== undefined && end - start > 7 * 24 * 3600_000) throw errors.intervalTooLarge(168);
  const list = account.trades.filter((t) => t.symbol === symbol && (orderId === undefined || t.orderId === orderId)
    && (fromId === undefined || t.id >= fromId) && (start === undefined || t.time >= start) && (end === undefined || t.time <= end));
  const limit = limitParam(p, 500, 1000);
  return (fromId === undefined ? list.slice(-limit) : list.slice(0, limit)).map(tradeBody);
}

/** DELETE /fapi/v1/allOpenOrders (plain orders of one symbol; algo orders are untouched). */
export function cancelAllOpenOrders(state: SimState, account: SimAccount, p: Params): Record<string, unknown> {
  const symbol = state.market(required(p, 'symbol')).symbol;
  for (const order of account.working(symbol)) cancelOrder(state, account, order);
  return { code: 200, msg: 'The operation of cancel all open order is done.' };
}

function parseList(p: Params, name: string, max: number): unknown[] {
  let list: unknown;
  try {
    list = JSON.parse(required(p, name));
  } catch {
    throw errors.invalidParam(name);
  }
  if (!Array.isArray(list) || list.length === 0 || list.length > max) throw errors.invalidParam(name);
  return list;
}

function each<T>(run: () => T): T | { code: number; msg: string } {
  try {
    return run();
  } catch (error) {
    if (error instanceof SimError) return error.body();
    throw error;
  }
}

function asParams(value: unknown): Params {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

/** POST /fapi/v1/batchOrders: up to 5 orders, each result an order or `{code,msg}`, in request order. */
export function batchNewOrders(state: SimState, account: SimAccount, p: Params): unknown[] {
  return parseList(p, 'batchOrders', 5).map((item) => each(() => newOrder(state, account, asParams(item))));
}

/** PUT /fapi/v1/batchOrders: up to 5 modifies. */
export function batchModifyOrders(state: SimState, account: SimAccount, p: Params): unknown[] {
  return parseList(p, 'batchOrders', 5).map((item) => each(() => modifyOrderApi(state, account, asParams(item))));
}

/** DELETE /fapi/v1/batchOrders: up to 10 cancels by `orderIdList` or `origClientOrderIdList`. */
export function batchCancelOrders(state: SimState, account: SimAccount, p: Params): unknown[] {
  const symbol = required(p, 'symbol');
  const byId = optional(p, 'orderIdList') !== undefined;
  const list = parseList(p, byId ? 'orderIdList' : 'origClientOrderIdList', 10);
  return list.map((ref) => each(() => cancelOrderApi(state, account, byId ? { symbol, orderId: String(ref) } : { symbol, origClientOrderId: String(ref) })));
}

/** POST /fapi/v1/algoOrder. */
export function newAlgoOrder(state: SimState, account: SimAccount, p: Params): Record<string, unknown> {
  return algoPlaceBody(placeAlgo(state, account, parseAlgoOrder(p)));
}

/** DELETE /fapi/v1/algoOrder → `{algoId, clientAlgoId, code:"200", msg:"success"}`. */
export function cancelAlgoOrder(state: SimState, account: SimAccount, p: Params): Record<string, unknown> {
  const algo = cancelAlgo(state, account, findAlgoByParams(account, p));
  return { algoId: algo.algoId, clientAlgoId: algo.clientAlgoId, code: '200', msg: 'success' };
}

/** GET /fapi/v1/algoOrder. */
export function queryAlgoOrder(_state: SimState, account: SimAccount, p: Params): Record<string, unknown> {
  const algo = findAlgoByParams(account, p);
  if (!algo) throw errors.noSuchOrder();
  return algoQueryBody(algo);
}

/** GET /fapi/v1/openAlgoOrders. */
export function openAlgoOrders(state: SimState, account: SimAccount, p: Params): unknown[] {
  const symbol = optional(p, 'symbol');
  if (symbol) state.market(symbol);
  return account.workingAlgos(symbol).map(algoQueryBody);
}

/** GET /fapi/v1/allAlgoOrders. */
export function allAlgoOrders(state: SimState, account: SimAccount, p: Params): unknown[] {
  const symbol = state.market(required(p, 'symbol')).symbol;
  const fromId = intParam(p, 'algoId');
  const start = intParam(p, 'startTime');
  const end = intParam(p, 'endTime');
  const list = [...account.algoOrders.values()].filter((a) => a.symbol === symbol && (fromId === undefined || a.algoId >= fromId)
    && (start === undefined || a.createTime >= start) && (end === undefined || a.createTime <= end));
  const limit = limitParam(p, 500, 1000);
  return (fromId === undefined ? list.slice(-limit) : list.slice(0, limit)).map(algoQueryBody);
}

/** DELETE /fapi/v1/algoOpenOrders (one symbol). */
export function cancelAllAlgoOrders(state: SimState, account: SimAccount, p: Params): Record<string, unknown> {
  const symbol = state.market(required(p, 'symbol')).symbol;
  for (const algo of account.workingAlgos(symbol)) cancelAlgo(state, account, algo);
  return { code: 200, msg: 'The operation of cancel all open order is done.' };
}
