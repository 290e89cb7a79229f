// Shared moves of the exit workflows (close and cancel): reading the exchange's exposure, cancelling
// what is still working, refreshing rows from the exchange, and the first read of the flatness rule.
import type { ExchangePort, Position } from '../../core/exchange/exchange.port.ts';
import { isExchangeError } from '../../core/exchange/exchange-errors.ts';
import { compareDecimal, dec, toDecimalString } from '../../core/exchange/precision.ts';
import type { Effect } from '../../core/steps/effects.ts';
import { echoOfOrder, moveOrder } from '../../core/trading/order-effects.ts';
import { mergeEffects } from '../../core/trading/order-merge.ts';
import type { OrderRow } from '../../core/trading/order.ts';
import { isTerminalOrder } from '../../core/trading/statuses.ts';
import { findOnExchange } from './placement.ts';
import type { Scope } from './scope.ts';

/** The signed amount the account holds on the position's symbol (all legs). */
export function heldAmount(legs: readonly Position[]): string {
  return toDecimalString(legs.reduce((sum, l) => sum.plus(l.positionAmt), dec(0)));
}

/** One REST read of the exposure on the position's symbol. */
export async function readExposure(s: Scope): Promise<string> {
  return heldAmount(await s.exchange.getPositions(s.position.symbol));
}

/** Whether an amount is zero. */
export const isFlat = (amount: string) => compareDecimal(amount, 0) === 0;

/** Brings a row up to what the exchange says, when that differs. */
export async function refreshRow(ex: ExchangePort, s: Scope, row: OrderRow, at: number): Promise<Effect[]> {
  if (isTerminalOrder(row.status)) return [];
  const echo = await findOnExchange(ex, row, s.filters);
  if (!echo) return row.exchangeOrderId === null ? [moveOrder(row.clientOrderId, 'pending', 'cancelled', { at })] : [];
  return mergeEffects(row, echo, { at });
}

/**
 * Cancels every row still working on the exchange (a pending row is looked up first: a crash may
 * have placed it). An order that finished meanwhile is recorded as what it became, never as cancelled.
 */
export async function cancelWorking(s: Scope, rows: readonly OrderRow[], at: number): Promise<Effect[]> {
  const effects: Effect[] = [];
  for (const row of rows) {
    if (isTerminalOrder(row.status) || row.role === 'close' || row.role === 'entry') continue;
    if (row.exchangeOrderId === null) {
      const found = await findOnExchange(s.exchange, row, s.filters);
      if (!found) {
        effects.push(moveOrder(row.clientOrderId, 'pending', 'cancelled', { at }));
        continue;
      }
      if (isTerminalOrder(found.status)) {
        effects.push(...mergeEffects(row, found, { at }));
        continue;
      }
    }
    try {
      if (row.isAlgo) {
        await s.exchange.cancelAlgoOrder({ clientAlgoId: row.clientOrderId });
        const after = await findOnExchange(s.exchange, row, s.filters);
        effects.push(...(after ? mergeEffects(row, after, { at }) : [moveOrder(row.clientOrderId, row.status, 'cancelled', { at })]));
      } else {
        const cancelled = await s.exchange.cancelOrder({ symbol: row.symbol, clientOrderId: row.clientOrderId });
        effects.push(...mergeEffects(row, echoOfOrder(cancelled, s.filters), { at }));
      }
    } catch (error) {
      if (!isExchangeError(error, 'UNKNOWN_ORDER', 'ORDER_NOT_FOUND')) throw error;
      effects.push(...(await refreshRow(s.exchange, s, row, at)));
    }
  }
  return effects;
}

/** Cancels one order on the exchange by client id, without a write; an order already gone is fine. */
export async function cancelOnExchange(s: Scope, row: OrderRow): Promise<void> {
  try {
    if (row.isAlgo) await s.exchange.cancelAlgoOrder({ clientAlgoId: row.clientOrderId });
    else await s.exchange.cancelOrder({ symbol: row.symbol, clientOrderId: row.clientOrderId });
  } catch (error) {
    if (!isExchangeError(error, 'UNKNOWN_ORDER', 'ORDER_NOT_FOUND')) throw error;
  }
}

/** Open orders and algo orders on the symbol that belong to this position (by client id). */
export async function leftoverOrders(s: Scope, rows: readonly OrderRow[]): Promise<string[]> {
  const ours = new Set(rows.map((r) => r.clientOrderId));
  const [orders, algos] = await Promise.all([s.exchange.getOpenOrders(s.position.symbol), s.exchange.getOpenAlgoOrders(s.position.symbol)]);
  return [...orders.map((o) => o.clientOrderId), ...algos.map((a) => a.clientAlgoId)].filter((id) => ours.has(id));
}

/**
 * Whether the position may ever have held exposure: an entry or rung filled something, or an entry
 * whose outcome our books never learned (still pending or working) may have. Only a position that
 * certainly never did may skip the two flat reads that free its slot.
 */
export function everExposed(rows: readonly OrderRow[]): boolean {
  return rows.some((r) => (r.role === 'entry' || r.role === 'rung') && compareDecimal(r.executedQty ?? 0, 0) > 0)
    || rows.some((r) => r.role === 'entry' && (r.status === 'pending' || r.status === 'working' || r.status === 'partially_filled'));
}
