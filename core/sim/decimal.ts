// Decimal arithmetic for every simulated price, quantity and balance: never binary floats for money.
import { Decimal as DecimalJs } from 'decimal.js';

// A private clone so a global Decimal.set elsewhere cannot change how the simulator rounds or prints.
/** The simulator's Decimal constructor. */
export const D = DecimalJs.clone({ precision: 60, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -100, toExpPos: 100 });
/** A decimal value. */
export type Dec = InstanceType<typeof D>;

/** Zero, shared. */
export const ZERO: Dec = new D(0);

/** Binance's legal range for decimal parameters (error -1100 outside it). */
export const DECIMAL_PARAM = /^([0-9]{1,20})(\.[0-9]{1,20})?$/;

/** Parses a decimal from a string or number; throws on anything non-finite. */
export function dec(value: string | number | Dec): Dec {
  const d = new D(value);
  if (!d.isFinite()) throw new RangeError(`not a finite decimal: ${String(value)}`);
  return d;
}

/** Plain decimal text without exponent or trailing zeros, at most `dp` places ("0" for zero, never "-0"). */
export function plain(value: Dec, dp = 8): string {
  const d = value.toDecimalPlaces(dp, D.ROUND_HALF_UP);
  return d.isZero() ? '0' : d.toFixed();
}

/** Fixed-point text with exactly `dp` places, the way Binance prints balances ("126.72469206"). */
export function fixed(value: Dec, dp = 8): string {
  const d = value.toDecimalPlaces(dp, D.ROUND_HALF_UP);
  return (d.isZero() ? new D(0) : d).toFixed(dp);
}

/** Number of digits after the decimal point in a decimal string. */
export function decimalPlaces(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** The smaller of two decimals. */
export function minDec(a: Dec, b: Dec): Dec {
  return a.lessThan(b) ? a : b;
}
