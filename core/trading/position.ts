// Positions as handlers read them. Writes go through position-effects.ts, which keeps status and
// the is_open guard in step and refuses moves the status table does not allow.
import type { DecimalString } from '../exchange/exchange.port.ts';
import type { Row } from '../steps/effects.ts';
import { decodeRow, oneOf, type Codec } from './row-codec.ts';
import { DIRECTIONS, POSITION_STATUSES, type Direction, type PositionStatus } from './statuses.ts';
import { TABLES } from './tables.ts';

/** What ended a position, as the ledger records it (the exit that closed the largest part of it). */
export const EXIT_REASONS = ['take-profit', 'stop-loss', 'operator', 'drift', 'residual', 'liquidation'] as const;
/** One of EXIT_REASONS. */
export type ExitReason = (typeof EXIT_REASONS)[number];

/** One attempt to trade one symbol for one account; ladder settings frozen at creation. */
export interface PositionRow {
  id: number;
  /** Chosen before the insert, so the open block names its row before the id exists. */
  uuid: string;
  accountId: number;
  exchange: string;
  symbol: string;
  direction: Direction;
  status: PositionStatus;
  margin: DecimalString;
  leverage: number | null;
  profitPct: DecimalString;
  stopPct: DecimalString;
  gapPct: DecimalString;
  rungMultiplier: DecimalString;
  rungs: number;
  regimeBand: string | null;
  regimeScore: DecimalString | null;
  openingPrice: DecimalString | null;
  /** Our own filled quantity: entry plus applied rungs. */
  quantity: DecimalString | null;
  breakEvenPrice: DecimalString | null;
  /** Frozen at activation; nothing writes it afterwards. */
  worstCaseLoss: DecimalString | null;
  closingPrice: DecimalString | null;
  /** Net PnL (the same figure as netPnl), kept for readers that predate the ledger. */
  pnl: DecimalString | null;
  /** Realised PnL of the position's fills before fees, as the exchange booked it. */
  grossPnl: DecimalString | null;
  /** Commissions charged on its fills (non-negative). */
  fees: DecimalString | null;
  /** Funding over its lifetime, signed as credited (negative = paid). */
  funding: DecimalString | null;
  /** grossPnl − fees + funding. */
  netPnl: DecimalString | null;
  exitReason: ExitReason | null;
  isFastTrade: boolean | null;
  statusReason: string | null;
  openedAt: number | null;
  closedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** The position codec, shared with position-effects.ts so reads and writes use one column map. */
export const POSITION_CODEC: Codec<PositionRow> = {
  id: ['id', 'int'], uuid: ['uuid', 'string'], accountId: ['account_id', 'int'], exchange: ['exchange', 'string'],
  symbol: ['symbol', 'string'], direction: ['direction', 'string'], status: ['status', 'string'],
  margin: ['margin', 'decimal'], leverage: ['leverage', 'int?'], profitPct: ['profit_pct', 'decimal'], stopPct: ['stop_pct', 'decimal'],
  gapPct: ['gap_pct', 'decimal'], rungMultiplier: ['rung_multiplier', 'decimal'], rungs: ['rungs', 'int'],
  regimeBand: ['regime_band', 'string?'], regimeScore: ['regime_score', 'decimal?'], openingPrice: ['opening_price', 'decimal?'],
  quantity: ['quantity', 'decimal?'], breakEvenPrice: ['break_even_price', 'decimal?'], worstCaseLoss: ['worst_case_loss', 'decimal?'],
  closingPrice: ['closing_price', 'decimal?'], pnl: ['pnl', 'decimal?'], grossPnl: ['gross_pnl', 'decimal?'], fees: ['fees', 'decimal?'],
  funding: ['funding', 'decimal?'], netPnl: ['net_pnl', 'decimal?'], exitReason: ['exit_reason', 'string?'], isFastTrade: ['is_fast_trade', 'flag?'],
  statusReason: ['status_reason', 'string?'], openedAt: ['opened_at', 'int?'], closedAt: ['closed_at', 'int?'],
  createdAt: ['created_at', 'int'], updatedAt: ['updated_at', 'int'],
};

/** Reads a positions row. */
export function toPosition(row: Row): PositionRow {
  const p = decodeRow(TABLES.positions, POSITION_CODEC, row);
  return {
    ...p,
    direction: oneOf(DIRECTIONS, p.direction, 'positions.direction'),
    status: oneOf(POSITION_STATUSES, p.status, 'positions.status'),
    exitReason: p.exitReason === null ? null : oneOf(EXIT_REASONS, p.exitReason, 'positions.exit_reason'),
  };
}
