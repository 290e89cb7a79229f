// Input checks before anything is signed: a float or an exponent must never reach the wire, and a
// bad client id would only come back as -4015 after costing an order slot.
import { ValidationError } from '../../errors.ts';
import { CLIENT_ORDER_ID_PATTERN } from '../client-order-id.ts';
import { isDecimalString } from '../precision.ts';

/** Throws unless `value` is a plain decimal string (or undefined when optional). */
export function decimalParam(name: string, value: string | undefined, required: boolean): string | undefined {
  if (value === undefined) {
    if (required) throw new ValidationError(`${name} is required`, 'INVALID_ORDER');
    return undefined;
  }
  if (typeof value !== 'string' || !isDecimalString(value)) throw new ValidationError(`${name} must be a plain decimal string, got ${String(value)}`, 'INVALID_ORDER');
  return value;
}

/** Throws unless `id` fits Binance's client id rule. */
export function clientIdParam(name: string, id: string): string {
  if (typeof id !== 'string' || !CLIENT_ORDER_ID_PATTERN.test(id)) throw new ValidationError(`${name} must match ${CLIENT_ORDER_ID_PATTERN}, got ${String(id)}`, 'INVALID_ORDER');
  return id;
}

/** "true"/"false" for flags Binance takes as strings; undefined stays unsent. */
export function flag(value: boolean | undefined): 'true' | 'false' | undefined {
  return value === undefined ? undefined : value ? 'true' : 'false';
}
