// The matching engine for plain orders: validate and accept a new order, take liquidity from the
// synthetic book, rest the remainder, fill resting orders as the last price crosses them, cancel,
// expire and modify in place. Every state change publishes Binance's ORDER_TRADE_UPDATE.
import { dec, minDec, type Dec } from './decimal.ts';
import type { SimAccount } from './accounts.ts';
import { expireOrphanedCloseAll, finishAlgoChild } from './algo-lifecycle.ts';
import { checkNotional, checkPercentPrice, checkPrice, checkQty } from './filters.ts';
import { accountTotals, isReducing, reducibleQty, requiredMargin } from './margin.ts';
import type { SimMarket } from './market.ts';
import type { NewOrderRequest } from './order-params.ts';
import { isOpen, remaining, type Side, type SimOrder } from './orders.ts';
import type { PositionSide } from './positions.ts';
import { crosses, fillableQty, takerLevels, wouldTake } from './sim-book.ts';
import { errors } from './sim-error.ts';
import type { SimState } from './sim-state.ts';
import { publishOrder, settleFill } from './settlement.ts';

/** Extra facts about orders the engine places itself (algo children). */
export interface InternalOrder {
  algoId?: number;
  closePosition?: boolean;
  /** Skip filter, duplicate-id and margin checks: the engine already sized the order. */
  trusted?: boolean;
  /** Called once the order has its id, before its NEW frame (the algo service emits TRIGGERED here). */
  onAccepted?: (order: SimOrder) => void;
}

/** The result of a placement: the live order and a snapshot as accepted (for ACK responses). */
export interface Placement {
  order: SimOrder;
  accepted: SimOrder;
}

const GTD_MAX = 253_402_300_799_000;

function resolvePositionSide(account: SimAccount, req: NewOrderRequest): PositionSide {
  const ps = req.positionSide ?? 'BOTH';
  if (account.dualSidePosition) {
    if (ps === 'BOTH') throw errors.positionSideMismatch();
    if (req.reduceOnlySent) throw errors.notRequired('reduceOnly');
  } else if (ps !== 'BOTH') throw errors.positionSideMismatch();
  return ps;
}

function validate(state: SimState, account: SimAccount, market: SimMarket, req: NewOrderRequest, ps: PositionSide, internal: InternalOrder): void {
  const reducing = isReducing({ side: req.side, positionSide: ps, reduceOnly: req.reduceOnly });
  if (req.timeInForce === 'GTD' && (req.goodTillDate <= state.now() + 600_000 || req.goodTillDate >= GTD_MAX)) throw errors.badGoodTillDate();
  if (req.price) {
    checkPrice(market, req.price);
    checkPercentPrice(market, req.side, req.price);
  }
  checkQty(market, req.quantity, req.type === 'MARKET');
  if (reducing) {
    const reducible = reducibleQty(account.leg(market.symbol, ps), req.side);
    if (reducible.isZero()) throw errors.reduceOnlyRejected();
    if (ps !== 'BOTH' && req.quantity.greaterThan(reducible)) throw errors.reduceOnlyRejected();
  }
  checkNotional(market, req.quantity, req.price ?? market.mark, reducing);
  if (req.clientOrderId && account.working().some((o) => o.clientOrderId === req.clientOrderId)) throw errors.duplicateClientId();
  if (req.type === 'LIMIT' && account.working(market.symbol).length >= state.behaviour.maxOpenOrders) throw errors.maxOpenOrders();
  if (!reducing && !internal.trusted) {
    const need = requiredMargin(state, account, { symbol: market.symbol, side: req.side, positionSide: ps, qty: req.quantity, price: req.price ?? market.mark });
    if (need.greaterThan(accountTotals(state, account).available)) throw errors.marginInsufficient();
  }
  if (req.type === 'LIMIT' && req.price) {
    const takes = wouldTake(req.side, req.price, market.last);
    if (req.timeInForce === 'GTX' && takes) throw errors.gtxRejected();
    if (req.timeInForce === 'FOK' && fillableQty(req.side, market.last, market.tick, req.quantity, market.depth, req.price).lessThan(req.quantity)) throw errors.fokRejected();
  }
}

