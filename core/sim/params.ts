// Request parameters as Binance parses them: strings in, Binance's error codes for anything missing
// or malformed.
import { dec, DECIMAL_PARAM, type Dec } from './decimal.ts';
import { errors, type SimError } from './sim-error.ts';

/** Parsed request parameters (query and form body merged, query first). */
export type Params = Readonly<Record<string, string>>;

/** Binance's client order id rule. */
export const CLIENT_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/** A parameter's value, or undefined when absent or empty. */
export function optional(p: Params, name: string): string | undefined {
  const v = p[name];
  return v === undefined || v === '' ? undefined : v;
}

/** A mandatory parameter; -1102 when missing. */
export function required(p: Params, name: string): string {
  const v = optional(p, name);
  if (v === undefined) throw errors.mandatory(name);
  return v;
}

/** A decimal parameter; -1100 for anything outside Binance's legal range. */
export function decimalParam(p: Params, name: string): Dec | undefined {
  const v = optional(p, name);
  if (v === undefined) return undefined;
  if (!DECIMAL_PARAM.test(v)) throw errors.illegalChars(name);
  return dec(v);
}

/** A boolean parameter ("true"/"false", any case); -1130 otherwise. */
export function boolParam(p: Params, name: string): boolean | undefined {
  const v = optional(p, name);
  if (v === undefined) return undefined;
  const lower = v.toLowerCase();
  if (lower !== 'true' && lower !== 'false') throw errors.invalidParam(name);
  return lower === 'true';
}

/** A whole-number parameter (ids, times, limits); -1100 when not digits. */
export function intParam(p: Params, name: string): number | undefined {
  const v = optional(p, name);
  if (v === undefined) return undefined;
  if (!/^\d{1,19}$/.test(v)) throw errors.illegalChars(name);
  return Number(v);
}

/** An enumerated parameter; `invalid` is Binance's error for an unknown value. */
export function enumParam<T extends string>(p: Params, name: string, values: readonly T[], invalid: () => SimError = () => errors.invalidParam(name)): T | undefined {
  const v = optional(p, name);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) throw invalid();
  return v as T;
}

/** A client order id; -4015 when it breaks the pattern. */
export function clientIdParam(p: Params, name: string): string | undefined {
  const v = optional(p, name);
  if (v !== undefined && !CLIENT_ID.test(v)) throw errors.clientIdInvalid();
  return v;
}

/** `limit` clamped as Binance does: default `fallback`, at most `max`. */
export function limitParam(p: Params, fallback: number, max: number): number {
  const n = intParam(p, 'limit') ?? fallback;
  return Math.max(1, Math.min(n, max));
}
