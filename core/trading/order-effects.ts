// Effects that write orders, following the idempotency rule: the row with its deterministic client
// id goes in first (a retry's insert is a no-op), the exchange id is recorded only on a row that
// has none, and every later write names the status it expects.
import { clientOrderId, type OrderRole } from '../exchange/client-order-id.ts';
import { NonRetriableError } from '../errors.ts';
import type { AlgoOrder, DecimalString, Order, PositionSide, Side, SymbolFilters } from '../exchange/exchange.port.ts';
import { compareDecimal, roundPrice, roundQty } from '../exchange/precision.ts';
import type { InsertEffect, Row, UpdateEffect } from '../steps/effects.ts';
import { ORDER_CODEC, type OrderRow } from './order.ts';
import { encodeRow } from './row-codec.ts';
import { canMoveOrder, IllegalStatusMoveError, orderStatusFromExchange, type LocalOrderStatus } from './statuses.ts';
import { TABLES } from './tables.ts';

/** An order a handler is about to place. */
export interface NewOrder {
  positionId: number;
  accountId: number;
  symbol: string;
  role: OrderRole;
  rung?: number;
  replacement?: number;
  isAlgo: boolean;
  type: string;
  side: Side;
  positionSide?: PositionSide;
  reduceOnly?: boolean;
  closePosition?: boolean;
  price?: DecimalString | null;
  quantity?: DecimalString | null;
  /** Client id namespace (client-order-id.ts); 'k' unless a test isolates itself. */
  prefix?: string;
}

/**
 * The row for an order before it is placed, keyed by its deterministic client id. `ignoreDuplicate`:
 * a retried step inserts the same id again and nothing happens, so the handler then reads the row
 * (findOrderByClientId) and skips the exchange call when exchangeOrderId is already set.
 */
export function insertOrder(o: NewOrder, at: number): { effect: InsertEffect; clientOrderId: string } {
  const id = clientOrderId({ positionId: o.positionId, role: o.role, rung: o.rung, replacement: o.replacement, prefix: o.prefix });
  const row = encodeRow(TABLES.orders, ORDER_CODEC, {
    positionId: o.positionId, accountId: o.accountId, symbol: o.symbol, role: o.role, rung: o.rung ?? null, replacement: o.replacement ?? 0,
    clientOrderId: id, exchangeOrderId: null, isAlgo: o.isAlgo, type: o.type, side: o.side, positionSide: o.positionSide ?? 'BOTH',
    reduceOnly: o.reduceOnly ?? false, closePosition: o.closePosition ?? false, price: o.price ?? null, quantity: o.quantity ?? null,
    status: 'pending', exchangeStatus: null, exchangePrice: null, exchangeQuantity: null, executedQty: null, avgPrice: null, commission: null,
    exchangeUpdatedAt: null, fillAppliedAt: null, createdAt: at, updatedAt: at,
  });
  return { effect: { kind: 'insert', table: TABLES.orders, row, ignoreDuplicate: true }, clientOrderId: id };
}

/** What the exchange said about an order; undefined fields leave the stored echo as it was. */
export interface OrderEcho {
  exchangeOrderId: string;
  status: LocalOrderStatus;
  exchangeStatus: string;
  price?: DecimalString;
  quantity?: DecimalString;
  executedQty?: DecimalString;
  /** Absent in modify/cancel responses: never a reason to break WAP, just nothing to store. */
  avgPrice?: DecimalString;
  updatedAt: number;
}

/** Raised for an exchange status the tables do not know: stop and let an operator look. */
export class UnknownExchangeStatusError extends NonRetriableError {
  constructor(status: string) {
    super(`unknown exchange order status "${status}"`, 'UNKNOWN_EXCHANGE_STATUS');
  }
}

type Grid = Pick<SymbolFilters, 'tickSize' | 'stepSize'> & Partial<Pick<SymbolFilters, 'minPrice'>>;
const positive = (v: DecimalString | undefined) => (v !== undefined && compareDecimal(v, 0) > 0 ? v : undefined);

// Incoming prices and quantities land on the symbol grid before they are stored (trading.md), so
// comparing echo with intent is exact. Average price is not a grid value and is kept as sent.
function onGrid(echo: OrderEcho, grid: Grid | undefined): OrderEcho {
  if (!grid) return echo;
  return {
    ...echo,
    ...(echo.price !== undefined ? { price: roundPrice(echo.price, grid, 'nearest') } : {}),
    ...(echo.quantity !== undefined ? { quantity: roundQty(echo.quantity, grid.stepSize, 'nearest') } : {}),
    ...(echo.executedQty !== undefined ? { executedQty: roundQty(echo.executedQty, grid.stepSize, 'nearest') } : {}),
  };
}

