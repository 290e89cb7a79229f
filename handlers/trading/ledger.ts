// The money ledger (issue 13): when a position ends, its books are read from the exchange — the
// account's trades and its income history — never from what order answers and stream frames
// happened to carry (Binance's new-order answer has no average price; a frame can be lost). Every
// fill is accounted for: a fill the trades do not show yet is waited for, never skipped.
//
// Which trades are the position's: every fill of one of its orders (a conditional order's fills
// are its triggered child's), and, while it still holds exposure, fills on the exit side by orders
// that are not ours (closed by hand on the exchange, liquidated). Gross PnL is the exchange's own
// realised PnL of those fills, fees their commissions, funding the FUNDING_FEE income between the
// first entry fill and the fill that left it flat; net = gross − fees + funding.
import { RetryableExchangeError } from '../../core/exchange/exchange-errors.ts';
import type { AccountTrade, ExchangePort, Side } from '../../core/exchange/exchange.port.ts';
import { compareDecimal, dec, toDecimalString } from '../../core/exchange/precision.ts';
import type { UpdateEffect } from '../../core/steps/effects.ts';
import { mergeEffects } from '../../core/trading/order-merge.ts';
import type { OrderRow } from '../../core/trading/order.ts';
import type { PositionPatch } from '../../core/trading/position-effects.ts';
import type { ExitReason, PositionRow } from '../../core/trading/position.ts';
import { exitSide } from './ladder.ts';
import type { Scope } from './scope.ts';

const WEEK = 7 * 24 * 3600_000;
const PAGE = 1000;
// Trade times are the exchange's clock: read a little either side of ours.
const CLOCK_MARGIN_MS = 60_000;

/** Who placed the order behind a fill that is not ours: a liquidation, or a person on the exchange. */
export type ForeignOrigin = 'liquidation' | 'operator';

/** What the trades say a position made, and the fill evidence for each of its order rows. */
export interface Books {
  grossPnl: string;
  fees: string;
  funding: string;
  netPnl: string;
  /** Quantity-weighted average price of the exit fills; null when nothing was exited. */
  closingPrice: string | null;
  exitReason: ExitReason | null;
  /** Per order row id: executed quantity, average price and commission from its trades. */
  fills: Map<number, { executedQty: string; avgPrice: string; commission: string }>;
  /** Exchange time of the first entry fill and of the fill that left the position flat (funding window). */
  exposedFrom: number | null;
  exposedUntil: number | null;
  /** Our exposure the trades leave open: positive means exit fills are still missing. */
  open: string;
}

/** Inputs of `bookTrades`: the rows, their exchange order ids (an algo row's is its child's) and the account's trades. */
export interface BookInput {
  position: Pick<PositionRow, 'direction' | 'statusReason'>;
  rows: readonly OrderRow[];
  /** Exchange order id → row, for every order of ours the exchange filled or may have filled. */
  orderIds: ReadonlyMap<string, OrderRow>;
  /** The account's trades on the symbol, any order. */
  trades: readonly AccountTrade[];
  /** Exchange order id → who placed it, for fills that are not ours. */
  foreign?: ReadonlyMap<string, ForeignOrigin>;
  /** FUNDING_FEE income inside the exposure window. */
  funding?: readonly string[];
}

/** Why a market close of ours was sent, from the reason its close workflow was started with. */
export function closeCause(statusReason: string | null): ExitReason {
  const reason = (statusReason ?? '').toLowerCase();
  if (reason.includes('operator')) return 'operator';
  if (reason.includes('drift')) return 'drift';
  return 'residual';
}

const ROLE_REASON: Partial<Record<OrderRow['role'], ExitReason>> = { profit: 'take-profit', stop: 'stop-loss' };

/**
 * The position's books from the account's trades (pure). Trades are replayed in exchange order:
 * ours always count; foreign exit-side fills count while we still hold exposure, since they are
 * what took it away.
 */
