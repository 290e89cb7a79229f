// Defensive readers for Binance JSON: a missing or mistyped field becomes a MALFORMED_RESPONSE
// error naming the field, instead of an undefined that travels into a money calculation.
import { RejectedExchangeError } from '../exchange-errors.ts';
import type { DecimalString } from '../exchange.port.ts';
import { decimalOf } from '../precision.ts';

/** A JSON object from the wire. */
export type Json = Record<string, unknown>;

/** The error every reader throws; the transport reclassifies it for mutations (outcome unknown). */
export function malformed(what: string): RejectedExchangeError {
  return new RejectedExchangeError('MALFORMED_RESPONSE', `malformed exchange response: ${what}`);
}

/** The value as an object, or a MALFORMED_RESPONSE error. */
export function obj(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(`${what} is not an object`);
  return value as Json;
}

/** The value as an array, or a MALFORMED_RESPONSE error. */
export function arr(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw malformed(`${what} is not an array`);
  return value;
}

/** An optional string field (numbers are stringified: ids arrive as JSON numbers). */
export function optStr(o: Json, key: string): string | undefined {
  const v = o[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** A required string field. */
export function str(o: Json, key: string): string {
  const v = optStr(o, key);
  if (v === undefined) throw malformed(`field ${key} missing`);
  return v;
}

/** An optional decimal field, normalised; "" counts as absent. */
export function optDec(o: Json, key: string): DecimalString | undefined {
  try {
    return decimalOf(o[key]);
  } catch {
    throw malformed(`field ${key} is not a decimal: ${String(o[key])}`);
  }
}

/** A required decimal field. */
export function dec(o: Json, key: string): DecimalString {
  const v = optDec(o, key);
  if (v === undefined) throw malformed(`field ${key} missing`);
  return v;
}

/** An optional integer field (times, counts, leverage); numeric strings accepted. */
export function optInt(o: Json, key: string): number | undefined {
  const v = o[key];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** A required integer field. */
export function int(o: Json, key: string): number {
  const v = optInt(o, key);
  if (v === undefined) throw malformed(`field ${key} missing`);
  return v;
}

/** A boolean field (Binance sends both true and "true"); absent means `fallback`. */
export function bool(o: Json, key: string, fallback = false): boolean {
  const v = o[key];
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return fallback;
}
