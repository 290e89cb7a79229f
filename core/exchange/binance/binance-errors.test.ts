import { describe, expect, it } from 'vitest';
import { dispositionOf } from '../../errors.ts';
import { AmbiguousMutationError, RejectedExchangeError, RetryableExchangeError, ThrottledExchangeError } from '../exchange-errors.ts';
import { mapBinanceFailure, parseBannedUntil, parseRetryAfter, type BinanceFailure } from './binance-errors.ts';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 20); // 20 s into a minute
const fail = (f: Partial<BinanceFailure>) => mapBinanceFailure({ status: 400, mutation: false, endpoint: 'POST /fapi/v1/order', now: NOW, ...f });

describe('Binance failure mapping', () => {
  it.each([
    [-2011, 'UNKNOWN_ORDER', 'Unknown order sent.'],
    [-2013, 'ORDER_NOT_FOUND', 'Order does not exist.'],
    [-2019, 'MARGIN_INSUFFICIENT', 'Margin is insufficient.'],
    [-2022, 'REDUCE_ONLY_REJECTED', 'ReduceOnly Order is rejected.'],
    [-4120, 'USE_ALGO_API', 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.'],
    [-4164, 'MIN_NOTIONAL', "Order's notional must be no smaller than 5.0 (unless you choose reduce only)"],
    [-4509, 'NO_OPEN_POSITION', 'Time in Force (TIF) GTE can only be used with open positions. Please ensure that positions are available.'],
    [-4116, 'DUPLICATE_CLIENT_ORDER_ID', 'clientOrderId is duplicated.'],
    [-4046, 'NO_CHANGE_NEEDED', 'No need to change margin type.'],
    [-4059, 'NO_CHANGE_NEEDED', 'No need to change position side.'],
    [-5022, 'POST_ONLY_REJECTED', 'Due to the order could not be executed as maker, the Post Only order will be rejected.'],
    [-1125, 'LISTEN_KEY_NOT_FOUND', 'This listenKey does not exist.'],
    [-1121, 'BAD_REQUEST', 'Invalid symbol.'],
    [-9999, 'EXCHANGE_REJECTED', 'something new'],
  ])('maps %i to %s', (code, expected, msg) => {
    const error = fail({ code, msg });
    expect(error.code).toBe(expected);
    expect(error.vendorCode).toBe(code);
    expect(error.vendorMessage).toBe(msg);
    expect(error.httpStatus).toBe(400);
  });

  it('classifies rejections as final, and a duplicate client id as reconcile (an earlier attempt landed)', () => {
    for (const code of [-2011, -2013, -2019, -2022, -4120, -4164, -4509]) {
      const error = fail({ code, mutation: true });
      expect(error).toBeInstanceOf(RejectedExchangeError);
      expect(error.kind).toBe('final');
      expect(dispositionOf(error)).toBe('final');
    }
    const duplicate = fail({ code: -4116, mutation: true });
    expect(duplicate).toBeInstanceOf(AmbiguousMutationError);
    expect(dispositionOf(duplicate)).toBe('reconcile');
  });

  it('makes -1021 a retryable CLOCK_SKEW', () => {
    const error = fail({ code: -1021, msg: "Timestamp for this request is outside of the recvWindow." });
    expect(error).toBeInstanceOf(RetryableExchangeError);
    expect(error.code).toBe('CLOCK_SKEW');
    expect(dispositionOf(error)).toBe('retry');
  });

  it('throttles a 429 until Retry-After', () => {
    const error = fail({ status: 429, code: -1003, msg: 'Too many requests; current limit is 2400 requests per minute.', retryAfter: '17' });
    expect(error).toBeInstanceOf(ThrottledExchangeError);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterMs).toBe(17_000);
    expect((error as ThrottledExchangeError).until).toBe(NOW + 17_000);
    expect(dispositionOf(error)).toBe('throttle');
  });

  it('throttles a 429 without Retry-After until the next server-time minute', () => {
    expect(fail({ status: 429, code: -1003 }).retryAfterMs).toBe(40_000);
    expect(fail({ status: 429, code: -1003, serverOffsetMs: 5_000 }).retryAfterMs).toBe(35_000);
  });

  it('marks a 418 banned until the time the message states (server clock → local)', () => {
    const until = NOW + 300_000;
    const error = fail({ status: 418, code: -1003, msg: `Way too many requests; IP banned until ${until + 2_000}. Please use the websocket for live updates to avoid bans.`, serverOffsetMs: 2_000 });
    expect(error.code).toBe('IP_BANNED');
    expect(error.retryAfterMs).toBe(300_000);
    expect((error as ThrottledExchangeError).until).toBe(until);
  });

  it('bans on 418 for Retry-After, or the 2-minute minimum when nothing is stated', () => {
    expect(fail({ status: 418, retryAfter: '600' }).retryAfterMs).toBe(600_000);
    expect(fail({ status: 418 }).retryAfterMs).toBe(120_000);
  });

  it('throttles -1015 (too many orders) to the next 10 s boundary, even when it comes as a 429', () => {
    for (const status of [400, 429]) {
      const error = fail({ status, code: -1015, msg: 'Too many new orders; current limit is 300 orders per TEN_SECONDS.' });
      expect(error.code).toBe('ORDER_RATE_LIMITED');
      expect(error.retryAfterMs).toBe(10_000);
    }
  });

  it('makes 5xx, 408, network errors and unknown-status codes ambiguous on a mutation', () => {
    const cases: Partial<BinanceFailure>[] = [
      { status: 500 }, { status: 502 }, { status: 503, code: -1008, msg: 'Server is currently overloaded with other requests. Please try again in a few minutes.' },
      { status: 503, msg: 'Unknown error, please check your request or try again later.' }, { status: 408 }, { status: 0, msg: 'fetch failed' },
      { status: 400, code: -1007, msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.' },
      { status: 400, code: -1000 }, { status: 400, code: -1001 }, { status: 400, code: -1006 },
    ];
    for (const c of cases) {
      const error = fail({ ...c, mutation: true });
      expect(error).toBeInstanceOf(AmbiguousMutationError);
      expect(error.code).toBe('AMBIGUOUS_MUTATION');
      expect(dispositionOf(error)).toBe('reconcile');
    }
  });

  it('makes the same failures plainly retryable on a read', () => {
    for (const status of [500, 502, 503, 504, 408, 0]) {
      const error = fail({ status, mutation: false });
      expect(error).toBeInstanceOf(RetryableExchangeError);
      expect(error.code).toBe('EXCHANGE_UNAVAILABLE');
    }
  });

  it('backs off from a WAF 403', () => {
    expect(fail({ status: 403 })).toMatchObject({ code: 'WAF_BLOCKED', retryAfterMs: 60_000 });
  });

  it('parses Retry-After as seconds or an HTTP date, and ban times from messages', () => {
    expect(parseRetryAfter('2', NOW)).toBe(2_000);
    expect(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90_000);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseBannedUntil('Way too many requests; IP banned until 1752991612680.')).toBe(1752991612680);
    expect(parseBannedUntil('Too many requests')).toBeUndefined();
  });
});
