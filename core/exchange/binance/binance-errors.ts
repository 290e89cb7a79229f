// Binance failures → our exchange errors. HTTP status decides first (429/418 throttle, 5xx and
// network are unknown outcomes), then the vendor code. Mutations whose outcome is unknown are
// ambiguous: the caller must look the order up by client id before placing anything again.
import {
  AmbiguousMutationError, RejectedExchangeError, RetryableExchangeError, ThrottledExchangeError,
  type ExchangeError, type ExchangeErrorCode, type ExchangeErrorDetails,
} from '../exchange-errors.ts';

/** What the transport saw when a request failed. */
export interface BinanceFailure {
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  status: number;
  code?: number;
  msg?: string;
  /** Retry-After header, raw. */
  retryAfter?: string | null;
  /** False for reads and idempotent settings; true when a repeat could double an order. */
  mutation: boolean;
  endpoint: string;
  ip?: string;
  /** Local time now, and the server-time offset (server − local) for converting the exchange's timestamps. */
  now: number;
  serverOffsetMs?: number;
  cause?: unknown;
}

// Vendor codes whose meaning is a plain rejection; the request was processed and refused.
const FINAL: Record<number, ExchangeErrorCode> = {
  [-1022]: 'AUTH_REJECTED', [-2014]: 'AUTH_REJECTED', [-2015]: 'AUTH_REJECTED',
  [-2011]: 'UNKNOWN_ORDER', [-2013]: 'ORDER_NOT_FOUND',
  [-2019]: 'MARGIN_INSUFFICIENT',
  [-2022]: 'REDUCE_ONLY_REJECTED', [-4118]: 'REDUCE_ONLY_REJECTED',
  [-4120]: 'USE_ALGO_API',
  [-4164]: 'MIN_NOTIONAL', [-5029]: 'MIN_NOTIONAL',
  // "Time in Force (TIF) GTE can only be used with open positions": closePosition / GTE stop with no position.
  [-4509]: 'NO_OPEN_POSITION', [-4129]: 'NO_OPEN_POSITION',
  [-4013]: 'PRICE_FILTER', [-4014]: 'PRICE_FILTER',
  [-4003]: 'LOT_SIZE', [-4004]: 'LOT_SIZE', [-4005]: 'LOT_SIZE', [-4023]: 'LOT_SIZE',
  [-4016]: 'PERCENT_PRICE', [-4024]: 'PERCENT_PRICE', [-4131]: 'PERCENT_PRICE',
  [-2021]: 'WOULD_TRIGGER_IMMEDIATELY', [-4142]: 'WOULD_TRIGGER_IMMEDIATELY',
  [-5022]: 'POST_ONLY_REJECTED', [-5021]: 'FOK_REJECTED',
  [-5027]: 'NOTHING_TO_MODIFY', [-5026]: 'MODIFY_LIMIT',
  [-4046]: 'NO_CHANGE_NEEDED', [-4059]: 'NO_CHANGE_NEEDED',
  [-4047]: 'CONFIG_CHANGE_BLOCKED', [-4048]: 'CONFIG_CHANGE_BLOCKED', [-4067]: 'CONFIG_CHANGE_BLOCKED', [-4068]: 'CONFIG_CHANGE_BLOCKED',
  [-4028]: 'INVALID_LEVERAGE',
  [-2027]: 'MAX_POSITION',
  [-4061]: 'POSITION_SIDE_MISMATCH',
  [-2025]: 'MAX_OPEN_ORDERS',
  [-4130]: 'DUPLICATE_CLOSE_POSITION',
  [-4015]: 'INVALID_CLIENT_ORDER_ID',
  [-1125]: 'LISTEN_KEY_NOT_FOUND',
  [-1100]: 'BAD_REQUEST', [-1101]: 'BAD_REQUEST', [-1102]: 'BAD_REQUEST', [-1104]: 'BAD_REQUEST', [-1106]: 'BAD_REQUEST',
  [-1111]: 'BAD_REQUEST', [-1116]: 'BAD_REQUEST', [-1117]: 'BAD_REQUEST', [-1120]: 'BAD_REQUEST', [-1121]: 'BAD_REQUEST',
  [-1130]: 'BAD_REQUEST', [-1131]: 'BAD_REQUEST',
};

