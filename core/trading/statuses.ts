// Position and order statuses and their legal moves, as data (shared/spec/trading.md). Effect
// builders check every move against these tables before they emit the conditional update.
import { NonRetriableError } from '../errors.ts';
import type { AlgoStatus, OrderStatus as ExchangeOrderStatus } from '../exchange/exchange.port.ts';

/** Trade direction. */
export type Direction = 'LONG' | 'SHORT';
/** Both directions, in the order slots are filled. */
export const DIRECTIONS: readonly Direction[] = ['LONG', 'SHORT'];

/** Every position status, open ones first. */
export const POSITION_STATUSES = ['new', 'opening', 'active', 'syncing', 'waping', 'closing', 'cancelling', 'closed', 'cancelled', 'failed'] as const;
/** A position's lifecycle status. */
export type PositionStatus = (typeof POSITION_STATUSES)[number];
/** Statuses that hold the pair (is_open = 1). */
export const OPEN_POSITION_STATUSES: readonly PositionStatus[] = ['new', 'opening', 'active', 'syncing', 'waping', 'closing', 'cancelling'];
/** Statuses a position never leaves. */
export const TERMINAL_POSITION_STATUSES: readonly PositionStatus[] = ['closed', 'cancelled', 'failed'];

// `new → opening → active ⇄ (syncing | waping) → closing → closed`, and from any open status
// `cancelling → cancelled | failed`. Two moves the spec implies rather than draws:
// - opening → closing: a take-profit can fill before activation (the stop is already armed);
// - syncing / waping → closing: a TP fill or confirmed flatness seen mid-sync or mid-WAP hands over to close.
const POSITION_MOVES: Record<PositionStatus, readonly PositionStatus[]> = {
  new: ['opening', 'cancelling'],
  opening: ['active', 'closing', 'cancelling'],
  active: ['syncing', 'waping', 'closing', 'cancelling'],
  syncing: ['active', 'closing', 'cancelling'],
  waping: ['active', 'closing', 'cancelling'],
  closing: ['closed', 'cancelling'],
  cancelling: ['cancelled', 'failed'],
  closed: [],
  cancelled: [],
  failed: [],
};

/** Whether the status holds the pair open. */
export function isOpenPosition(status: PositionStatus): boolean {
  return OPEN_POSITION_STATUSES.includes(status);
}

/** Whether `from → to` is a legal position move. */
export function canMovePosition(from: PositionStatus, to: PositionStatus): boolean {
  return POSITION_MOVES[from].includes(to);
}

/** The statuses a position may move to from `from`. */
export function positionMovesFrom(from: PositionStatus): readonly PositionStatus[] {
  return POSITION_MOVES[from];
}

/** Every local order status. `pending` = row written, exchange not yet known to hold the order. */
export const ORDER_STATUSES = ['pending', 'working', 'partially_filled', 'filled', 'cancelled', 'expired', 'rejected'] as const;
/** An order row's lifecycle status. */
export type LocalOrderStatus = (typeof ORDER_STATUSES)[number];
/** Statuses the 5-minute poll reconciles (only working orders are polled). */
export const WORKING_ORDER_STATUSES: readonly LocalOrderStatus[] = ['working', 'partially_filled'];
/** Statuses an order never leaves. */
export const TERMINAL_ORDER_STATUSES: readonly LocalOrderStatus[] = ['filled', 'cancelled', 'expired', 'rejected'];

// A pending order may jump to any status: after a crash the adoption read can find it already
// filled or cancelled. working → working and partially_filled → partially_filled are echo
// refreshes (a correction, a further partial fill) that keep the status.
const ORDER_MOVES: Record<LocalOrderStatus, readonly LocalOrderStatus[]> = {
  pending: ['working', 'partially_filled', 'filled', 'cancelled', 'expired', 'rejected'],
  working: ['working', 'partially_filled', 'filled', 'cancelled', 'expired'],
  partially_filled: ['partially_filled', 'filled', 'cancelled', 'expired'],
  filled: [],
  cancelled: [],
  expired: [],
  rejected: [],
};

/** Whether `from → to` is a legal order move. */
export function canMoveOrder(from: LocalOrderStatus, to: LocalOrderStatus): boolean {
  return ORDER_MOVES[from].includes(to);
}

/** Whether the order is finished on the exchange. */
export function isTerminalOrder(status: LocalOrderStatus): boolean {
  return TERMINAL_ORDER_STATUSES.includes(status);
}

/**
 * Our status for the exchange's. Algo orders: NEW/TRIGGERING/TRIGGERED are still working (a
 * triggered algo's child order is in the matching engine); FINISHED means the child order is done,
 * which for our reduce-only market protection means filled. Unknown values return null so the
 * caller decides (and audits) rather than guessing.
 */
export function orderStatusFromExchange(status: ExchangeOrderStatus | AlgoStatus, isAlgo: boolean): LocalOrderStatus | null {
  switch (status) {
    case 'NEW': return 'working';
    case 'PARTIALLY_FILLED': return isAlgo ? null : 'partially_filled';
    case 'FILLED': return isAlgo ? null : 'filled';
    case 'TRIGGERING':
    case 'TRIGGERED': return isAlgo ? 'working' : null;
    case 'FINISHED': return isAlgo ? 'filled' : null;
    case 'CANCELED': return 'cancelled';
    case 'EXPIRED':
    case 'EXPIRED_IN_MATCH': return 'expired';
    case 'REJECTED': return 'rejected';
    default: return null;
  }
}

/** Raised when code asks for a move the tables do not allow: a handler bug, never retried. */
export class IllegalStatusMoveError extends NonRetriableError {
  constructor(readonly entity: 'position' | 'order', readonly from: string, readonly to: string) {
    super(`illegal ${entity} status move ${from} → ${to}`, 'TRADING_ILLEGAL_STATUS_MOVE');
  }
}
