// All decimal work on exchange values lives here: tick/step rounding, wire formatting and the
// local filter checks that fail fast before an order leaves. Never binary floats.
import { Decimal as DecimalJs } from 'decimal.js';
import { RejectedExchangeError, type ExchangeErrorCode } from './exchange-errors.ts';
import type { DecimalString, OrderType, Side, SymbolFilters } from './exchange.port.ts';

// A private clone: enough digits for any price × quantity, and never exponent notation, so a
// global Decimal.set elsewhere cannot change how we round or print.
const D = DecimalJs.clone({ precision: 60, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -100, toExpPos: 100 });
type Dec = InstanceType<typeof D>;

/** Anything we accept as a decimal input; numbers only for vendor payloads that send JSON numbers. */
export type DecimalInput = string | number | Dec;

/** How to land on the grid: floor, ceiling, or the nearest step (half up). */
export type RoundingMode = 'down' | 'up' | 'nearest';

const PLAIN = /^\d+(\.\d+)?$/;

/** True when `value` is a plain decimal string Binance accepts (no exponent, no sign, no spaces). */
export function isDecimalString(value: string): boolean {
  return PLAIN.test(value);
}

/** Parses a decimal; throws on anything that is not a finite number. */
export function dec(value: DecimalInput): Dec {
  const d = new D(value);
  if (!d.isFinite()) throw new RangeError(`not a finite decimal: ${String(value)}`);
  return d;
}

// Already in the form toDecimalString prints (no leading or trailing zeros, no "-0"), and short
// enough that parsing could not round it (precision is 60 digits): returned as it is. Most values
// read back from a store or a wire body are, and a parse plus a print is a hot path's largest cost.
const CANONICAL = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

/** Formats as Binance wants it: plain digits, no exponent, no trailing zeros, "0" for zero. */
export function toDecimalString(value: DecimalInput): DecimalString {
  if (typeof value === 'string' && value.length <= 50 && value !== '-0' && CANONICAL.test(value)) return value;
  const d = dec(value);
  return d.isZero() ? '0' : d.toFixed();
}

/** Normalises a vendor value (string or JSON number) to a decimal string; undefined stays undefined. */
export function decimalOf(value: unknown): DecimalString | undefined {
  if (typeof value === 'string' && value.trim() !== '') return toDecimalString(value);
  if (typeof value === 'number' && Number.isFinite(value)) return toDecimalString(value);
  return undefined;
}

const MODE = { down: D.ROUND_FLOOR, up: D.ROUND_CEIL, nearest: D.ROUND_HALF_UP } as const;

/** Rounds onto the grid `origin + k × step`; a zero step leaves the value alone (rule disabled). */
export function roundToStep(value: DecimalInput, step: DecimalInput, mode: RoundingMode, origin: DecimalInput = 0): Dec {
  const s = dec(step);
  const v = dec(value);
  if (s.isZero()) return v;
  const o = dec(origin);
  return v.minus(o).div(s).toDecimalPlaces(0, MODE[mode]).times(s).plus(o);
}

/** Rounds a price to the tick size; the caller states the direction (see passiveRounding). */
export function roundPrice(price: DecimalInput, filters: Pick<SymbolFilters, 'tickSize'> & Partial<Pick<SymbolFilters, 'minPrice'>>, mode: RoundingMode): DecimalString {
  // Binance checks (price − minPrice) % tickSize, so the grid starts at minPrice.
  return toDecimalString(roundToStep(price, filters.tickSize, mode, filters.minPrice ?? 0));
}

/** Rounds a quantity down to the step size: never more exposure than intended. */
export function floorQty(qty: DecimalInput, stepSize: DecimalInput): DecimalString {
  return toDecimalString(roundToStep(qty, stepSize, 'down'));
}

/** Rounds a quantity to the step size in an explicit direction (e.g. up to clear min notional). */
export function roundQty(qty: DecimalInput, stepSize: DecimalInput, mode: RoundingMode): DecimalString {
  return toDecimalString(roundToStep(qty, stepSize, mode));
}

/** The rounding that keeps a resting order on the passive side: BUY down, SELL up. */
export function passiveRounding(side: Side): RoundingMode {
  return side === 'BUY' ? 'down' : 'up';
}

/** The rounding that makes a price more aggressive: BUY up, SELL down. */
export function aggressiveRounding(side: Side): RoundingMode {
  return side === 'BUY' ? 'up' : 'down';
}

/** price × quantity as a decimal string. */
export function notional(price: DecimalInput, qty: DecimalInput): DecimalString {
  return toDecimalString(dec(price).times(dec(qty)));
}

/** The smallest step-aligned quantity whose notional at `price` reaches the minimum. */
export function minQtyForNotional(price: DecimalInput, filters: Pick<SymbolFilters, 'minNotional' | 'stepSize' | 'minQty'>): DecimalString {
  const p = dec(price);
  if (p.lte(0)) throw new RangeError('price must be positive');
  const byNotional = dec(roundToStep(dec(filters.minNotional).div(p), filters.stepSize, 'up'));
  return toDecimalString(D.max(byNotional, dec(filters.minQty)));
}

/** Compares two decimals: -1, 0 or 1. */
export function compareDecimal(a: DecimalInput, b: DecimalInput): -1 | 0 | 1 {
  return dec(a).comparedTo(dec(b)) as -1 | 0 | 1;
}

