// Whether a symbol can be opened at all at an account's size. Without this check slot assignment
// kept handing a slot to a symbol whose smallest ladder cannot clear its filters (SOLUSDT, step 1
// at ~180, with 10 USDT × 5): every open tick picked it, the open block failed at simulate-ladder,
// and symbols that would fit never got the slot. Same computeLadder as the open block, at the
// largest size the block could use, so only symbols that can certainly not open are skipped.
import type { DecimalString } from '../../core/exchange/exchange.port.ts';
import { dec, toDecimalString } from '../../core/exchange/precision.ts';
import type { DirectionSettings } from '../../core/trading/account.ts';
import type { ExchangeSymbolRow } from '../../core/trading/exchange-symbol.ts';
import { symbolFilters } from '../../core/trading/exchange-symbol.ts';
import type { Direction } from '../../core/trading/statuses.ts';
import { computeLadder, LadderError } from './ladder.ts';

/** The sizing factors the regime allowance applies before the open block runs. */
export interface SizeFactors {
  leverageFactor: number;
  marginFactor: number;
}

/** Null when a ladder at the account's size fits `symbol` at `markPrice`; otherwise why not. */
export function sizeMisfit(direction: Direction, settings: DirectionSettings, gate: SizeFactors, symbol: ExchangeSymbolRow, markPrice: DecimalString): string | null {
  // Leverage brackets can only lower the leverage the block uses, so this is the block's upper bound.
  const leverage = Math.max(1, Math.floor(settings.leverage * gate.leverageFactor));
  const margin = toDecimalString(dec(settings.margin).times(gate.marginFactor));
  try {
    computeLadder({ ...settings, direction, margin, leverage, ref: markPrice, filters: symbolFilters(symbol) });
    return null;
  } catch (error) {
    if (error instanceof LadderError) return error.message;
    throw error;
  }
}
