// Small typed reads over a RowReader (ctx.rows in a handler, the store in the CLI). Each is one
// equality query the schema has an index for; anything richer belongs to the caller.
import type { Row } from '../steps/effects.ts';
import type { RowReader } from '../steps/step-store.port.ts';
import { toAccount, type AccountRow } from './account.ts';
import { toExchangeSymbol, type ExchangeSymbolRow } from './exchange-symbol.ts';
import { toOrder, type OrderRow } from './order.ts';
import { toPosition, type PositionRow } from './position.ts';
import type { Direction, LocalOrderStatus, PositionStatus } from './statuses.ts';
import { DEFAULT_EXCHANGE, TABLES } from './tables.ts';

async function one<T>(rows: RowReader, table: string, where: Row, map: (row: Row) => T): Promise<T | null> {
  const [row] = await rows.findRows(table, where, { limit: 1 });
  return row ? map(row) : null;
}

/** One account by id. */
export function getAccount(rows: RowReader, id: number): Promise<AccountRow | null> {
  return one(rows, TABLES.accounts, { id }, toAccount);
}

/** Every account in use, trading switch on or off (the switch gates new positions only: open ones are still managed); removed ones are history. */
export async function allAccounts(rows: RowReader): Promise<AccountRow[]> {
  return (await rows.findRows(TABLES.accounts, { removed_at: null }, { orderBy: 'id' })).map(toAccount);
}

/** Accounts whose trading switch is on (the 3-minute open tick's candidates); removal switches it off. */
export async function tradingAccounts(rows: RowReader): Promise<AccountRow[]> {
  return (await rows.findRows(TABLES.accounts, { trading_enabled: 1, removed_at: null })).map(toAccount);
}

/** One symbol of one exchange. */
export function getSymbol(rows: RowReader, symbol: string, exchange = DEFAULT_EXCHANGE): Promise<ExchangeSymbolRow | null> {
  return one(rows, TABLES.symbols, { exchange, symbol }, toExchangeSymbol);
}

/**
 * Slot assignment's candidates for a direction: trading on the exchange, concluded in that
 * direction, switched on by the operator and not blocked. Ordered by symbol for determinism; the
 * caller ranks them and drops pairs already open.
 */
export async function eligibleSymbols(rows: RowReader, direction: Direction, exchange = DEFAULT_EXCHANGE): Promise<ExchangeSymbolRow[]> {
  const found = await rows.findRows(TABLES.symbols, { exchange, direction, is_eligible: 1, is_blocked: 0, status: 'TRADING' }, { orderBy: 'symbol' });
  return found.map(toExchangeSymbol);
}

/** One position by id. */
export function getPosition(rows: RowReader, id: number): Promise<PositionRow | null> {
  return one(rows, TABLES.positions, { id }, toPosition);
}

/** One position by the uuid its creator chose (null: never inserted, e.g. the pair was already open). */
export function getPositionByUuid(rows: RowReader, uuid: string): Promise<PositionRow | null> {
  return one(rows, TABLES.positions, { uuid }, toPosition);
}

/** An account's open positions, both directions (slot counting, pair exclusion). */
export async function openPositionsFor(rows: RowReader, accountId: number): Promise<PositionRow[]> {
  return (await rows.findRows(TABLES.positions, { account_id: accountId, is_open: 1 })).map(toPosition);
}

/** Filters for listing positions; `open` selects every open status at once. */
export interface PositionQuery {
  accountId?: number;
  status?: PositionStatus | 'open';
  limit?: number;
}

/** Positions newest first (CLI and admin). */
export async function listPositions(rows: RowReader, q: PositionQuery = {}): Promise<PositionRow[]> {
  const where: Row = {
    ...(q.accountId !== undefined ? { account_id: q.accountId } : {}),
    ...(q.status === 'open' ? { is_open: 1 } : q.status !== undefined ? { status: q.status } : {}),
  };
  return (await rows.findRows(TABLES.positions, where, { desc: true, limit: q.limit ?? 100 })).map(toPosition);
}

/** A position's orders in creation order. */
export async function ordersOf(rows: RowReader, positionId: number): Promise<OrderRow[]> {
  return (await rows.findRows(TABLES.orders, { position_id: positionId })).map(toOrder);
}

/** The order holding a client id: the idempotency check before every placement. */
export function findOrderByClientId(rows: RowReader, clientOrderId: string): Promise<OrderRow | null> {
  return one(rows, TABLES.orders, { client_order_id: clientOrderId }, toOrder);
}

/** Filled rungs WAP has not applied yet (the scan after each WAP and the self-heal). */
export async function unappliedFills(rows: RowReader, positionId: number): Promise<OrderRow[]> {
  return (await rows.findRows(TABLES.orders, { position_id: positionId, role: 'rung', status: 'filled', fill_applied_at: null })).map(toOrder);
}

/** Filters for listing orders. */
export interface OrderQuery {
  positionId?: number;
  accountId?: number;
  status?: LocalOrderStatus;
  limit?: number;
}

/** Orders: a position's in creation order, otherwise newest first (CLI and admin). */
export async function listOrders(rows: RowReader, q: OrderQuery = {}): Promise<OrderRow[]> {
  const where: Row = {
    ...(q.positionId !== undefined ? { position_id: q.positionId } : {}),
    ...(q.accountId !== undefined ? { account_id: q.accountId } : {}),
    ...(q.status !== undefined ? { status: q.status } : {}),
  };
  return (await rows.findRows(TABLES.orders, where, { desc: q.positionId === undefined, limit: q.limit ?? 100 })).map(toOrder);
}

/**
 * Open positions' symbols whose mark price was last recorded before `before` (or never): the
 * "mark price stale" check over any store (the MySQL fleet has a one-query join for it).
 */
export async function staleMarkPricesOf(rows: RowReader, before: number, exchange = DEFAULT_EXCHANGE): Promise<{ symbol: string; markPriceAt: number | null }[]> {
  const open = (await rows.findRows(TABLES.positions, { is_open: 1, exchange })).map(toPosition);
  const stale: { symbol: string; markPriceAt: number | null }[] = [];
  for (const symbol of [...new Set(open.map((p) => p.symbol))].sort()) {
    const markPriceAt = (await getSymbol(rows, symbol, exchange))?.markPriceAt ?? null;
    if (markPriceAt === null || markPriceAt < before) stale.push({ symbol, markPriceAt });
  }
  return stale;
}