/** True when `value` sits exactly on the grid `origin + k × step` (always true for a zero step). */
export function isOnStep(value: DecimalInput, step: DecimalInput, origin: DecimalInput = 0): boolean {
  const s = dec(step);
  return s.isZero() || dec(value).minus(dec(origin)).mod(s).isZero();
}

/** The filter an order breaks, named as on Binance. */
export type FilterRule = 'PRICE_FILTER' | 'LOT_SIZE' | 'MARKET_LOT_SIZE' | 'MIN_NOTIONAL' | 'PERCENT_PRICE';

/** One broken rule, in words. */
export interface FilterViolation {
  rule: FilterRule;
  message: string;
}

/** What the local pre-check needs to know about an order. */
export interface OrderCheck {
  side: Side;
  type: OrderType;
  quantity: DecimalString;
  /** Required for LIMIT; for MARKET the mark price stands in. */
  price?: DecimalString;
  /** Needed for PERCENT_PRICE and for the notional of a MARKET order; checks needing it are skipped without. */
  markPrice?: DecimalString;
  /** Binance waives MIN_NOTIONAL for reduce-only orders. */
  reduceOnly?: boolean;
}

const positive = (v: DecimalString | undefined): v is DecimalString => v !== undefined && dec(v).gt(0);

/** Every filter the order would break, checked locally so a bad order never costs a request. */
export function checkOrder(filters: SymbolFilters, order: OrderCheck): FilterViolation[] {
  const out: FilterViolation[] = [];
  const qty = dec(order.quantity);
  const market = order.type === 'MARKET';
  const lot = market && filters.marketStepSize !== undefined
    ? { rule: 'MARKET_LOT_SIZE' as const, step: filters.marketStepSize, min: filters.marketMinQty ?? filters.minQty, max: filters.marketMaxQty ?? filters.maxQty }
    : { rule: 'LOT_SIZE' as const, step: filters.stepSize, min: filters.minQty, max: filters.maxQty };
  if (qty.lte(0)) out.push({ rule: lot.rule, message: `quantity ${order.quantity} must be positive` });
  if (positive(lot.min) && qty.lt(dec(lot.min))) out.push({ rule: lot.rule, message: `quantity ${order.quantity} below minQty ${lot.min}` });
  if (positive(lot.max) && qty.gt(dec(lot.max))) out.push({ rule: lot.rule, message: `quantity ${order.quantity} above maxQty ${lot.max}` });
  if (!isOnStep(qty, lot.step)) out.push({ rule: lot.rule, message: `quantity ${order.quantity} not a multiple of stepSize ${lot.step}` });

  if (!market) {
    if (order.price === undefined) {
      out.push({ rule: 'PRICE_FILTER', message: 'LIMIT order without a price' });
      return out;
    }
    const price = dec(order.price);
    if (price.lte(0)) out.push({ rule: 'PRICE_FILTER', message: `price ${order.price} must be positive` });
    if (positive(filters.minPrice) && price.lt(dec(filters.minPrice))) out.push({ rule: 'PRICE_FILTER', message: `price ${order.price} below minPrice ${filters.minPrice}` });
    if (positive(filters.maxPrice) && price.gt(dec(filters.maxPrice))) out.push({ rule: 'PRICE_FILTER', message: `price ${order.price} above maxPrice ${filters.maxPrice}` });
    if (!isOnStep(price, filters.tickSize, filters.minPrice)) out.push({ rule: 'PRICE_FILTER', message: `price ${order.price} not a multiple of tickSize ${filters.tickSize}` });
    const pp = filters.percentPrice;
    if (pp && order.markPrice !== undefined) {
      const mark = dec(order.markPrice);
      if (order.side === 'BUY' && price.gt(mark.times(dec(pp.multiplierUp)))) {
        out.push({ rule: 'PERCENT_PRICE', message: `BUY price ${order.price} above mark ${order.markPrice} × ${pp.multiplierUp}` });
      }
      if (order.side === 'SELL' && price.lt(mark.times(dec(pp.multiplierDown)))) {
        out.push({ rule: 'PERCENT_PRICE', message: `SELL price ${order.price} below mark ${order.markPrice} × ${pp.multiplierDown}` });
      }
    }
  }

  const at = market ? order.markPrice : order.price;
  if (!order.reduceOnly && at !== undefined && positive(filters.minNotional) && qty.times(dec(at)).lt(dec(filters.minNotional))) {
    out.push({ rule: 'MIN_NOTIONAL', message: `notional ${notional(at, qty)} below ${filters.minNotional}` });
  }
  return out;
}

const RULE_CODE: Record<FilterRule, ExchangeErrorCode> = {
  PRICE_FILTER: 'PRICE_FILTER',
  LOT_SIZE: 'LOT_SIZE',
  MARKET_LOT_SIZE: 'LOT_SIZE',
  MIN_NOTIONAL: 'MIN_NOTIONAL',
  PERCENT_PRICE: 'PERCENT_PRICE',
};

/** Throws the same final error the exchange would (MIN_NOTIONAL, PERCENT_PRICE…) for the first broken rule. */
export function assertOrder(filters: SymbolFilters, order: OrderCheck): void {
  const [first, ...rest] = checkOrder(filters, order);
  if (!first) return;
  const more = rest.length ? ` (+${rest.length} more: ${rest.map((v) => v.rule).join(', ')})` : '';
  throw new RejectedExchangeError(RULE_CODE[first.rule], `${first.message}${more}`, { endpoint: 'local-check' });
}