/** Validates, accepts and executes a new order; throws SimError with Binance's code on rejection. */
export function placeOrder(state: SimState, account: SimAccount, req: NewOrderRequest, internal: InternalOrder = {}): Placement {
  const market = state.market(req.symbol);
  const ps = resolvePositionSide(account, req);
  if (!internal.trusted) validate(state, account, market, req, ps, internal);
  const now = state.now();
  const orderId = state.nextOrderId();
  const order: SimOrder = {
    apiKey: account.apiKey, orderId, clientOrderId: req.clientOrderId ?? `sim_${orderId}`, symbol: market.symbol,
    side: req.side, positionSide: ps, type: req.type, origType: req.type,
    timeInForce: internal.closePosition ? 'GTE_GTC' : req.timeInForce, price: req.price ?? dec(0),
    origQty: req.quantity, executedQty: dec(0), cumQuote: dec(0), reduceOnly: req.reduceOnly || Boolean(internal.closePosition),
    closePosition: Boolean(internal.closePosition), status: 'NEW', time: now, updateTime: now, workingType: 'CONTRACT_PRICE',
    priceProtect: false, priceMatch: 'NONE', selfTradePreventionMode: 'EXPIRE_MAKER',
    goodTillDate: req.timeInForce === 'GTD' ? Math.floor(req.goodTillDate / 1000) * 1000 : 0,
    modifyCount: 0, expiryReason: 0, priority: state.nextPriority(), algoId: internal.algoId,
  };
  account.orders.set(orderId, order);
  account.openOrders.set(orderId, order);
  internal.onAccepted?.(order);
  publishOrder(state, account, order, 'NEW', now);
  const accepted = { ...order };
  if (order.type === 'MARKET' || wouldTake(order.side, order.price, market.last)) takeLiquidity(state, account, market, order);
  if (isOpen(order) && (order.type === 'MARKET' || order.timeInForce === 'IOC' || order.timeInForce === 'FOK')) {
    // er: 4 when a reduce-only order ran out of position, else 9 (MARKET) or 2 (IOC/FOK remainder).
    const knockedOut = isReducing(order) && reducibleQty(account.leg(order.symbol, order.positionSide), order.side).isZero();
    expireOrder(state, account, order, knockedOut ? 4 : order.type === 'MARKET' ? 9 : 2);
  }
  afterPositionChange(state, account, market.symbol);
  return { order, accepted };
}

// Fills an order as a taker against the synthetic book, respecting reduce-only caps.
function takeLiquidity(state: SimState, account: SimAccount, market: SimMarket, order: SimOrder): void {
  const limit = order.type === 'LIMIT' ? order.price : undefined;
  for (const level of takerLevels(order.side, market.last, market.tick, remaining(order), market.depth, limit)) {
    let qty = level.qty;
    if (isReducing(order)) {
      const cap = reducibleQty(account.leg(order.symbol, order.positionSide), order.side);
      if (cap.isZero()) break;
      qty = minDec(qty, cap);
    }
    settleFill(state, account, order, qty, level.price, false);
    if (!isOpen(order)) break;
  }
  if (!isOpen(order)) finishAlgoChild(state, account, order);
}

/** Fills every account's resting LIMIT orders that the market's last price has crossed, as maker. */
export function matchResting(state: SimState, market: SimMarket): void {
  for (const account of state.accounts.values()) {
    const crossed = account.working(market.symbol).filter((o) => o.type === 'LIMIT' && crosses(o.side, o.price, market.last));
    if (crossed.length === 0) continue;
    for (const order of crossed.sort((a, b) => a.priority - b.priority)) {
      if (!isOpen(order)) continue;
      fillResting(state, account, market, order);
    }
    afterPositionChange(state, account, market.symbol);
  }
}