export function bookTrades(input: BookInput): Books {
  const exit: Side = exitSide(input.position.direction);
  const sorted = [...input.trades].sort((a, b) => a.time - b.time || compareDecimal(a.id, b.id));
  let open = dec(0);
  let gross = dec(0);
  let fees = dec(0);
  let exitQty = dec(0);
  let exitValue = dec(0);
  let exposedFrom: number | null = null;
  let exposedUntil: number | null = null;
  const byReason = new Map<ExitReason, ReturnType<typeof dec>>();
  const perRow = new Map<number, { qty: ReturnType<typeof dec>; value: ReturnType<typeof dec>; fee: ReturnType<typeof dec> }>();
  for (const t of sorted) {
    const row = input.orderIds.get(t.orderId);
    const exiting = t.side === exit;
    if (!row && (!exiting || !open.gt(0))) continue;
    gross = gross.plus(t.realizedPnl);
    fees = fees.plus(t.commission);
    if (row) {
      const r = perRow.get(row.id) ?? { qty: dec(0), value: dec(0), fee: dec(0) };
      perRow.set(row.id, { qty: r.qty.plus(t.qty), value: r.value.plus(dec(t.qty).times(t.price)), fee: r.fee.plus(t.commission) });
    }
    if (!exiting) {
      if (exposedFrom === null) exposedFrom = t.time;
      open = open.plus(t.qty);
      continue;
    }
    open = open.minus(t.qty);
    exitQty = exitQty.plus(t.qty);
    exitValue = exitValue.plus(dec(t.qty).times(t.price));
    if (!open.gt(0)) exposedUntil = t.time;
    const reason: ExitReason = row ? (ROLE_REASON[row.role] ?? closeCause(input.position.statusReason)) : (input.foreign?.get(t.orderId) ?? 'operator');
    byReason.set(reason, (byReason.get(reason) ?? dec(0)).plus(t.qty));
  }
  const funding = (input.funding ?? []).reduce((sum, f) => sum.plus(f), dec(0));
  // The exit that closed the largest part names the ending; ties go to the earliest.
  let exitReason: ExitReason | null = null;
  for (const [reason, qty] of byReason) if (exitReason === null || qty.gt(byReason.get(exitReason)!)) exitReason = reason;
  const fills = new Map([...perRow].map(([id, r]) => [id, {
    executedQty: toDecimalString(r.qty), avgPrice: toDecimalString(r.value.div(r.qty).toDecimalPlaces(18)), commission: toDecimalString(r.fee),
  }]));
  return {
    grossPnl: toDecimalString(gross), fees: toDecimalString(fees), funding: toDecimalString(funding), netPnl: toDecimalString(gross.minus(fees).plus(funding)),
    closingPrice: exitQty.isZero() ? null : toDecimalString(exitValue.div(exitQty).toDecimalPlaces(18)), exitReason, fills, exposedFrom, exposedUntil,
    open: toDecimalString(open),
  };
}

/**
 * Every trade of the account on `symbol` between two times (inclusive), through Binance's 7-day
 * windows. A full page is split in halves until each half fits, so paging does not depend on which
 * end of a crowded window the exchange answers with.
 */
export async function tradesBetween(ex: ExchangePort, symbol: string, from: number, to: number): Promise<AccountTrade[]> {
  const read = async (start: number, end: number): Promise<AccountTrade[]> => {
    const page = await ex.getAccountTrades({ symbol, startTime: start, endTime: end, limit: PAGE });
    if (page.length < PAGE) return page;
    if (end <= start) throw new RetryableExchangeError('EXCHANGE_UNAVAILABLE', `more than ${PAGE} trades of ${symbol} in one millisecond`);
    const mid = Math.floor((start + end) / 2);
    return [...(await read(start, mid)), ...(await read(mid + 1, end))];
  };
  const trades: AccountTrade[] = [];
  for (let start = from; start <= to; start += WEEK) trades.push(...(await read(start, Math.min(to, start + WEEK - 1))));
  return trades;
}

