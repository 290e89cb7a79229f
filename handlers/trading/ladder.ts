// The ladder a position trades: market entry, N DCA rungs away from the entry, a stop anchored at
// the last rung and a take-profit from the entry. Pure decimal arithmetic on the symbol grid, so
// the simulation before placement and the placement itself compute exactly the same orders.
import type { DecimalString, Side, SymbolFilters } from '../../core/exchange/exchange.port.ts';
import { compareDecimal, dec, notional, roundPrice, roundQty, toDecimalString } from '../../core/exchange/precision.ts';
import type { Direction } from '../../core/trading/statuses.ts';

/** What a ladder is computed from (percentages in percent units, e.g. "1.5"). */
export interface LadderInput {
  direction: Direction;
  /** The reference price: a fresh mark price before placement, the entry's average fill after. */
  ref: DecimalString;
  margin: DecimalString;
  leverage: number;
  gapPct: DecimalString;
  rungMultiplier: DecimalString;
  rungs: number;
  stopPct: DecimalString;
  profitPct: DecimalString;
  filters: SymbolFilters;
  /** The entry's filled quantity once known; otherwise margin × leverage / ref rounded down. */
  entryQty?: DecimalString;
}

/** One priced, rounded order of the ladder. */
export interface LadderRung {
  rung: number;
  price: DecimalString;
  quantity: DecimalString;
}

/** The whole ladder, every value on the symbol grid. */
export interface Ladder {
  entryQty: DecimalString;
  rungs: LadderRung[];
  stopPrice: DecimalString;
  takeProfitPrice: DecimalString;
  /** Loss if every rung fills and the stop then fills at its trigger price (quote asset, positive). */
  worstCaseLoss: DecimalString;
}

/** Why a ladder cannot be placed; the open block aborts before the market order. */
export class LadderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LadderError';
  }
}

/** BUY opens a LONG, SELL opens a SHORT. */
export function entrySide(direction: Direction): Side {
  return direction === 'LONG' ? 'BUY' : 'SELL';
}

/** The side that reduces the position (stop, take-profit, close). */
export function exitSide(direction: Direction): Side {
  return direction === 'LONG' ? 'SELL' : 'BUY';
}

/** ref × (1 + sign × pct / 100). */
function shifted(ref: DecimalString, pct: DecimalString | ReturnType<typeof dec>, sign: 1 | -1) {
  return dec(ref).times(dec(1).plus(dec(pct).div(100).times(sign)));
}

function checkOrder(what: string, price: DecimalString, qty: DecimalString, filters: SymbolFilters): void {
  if (compareDecimal(price, 0) <= 0) throw new LadderError(`${what}: price ${price} is not positive`);
  if (compareDecimal(qty, filters.minQty) < 0 || compareDecimal(qty, 0) <= 0) throw new LadderError(`${what}: quantity ${qty} is below the minimum ${filters.minQty}`);
  if (compareDecimal(filters.maxQty, 0) > 0 && compareDecimal(qty, filters.maxQty) > 0) throw new LadderError(`${what}: quantity ${qty} is above the maximum ${filters.maxQty}`);
  const value = notional(price, qty);
  if (compareDecimal(value, filters.minNotional) < 0) throw new LadderError(`${what}: notional ${value} is below the minimum ${filters.minNotional}`);
}

/**
 * Computes the ladder or throws LadderError naming the first order that would not clear the
 * symbol's filters. Rung i: price = ref × (1 ∓ i × gap%), quantity = entry × multiplier^i.
 */
export function computeLadder(input: LadderInput): Ladder {
  const { direction, ref, filters } = input;
  if (compareDecimal(ref, 0) <= 0) throw new LadderError(`reference price ${ref} is not positive`);
  const away: 1 | -1 = direction === 'LONG' ? -1 : 1;
  const entryStep = filters.marketStepSize ?? filters.stepSize;
  const entryQty = input.entryQty ?? roundQty(dec(input.margin).times(input.leverage).div(ref), entryStep, 'down');
  checkOrder('market entry', ref, entryQty, { ...filters, minQty: filters.marketMinQty ?? filters.minQty });

  // Rungs buy below a LONG entry and sell above a SHORT one: rounding keeps them on the far side.
  const rungMode = direction === 'LONG' ? 'down' : 'up';
  const rungs: LadderRung[] = [];
  for (let i = 1; i <= input.rungs; i++) {
    const price = roundPrice(shifted(ref, dec(input.gapPct).times(i), away), filters, rungMode);
    const quantity = roundQty(dec(entryQty).times(dec(input.rungMultiplier).pow(i)), filters.stepSize, 'down');
    checkOrder(`rung ${i}`, price, quantity, filters);
    rungs.push({ rung: i, price, quantity });
  }

  const anchor = rungs.at(-1)?.price ?? ref;
  const stopPrice = roundPrice(shifted(anchor, input.stopPct, away), filters, rungMode);
  if (compareDecimal(stopPrice, 0) <= 0) throw new LadderError(`stop price ${stopPrice} is not positive`);
  const takeProfitPrice = roundPrice(shifted(ref, input.profitPct, away === -1 ? 1 : -1), filters, direction === 'LONG' ? 'up' : 'down');
  checkOrder('take-profit', takeProfitPrice, entryQty, filters);

  let loss = dec(entryQty).times(dec(ref).minus(stopPrice).abs());
  for (const r of rungs) loss = loss.plus(dec(r.quantity).times(dec(r.price).minus(stopPrice).abs()));
  return { entryQty, rungs, stopPrice, takeProfitPrice, worstCaseLoss: toDecimalString(loss) };
}

/** The take-profit target from the exchange's break-even price: breakEven × (1 ± profit%), on the grid. */
export function takeProfitFrom(direction: Direction, breakEven: DecimalString, profitPct: DecimalString, filters: SymbolFilters): DecimalString {
  const raw = shifted(breakEven, profitPct, direction === 'LONG' ? 1 : -1);
  return roundPrice(raw, filters, direction === 'LONG' ? 'up' : 'down');
}