// Binance's "status unknown" codes: -1000 unknown, -1001 internal, -1006 unexpected response, -1007 timeout, -1008 overloaded.
const UNKNOWN_OUTCOME = new Set([-1000, -1001, -1006, -1007, -1008]);

/** Milliseconds from a Retry-After header (delta seconds or an HTTP date); undefined if absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The ban end from a 418 message ("…IP banned until 1752991612680."), in server epoch ms. */
export function parseBannedUntil(msg: string | undefined): number | undefined {
  const m = msg ? /banned until (\d{12,})/i.exec(msg) : null;
  return m ? Number(m[1]) : undefined;
}

/** Binance bans last 2 minutes to 3 days; with no stated end we assume the shortest. */
const DEFAULT_BAN_MS = 120_000;
/** A WAF block has no stated end; back off a minute. */
const WAF_BACKOFF_MS = 60_000;

/** Maps one failed request to the error the engine acts on. */
export function mapBinanceFailure(f: BinanceFailure): ExchangeError {
  const details: ExchangeErrorDetails = { vendorCode: f.code, httpStatus: f.status || undefined, vendorMessage: f.msg, endpoint: f.endpoint, ip: f.ip, cause: f.cause };
  const said = f.msg ? `: ${f.msg}` : '';
  const label = `${f.endpoint} → ${f.status || 'no response'}${f.code !== undefined ? ` ${f.code}` : ''}${said}`;
  const offset = f.serverOffsetMs ?? 0;
  const retryAfter = parseRetryAfter(f.retryAfter, f.now);

  if (f.status === 418) {
    const stated = parseBannedUntil(f.msg);
    const until = Math.max(stated !== undefined ? stated - offset : 0, retryAfter !== undefined ? f.now + retryAfter : 0) || f.now + DEFAULT_BAN_MS;
    return new ThrottledExchangeError('IP_BANNED', `IP banned: ${label}`, until - f.now, f.now, details);
  }
  // -1015 may come with a 429, but it is the account's order count, not the IP's weight: never pause the IP for it.
  if (f.code === -1015) {
    const serverNow = f.now + offset;
    return new ThrottledExchangeError('ORDER_RATE_LIMITED', `order rate limited: ${label}`, retryAfter ?? 10_000 - (serverNow % 10_000), f.now, details);
  }
  if (f.status === 429 || f.code === -1003) {
    // Without Retry-After, the weight window resets on the next server-time minute.
    const serverNow = f.now + offset;
    const wait = retryAfter ?? 60_000 - (serverNow % 60_000);
    return new ThrottledExchangeError('RATE_LIMITED', `rate limited: ${label}`, wait, f.now, details);
  }
  if (f.status === 403) return new ThrottledExchangeError('WAF_BLOCKED', `blocked by WAF: ${label}`, retryAfter ?? WAF_BACKOFF_MS, f.now, details);
  if (f.code === -1021) return new RetryableExchangeError('CLOCK_SKEW', `timestamp outside recvWindow: ${label}`, details);
  if (f.code === -4116) {
    // The id is already on an open order, so an earlier attempt went through: adopt it.
    return new AmbiguousMutationError(`client order id already in use: ${label}`, details, 'DUPLICATE_CLIENT_ORDER_ID');
  }

  const unknownOutcome = f.status === 0 || f.status === 408 || f.status >= 500 || (f.code !== undefined && UNKNOWN_OUTCOME.has(f.code));
  if (unknownOutcome) {
    return f.mutation
      ? new AmbiguousMutationError(`outcome unknown, reconcile by client id: ${label}`, details)
      : new RetryableExchangeError('EXCHANGE_UNAVAILABLE', `exchange unavailable: ${label}`, details);
  }
  const code = f.code !== undefined ? FINAL[f.code] : undefined;
  return new RejectedExchangeError(code ?? 'EXCHANGE_REJECTED', `rejected: ${label}`, details);
}