/** The echo of a plain order; a zero price (MARKET) or zero average (no fill yet) is no evidence. */
export function echoOfOrder(order: Order, grid?: Grid): OrderEcho {
  const status = orderStatusFromExchange(order.status, false);
  if (status === null) throw new UnknownExchangeStatusError(order.status);
  return onGrid({
    exchangeOrderId: order.orderId, status, exchangeStatus: order.status, price: positive(order.price), quantity: order.origQty,
    executedQty: order.executedQty, avgPrice: positive(order.avgPrice), updatedAt: order.updateTime,
  }, grid);
}

/** The echo of a conditional order: its trigger price is the price we compare with intent. */
export function echoOfAlgo(algo: AlgoOrder, grid?: Grid): OrderEcho {
  const status = orderStatusFromExchange(algo.status, true);
  if (status === null) throw new UnknownExchangeStatusError(algo.status);
  return onGrid({
    exchangeOrderId: algo.algoId, status, exchangeStatus: algo.status, price: positive(algo.triggerPrice), quantity: positive(algo.quantity),
    executedQty: algo.actualQty, avgPrice: positive(algo.actualPrice), updatedAt: algo.updateTime,
  }, grid);
}

/** Options of an order write; `required` defaults to true (a miss means stale belief: retry on fresh reads). */
export interface OrderWriteOptions {
  at: number;
  required?: boolean;
}

function echoSet(echo: OrderEcho, at: number): Row {
  return encodeRow(TABLES.orders, ORDER_CODEC, {
    exchangeOrderId: echo.exchangeOrderId, status: echo.status, exchangeStatus: echo.exchangeStatus, exchangePrice: echo.price,
    exchangeQuantity: echo.quantity, executedQty: echo.executedQty, avgPrice: echo.avgPrice, exchangeUpdatedAt: echo.updatedAt, updatedAt: at,
  });
}

/**
 * Records a placement on a row known to be pending and never placed, for seeds and tests that
 * write rows directly. Handlers merge what the exchange says instead (order-merge.ts).
 */
export function recordPlacement(clientOrderId: string, echo: OrderEcho, options: OrderWriteOptions): UpdateEffect {
  if (!canMoveOrder('pending', echo.status)) throw new IllegalStatusMoveError('order', 'pending', echo.status);
  const where: Row = { client_order_id: clientOrderId, status: 'pending', exchange_order_id: null };
  return { kind: 'update', table: TABLES.orders, where, set: echoSet(echo, options.at), required: options.required ?? true };
}

/** A status change without an echo (an algo cancel confirms without echoing the order). */
export function moveOrder(clientOrderId: string, from: LocalOrderStatus, to: LocalOrderStatus, options: OrderWriteOptions): UpdateEffect {
  if (!canMoveOrder(from, to)) throw new IllegalStatusMoveError('order', from, to);
  const set = encodeRow(TABLES.orders, ORDER_CODEC, { status: to, updatedAt: options.at });
  return { kind: 'update', table: TABLES.orders, where: { client_order_id: clientOrderId, status: from }, set, required: options.required ?? true };
}

/** Changes our intent on a live order (WAP re-pricing the TP, a correction restoring a rung). */
export function reviseOrderIntent(
  clientOrderId: string, expected: LocalOrderStatus, intent: Partial<Pick<OrderRow, 'price' | 'quantity'>>, options: OrderWriteOptions,
): UpdateEffect {
  const set = encodeRow(TABLES.orders, ORDER_CODEC, { price: intent.price, quantity: intent.quantity, updatedAt: options.at });
  return { kind: 'update', table: TABLES.orders, where: { client_order_id: clientOrderId, status: expected }, set, required: options.required ?? true };
}

/**
 * Marks a filled rung as applied by WAP. Not required: a miss means it was already applied, which
 * is the outcome we want, so a second WAP for the same fill commits as a no-op.
 */
export function markFillApplied(orderId: number, at: number): UpdateEffect {
  return { kind: 'update', table: TABLES.orders, where: { id: orderId, status: 'filled', fill_applied_at: null }, set: { fill_applied_at: at, updated_at: at } };
}
