// Effects that write positions. Every status change is a conditional update naming the status it
// expects, checked against the status table first, and always writes is_open with the status, so
// the open-pair guard and the status can never disagree (MySQL's ck_is_open would refuse it).
import type { DecimalString } from '../exchange/exchange.port.ts';
import type { InsertEffect, UpdateEffect } from '../steps/effects.ts';
import type { AccountRow } from './account.ts';
import { POSITION_CODEC, type PositionRow } from './position.ts';
import { encodeRow } from './row-codec.ts';
import { canMovePosition, IllegalStatusMoveError, isOpenPosition, TERMINAL_POSITION_STATUSES, type Direction, type PositionStatus } from './statuses.ts';
import { TABLES } from './tables.ts';

/** What slot assignment decides for a new position; the ladder settings come from the account. */
export interface NewPosition {
  /** From ctx.ids: the open block finds its row by it. */
  uuid: string;
  account: AccountRow;
  symbol: string;
  direction: Direction;
  regimeBand?: string | null;
  regimeScore?: DecimalString | null;
}

/**
 * Inserts a `new` position holding the pair. Idempotent: a retry with the same uuid is a no-op,
 * and so is a clash on the open-pair guard, so the caller reads the row back by uuid and treats
 * "not there" as "pair already open" (skip, never a second position).
 */
export function insertPosition(p: NewPosition, at: number): InsertEffect {
  const s = p.account.settings[p.direction];
  const row = encodeRow(TABLES.positions, POSITION_CODEC, {
    uuid: p.uuid, accountId: p.account.id, exchange: p.account.exchange, symbol: p.symbol, direction: p.direction, status: 'new',
    margin: s.margin, leverage: null, profitPct: s.profitPct, stopPct: s.stopPct, gapPct: s.gapPct, rungMultiplier: s.rungMultiplier, rungs: s.rungs,
    regimeBand: p.regimeBand ?? null, regimeScore: p.regimeScore ?? null, openingPrice: null, quantity: null, breakEvenPrice: null,
    worstCaseLoss: null, closingPrice: null, pnl: null, grossPnl: null, fees: null, funding: null, netPnl: null, exitReason: null, isFastTrade: null, statusReason: null, openedAt: null, closedAt: null,
    createdAt: at, updatedAt: at,
  });
  return { kind: 'insert', table: TABLES.positions, row: { ...row, is_open: 1 }, ignoreDuplicate: true };
}

/** Fields a handler may change on a position; status, the guard, timestamps and the frozen loss are the builders' own. */
export type PositionPatch = Partial<Pick<PositionRow,
  'margin' | 'leverage' | 'openingPrice' | 'quantity' | 'breakEvenPrice' | 'closingPrice' | 'pnl' | 'grossPnl' | 'fees' | 'funding' | 'netPnl' | 'exitReason' | 'isFastTrade' | 'statusReason' | 'regimeBand' | 'regimeScore'>>;

/**
 * Records that the position's ladder lost a rung for good (a replacement the exchange refused, or a
 * remainder below the filters). Conditional on the rung count read, so two losses never count as one.
 */
export function shrinkLadder(position: Pick<PositionRow, 'id' | 'status' | 'rungs'>, options: { at: number }): UpdateEffect {
  const set = encodeRow(TABLES.positions, POSITION_CODEC, { rungs: Math.max(0, position.rungs - 1), updatedAt: options.at });
  return { kind: 'update', table: TABLES.positions, where: { id: position.id, status: position.status, rungs: position.rungs }, set, required: true };
}

/** When the write happens, what else it sets, and whether a miss rolls the step back. */
export interface PositionWriteOptions {
  at: number;
  set?: PositionPatch;
  /**
   * Default true: a miss means our belief about the status was stale, so the transaction rolls
   * back and the step retries on fresh reads instead of carrying on as if the write happened.
   */
  required?: boolean;
}

/** Moves a position `from → to` (conditional on `from`); terminal moves stamp closed_at and clear is_open. */
export function movePosition(id: number, from: PositionStatus, to: PositionStatus, options: PositionWriteOptions): UpdateEffect {
  if (!canMovePosition(from, to)) throw new IllegalStatusMoveError('position', from, to);
  const set = {
    ...encodeRow(TABLES.positions, POSITION_CODEC, {
      ...options.set, status: to, updatedAt: options.at, ...(TERMINAL_POSITION_STATUSES.includes(to) ? { closedAt: options.at } : {}),
    }),
    is_open: isOpenPosition(to) ? 1 : null,
  };
  return { kind: 'update', table: TABLES.positions, where: { id, status: from }, set, required: options.required ?? true };
}

/** Step 11 of the open block: `opening → active`, freezing the worst-case loss at the stop. */
export function activatePosition(id: number, worstCaseLoss: DecimalString, options: PositionWriteOptions): UpdateEffect {
  const effect = movePosition(id, 'opening', 'active', options);
  const frozen = encodeRow(TABLES.positions, POSITION_CODEC, { worstCaseLoss, openedAt: options.at });
  return { ...effect, set: { ...effect.set, ...frozen } };
}

/** Updates fields without a status change, still conditional on the status the handler saw. */
export function patchPosition(id: number, expected: PositionStatus, options: PositionWriteOptions): UpdateEffect {
  const set = encodeRow(TABLES.positions, POSITION_CODEC, { ...options.set, updatedAt: options.at });
  return { kind: 'update', table: TABLES.positions, where: { id, status: expected }, set, required: options.required ?? true };
}