/** Exchange order ids of the position's orders; a conditional order's fills belong to the child its trigger placed. */
async function ourOrderIds(s: Scope, rows: readonly OrderRow[]): Promise<Map<string, OrderRow>> {
  const ids = new Map<string, OrderRow>();
  for (const row of rows) {
    if (!row.isAlgo) {
      if (row.exchangeOrderId !== null) ids.set(row.exchangeOrderId, row);
      continue;
    }
    const dead = (row.status === 'cancelled' || row.status === 'expired' || row.status === 'rejected') && compareDecimal(row.executedQty ?? 0, 0) === 0;
    if (dead) continue;
    const algo = await s.exchange.findAlgoOrder({ clientAlgoId: row.clientOrderId });
    if (algo?.actualOrderId) ids.set(algo.actualOrderId, row);
  }
  return ids;
}

/** Who placed each foreign order behind `trades` (Binance names liquidation orders "autoclose-…"). */
async function foreignOrigins(s: Scope, trades: readonly AccountTrade[], ours: ReadonlyMap<string, OrderRow>): Promise<Map<string, ForeignOrigin>> {
  const origins = new Map<string, ForeignOrigin>();
  for (const orderId of new Set(trades.filter((t) => !ours.has(t.orderId)).map((t) => t.orderId))) {
    const order = await s.exchange.findOrder({ symbol: s.position.symbol, orderId });
    origins.set(orderId, /^(autoclose|adl_autoclose|settlement_autoclose)/.test(order?.clientOrderId ?? '') ? 'liquidation' : 'operator');
  }
  return origins;
}

/** The books of a position that has ended, with the row merges that record each fill's evidence. */
export interface Settlement {
  patch: PositionPatch;
  effects: UpdateEffect[];
}

/**
 * Reads the position's books from the exchange. Throws (retryable) while the trades do not yet
 * show every fill our rows know of, or leave exposure without its exit: a fill is waited for, never skipped.
 */
export async function settleFromExchange(s: Scope, rows: readonly OrderRow[], at: number): Promise<Settlement> {
  const orderIds = await ourOrderIds(s, rows);
  const everFilled = rows.some((r) => compareDecimal(r.executedQty ?? 0, 0) > 0) || orderIds.size > 0;
  const trades = everFilled ? await tradesBetween(s.exchange, s.position.symbol, s.position.createdAt - CLOCK_MARGIN_MS, at + CLOCK_MARGIN_MS) : [];
  const foreign = await foreignOrigins(s, trades, orderIds);
  const first = bookTrades({ position: s.position, rows, orderIds, trades, foreign });
  for (const row of rows) {
    const seen = first.fills.get(row.id)?.executedQty ?? '0';
    if (compareDecimal(row.executedQty ?? 0, seen) > 0) {
      throw new RetryableExchangeError('EXCHANGE_UNAVAILABLE', `trades of ${row.clientOrderId} show ${seen} of the ${row.executedQty} it filled: waiting for the exchange's books`);
    }
  }
  if (compareDecimal(first.open, 0) > 0) throw new RetryableExchangeError('EXCHANGE_UNAVAILABLE', `trades of ${s.position.symbol} leave ${first.open} without its exit fill`);
  const funding = first.exposedFrom === null ? [] : (await s.exchange.getIncome({
    symbol: s.position.symbol, incomeType: 'FUNDING_FEE', startTime: first.exposedFrom, endTime: first.exposedUntil ?? at, limit: PAGE,
  })).map((f) => f.income);
  const books = funding.length === 0 ? first : bookTrades({ position: s.position, rows, orderIds, trades, foreign, funding });
  const effects = rows.flatMap((row) => {
    const fill = books.fills.get(row.id);
    return fill ? mergeEffects(row, { status: row.status, ...fill }, { at }) : [];
  });
  return {
    effects,
    patch: {
      grossPnl: books.grossPnl, fees: books.fees, funding: books.funding, netPnl: books.netPnl, pnl: books.netPnl,
      closingPrice: books.closingPrice, exitReason: books.exitReason,
    },
  };
}
