// The order rows a position owns, built from its ladder. One place decides each role's exchange
// type, side and flags, so placement, replacement and correction always agree.
import type { DecimalString } from '../../core/exchange/exchange.port.ts';
import type { NewOrder } from '../../core/trading/order-effects.ts';
import type { PositionRow } from '../../core/trading/position.ts';
import { entrySide, exitSide } from './ladder.ts';

type Base = Pick<NewOrder, 'positionId' | 'accountId' | 'symbol' | 'positionSide' | 'prefix'>;

function base(position: PositionRow, prefix: string): Base {
  return { positionId: position.id, accountId: position.accountId, symbol: position.symbol, positionSide: 'BOTH', prefix };
}

/** The market entry. */
export function entryOrder(position: PositionRow, prefix: string, quantity: DecimalString): NewOrder {
  return { ...base(position, prefix), role: 'entry', isAlgo: false, type: 'MARKET', side: entrySide(position.direction), quantity, price: null };
}

/** DCA rung `rung` (a resting limit on the entry side). */
export function rungOrder(position: PositionRow, prefix: string, rung: number, price: DecimalString, quantity: DecimalString, replacement = 0): NewOrder {
  return { ...base(position, prefix), role: 'rung', rung, replacement, isAlgo: false, type: 'LIMIT', side: entrySide(position.direction), price, quantity };
}

/** The stop-loss: a conditional market close of the whole position on the mark price. */
export function stopOrder(position: PositionRow, prefix: string, triggerPrice: DecimalString, replacement = 0): NewOrder {
  return {
    ...base(position, prefix), role: 'stop', replacement, isAlgo: true, type: 'STOP_MARKET', side: exitSide(position.direction),
    closePosition: true, price: triggerPrice, quantity: null,
  };
}

/** The take-profit: a reduce-only limit, so WAP can modify it in place (the order id stays). */
export function profitOrder(position: PositionRow, prefix: string, price: DecimalString, quantity: DecimalString, replacement = 0): NewOrder {
  return {
    ...base(position, prefix), role: 'profit', replacement, isAlgo: false, type: 'LIMIT', side: exitSide(position.direction),
    reduceOnly: true, price, quantity,
  };
}

/** A reduce-only market close of a residual. */
export function closeOrder(position: PositionRow, prefix: string, quantity: DecimalString, replacement: number): NewOrder {
  return { ...base(position, prefix), role: 'close', replacement, isAlgo: false, type: 'MARKET', side: exitSide(position.direction), reduceOnly: true, quantity, price: null };
}
