// Exchange errors the engine acts on: every vendor failure becomes one of these, with a stable
// code (what happened) and a kind (what to do): retry, wait, reconcile by client id, or give up.
import { KraiteError, type Disposition } from '../errors.ts';

/** What the engine does next with an exchange failure. */
export type ExchangeErrorKind = 'retryable' | 'throttled' | 'ambiguous' | 'final';

/** Stable codes; handlers branch on these, never on vendor numbers or messages. */
export type ExchangeErrorCode =
  // retryable
  | 'CLOCK_SKEW'
  | 'EXCHANGE_UNAVAILABLE'
  // the exchange answered, but its quantities disagree with ours (a fill not yet in the position,
  // a modify not yet visible): read again rather than act on it
  | 'QUANTITY_MISMATCH'
  // throttled
  | 'RATE_LIMITED'
  | 'IP_BANNED'
  | 'WEIGHT_BUDGET'
  | 'ORDER_RATE_LIMITED'
  | 'WAF_BLOCKED'
  // ambiguous: a mutation whose outcome is unknown
  | 'AMBIGUOUS_MUTATION'
  | 'DUPLICATE_CLIENT_ORDER_ID'
  // final
  | 'UNKNOWN_ORDER'
  | 'ORDER_NOT_FOUND'
  | 'MARGIN_INSUFFICIENT'
  | 'REDUCE_ONLY_REJECTED'
  | 'USE_ALGO_API'
  | 'MIN_NOTIONAL'
  | 'NO_OPEN_POSITION'
  | 'PRICE_FILTER'
  | 'LOT_SIZE'
  | 'PERCENT_PRICE'
  | 'WOULD_TRIGGER_IMMEDIATELY'
  | 'POST_ONLY_REJECTED'
  | 'FOK_REJECTED'
  | 'NOTHING_TO_MODIFY'
  | 'MODIFY_LIMIT'
  | 'NO_CHANGE_NEEDED'
  | 'CONFIG_CHANGE_BLOCKED'
  | 'INVALID_LEVERAGE'
  | 'MAX_POSITION'
  | 'POSITION_SIDE_MISMATCH'
  | 'MAX_OPEN_ORDERS'
  | 'DUPLICATE_CLOSE_POSITION'
  | 'INVALID_CLIENT_ORDER_ID'
  | 'LISTEN_KEY_NOT_FOUND'
  | 'AUTH_REJECTED'
  | 'BAD_REQUEST'
  | 'MALFORMED_RESPONSE'
  | 'EXCHANGE_REJECTED';

/** Where a failure came from, for logs and the audit trail. */
export interface ExchangeErrorDetails {
  vendorCode?: number;
  httpStatus?: number;
  vendorMessage?: string;
  endpoint?: string;
  /** Egress IP the request left from, when known. */
  ip?: string;
  cause?: unknown;
}

const DISPOSITION: Record<ExchangeErrorKind, Disposition> = {
  retryable: 'retry',
  throttled: 'throttle',
  ambiguous: 'reconcile',
  final: 'final',
};

/** Base of every exchange failure: stable code, kind, and the vendor's words. */
export class ExchangeError extends KraiteError {
  readonly kind: ExchangeErrorKind;
  readonly vendorCode?: number;
  readonly httpStatus?: number;
  readonly vendorMessage?: string;
  readonly endpoint?: string;
  readonly ip?: string;

  constructor(code: ExchangeErrorCode, message: string, kind: ExchangeErrorKind, details: ExchangeErrorDetails = {}, retryAfterMs?: number) {
    super(code, message, DISPOSITION[kind], retryAfterMs, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.vendorCode = details.vendorCode;
    this.httpStatus = details.httpStatus;
    this.vendorMessage = details.vendorMessage;
    this.endpoint = details.endpoint;
    this.ip = details.ip;
  }

  /** The stable code, typed. */
  get exchangeCode(): ExchangeErrorCode {
    return this.code as ExchangeErrorCode;
  }
}

/** Transient: try again after backoff (5xx or network on a read, clock skew after a re-sync). */
export class RetryableExchangeError extends ExchangeError {
  constructor(code: ExchangeErrorCode, message: string, details?: ExchangeErrorDetails) {
    super(code, message, 'retryable', details);
  }
}

/** Rate limited: wait `retryAfterMs` and try again without spending an attempt. */
export class ThrottledExchangeError extends ExchangeError {
  /** Absolute time (epoch ms, local clock) the wait ends. */
  readonly until: number;
  constructor(code: ExchangeErrorCode, message: string, waitMs: number, now: number, details?: ExchangeErrorDetails) {
    const ms = Math.max(0, Math.ceil(waitMs));
    super(code, message, 'throttled', details, ms);
    this.until = now + ms;
  }
}

/** A mutation whose outcome is unknown: look the order up by client id before anything else. */
export class AmbiguousMutationError extends ExchangeError {
  constructor(message: string, details?: ExchangeErrorDetails, code: ExchangeErrorCode = 'AMBIGUOUS_MUTATION') {
    super(code, message, 'ambiguous', details);
  }
}

/** The exchange said no; retrying the same request cannot help. */
export class RejectedExchangeError extends ExchangeError {
  constructor(code: ExchangeErrorCode, message: string, details?: ExchangeErrorDetails) {
    super(code, message, 'final', details);
  }
}

/** True when `error` is an exchange error with one of `codes`. */
export function isExchangeError(error: unknown, ...codes: ExchangeErrorCode[]): error is ExchangeError {
  return error instanceof ExchangeError && (codes.length === 0 || codes.includes(error.exchangeCode));
}