/** Fills up to `qty` (default: what the book depth allows) of a resting order at its own price. */
export function fillResting(state: SimState, account: SimAccount, market: SimMarket, order: SimOrder, qty?: Dec): void {
  let take = qty ? minDec(qty, remaining(order)) : remaining(order);
  if (!qty && market.depth) take = minDec(take, market.depth);
  if (isReducing(order)) take = minDec(take, reducibleQty(account.leg(order.symbol, order.positionSide), order.side));
  if (take.isZero() || take.isNegative()) return;
  settleFill(state, account, order, take, order.price, true);
  if (!isOpen(order)) finishAlgoChild(state, account, order);
}

function close(state: SimState, account: SimAccount, order: SimOrder, status: 'CANCELED' | 'EXPIRED'): void {
  order.status = status;
  order.updateTime = state.now();
  account.openOrders.delete(order.orderId);
  publishOrder(state, account, order, status === 'CANCELED' ? 'CANCELED' : 'EXPIRED');
  finishAlgoChild(state, account, order);
}

/** Cancels a working order (x=CANCELED). */
export function cancelOrder(state: SimState, account: SimAccount, order: SimOrder): void {
  close(state, account, order, 'CANCELED');
  expireOrphanedCloseAll(state, account, order.symbol);
}

/** Expires a working order with Binance's expiry reason (`er`). */
export function expireOrder(state: SimState, account: SimAccount, order: SimOrder, reason: number): void {
  order.expiryReason = reason;
  close(state, account, order, 'EXPIRED');
}

/** Expires reduce-only orders that can no longer reduce, then orphaned close-position algos. */
export function afterPositionChange(state: SimState, account: SimAccount, symbol: string): void {
  for (const order of account.working(symbol)) {
    if (isReducing(order) && reducibleQty(account.leg(symbol, order.positionSide), order.side).isZero()) expireOrder(state, account, order, 4);
  }
  expireOrphanedCloseAll(state, account, symbol);
}

/** What PUT /fapi/v1/order asks for. */
export interface ModifyRequest {
  side: Side;
  quantity: Dec;
  price: Dec;
}

/** Modifies a working LIMIT order in place (same orderId), with Binance's modify semantics. */
export function modifyOrder(state: SimState, account: SimAccount, order: SimOrder, req: ModifyRequest): SimOrder {
  if (!isOpen(order) || order.type !== 'LIMIT') throw errors.noSuchOrder();
  if (req.side !== order.side) throw errors.invalidParam('side');
  if (req.quantity.equals(order.origQty) && req.price.equals(order.price)) throw errors.nothingToModify();
  if (order.modifyCount >= state.behaviour.maxModifies) throw errors.tooManyModifies();
  const market = state.market(order.symbol);
  checkPrice(market, req.price);
  checkPercentPrice(market, req.side, req.price);
  checkQty(market, req.quantity, false);
  if (!isReducing(order) && req.quantity.times(req.price).lessThan(market.minNotional)) throw errors.modifyMinNotional(market.minNotional.toFixed());
  const takes = wouldTake(order.side, req.price, market.last);
  // Binance cancels instead of modifying when the new size is already filled or a post-only would take.
  if (req.quantity.lessThanOrEqualTo(order.executedQty) || (order.timeInForce === 'GTX' && takes)) {
    cancelOrder(state, account, order);
    return order;
  }
  order.price = req.price;
  order.origQty = req.quantity;
  order.modifyCount += 1;
  order.priority = state.nextPriority();
  order.updateTime = state.now();
  publishOrder(state, account, order, 'AMENDMENT');
  if (takes) takeLiquidity(state, account, market, order);
  afterPositionChange(state, account, order.symbol);
  return order;
}

/** Expires GTD orders whose goodTillDate has passed. */
export function expireGoodTillDate(state: SimState): void {
  const now = state.now();
  for (const account of state.accounts.values()) {
    for (const order of account.working()) if (order.goodTillDate > 0 && order.goodTillDate <= now) expireOrder(state, account, order, 0);
  }
}
