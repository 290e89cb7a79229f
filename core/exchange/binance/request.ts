// One Binance REST call: governor charge, egress choice, signing (fresh timestamp and signature on
// every attempt), fetch, rate-limit headers, and failure mapping. The only retries made here are
// the ones that cannot duplicate anything: after a -1021 re-sync, and on another egress IP after a
// 429/418 (both mean the request was refused before it was processed).
import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ExchangeGovernor, Grant } from '../../governor/weight-governor.port.ts';
import {
  AmbiguousMutationError, RetryableExchangeError, ThrottledExchangeError, isExchangeError, type ExchangeError, type ExchangeErrorCode,
} from '../exchange-errors.ts';
import { mapBinanceFailure } from './binance-errors.ts';
import type { ServerTimeSync } from './server-time.ts';
import { encodeParams, hmacSigner, totalParams, type ParamValue, type Signer } from './signing.ts';

/** The slice of a fetch Response we read; global fetch and undici's both fit. */
export interface FetchResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** The slice of fetch's init we use. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** A fetch function; on Node the edge passes one bound to an undici Agent per egress IP. */
export type FetchFn = (url: string, init: FetchInit) => Promise<FetchResponse>;

/** One way out to the exchange: the egress IP (the rate-limit key) and a fetch that uses it. */
export interface Egress {
  ip: string;
  fetch: FetchFn;
}

/** How Binance authenticates an endpoint. */
export type Security = 'NONE' | 'API_KEY' | 'SIGNED';

/** Params as Binance takes them. */
export type Params = Readonly<Record<string, ParamValue>>;

/** One REST endpoint: where, how it is authenticated, and what it costs. */
export interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  security: Security;
  /** IP request weight (may depend on the params, e.g. with or without symbol). */
  weight: number | ((params: Params) => number);
  /** Order-count cost against the account's 10 s / 1 min buckets. */
  orders?: number;
  /** True when repeating it could double an order: an unknown outcome then means reconcile. */
  mutation: boolean;
}

/** One attempt, for metrics and the audit trail. */
export interface CallEvent {
  endpoint: string;
  ip: string;
  status: number;
  durationMs: number;
  weight: number;
  usedWeight1m?: number;
  error?: string;
}

/** What the transport needs. */
export interface BinanceRequestOptions {
  baseUrl: string;
  apiKey: string;
  secret: string;
  clock: Clock;
  egress: readonly Egress[];
  timeSync: ServerTimeSync;
  governor?: ExchangeGovernor;
  /** Key for the per-account order counters. */
  accountId: string;
  recvWindow: number;
  /** Re-sync server time when the last sync is older than this. */
  timeSyncMaxAgeMs: number;
  timeoutMs: number;
  /** Where signed POST/PUT/DELETE params go; both are valid on Binance and signed the same way. */
  paramsIn: 'query' | 'body';
  log?: Logger;
  onCall?: (event: CallEvent) => void;
  /** Request signer; default HMAC-SHA256 on Web Crypto under `secret`. */
  signer?: Signer;
}

const TIME: Endpoint = { method: 'GET', path: '/fapi/v1/time', security: 'NONE', weight: 1, mutation: false };

const WAIT_CODE: Record<Exclude<Grant, { ok: true }>['reason'], ExchangeErrorCode> = {
  weight: 'WEIGHT_BUDGET', paused: 'RATE_LIMITED', banned: 'IP_BANNED', 'orders-10s': 'ORDER_RATE_LIMITED', 'orders-1m': 'ORDER_RATE_LIMITED',
};

const intHeader = (res: FetchResponse, name: string): number | undefined => {
  const v = res.headers.get(name);
  const n = v === null ? NaN : Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/** Sends Binance REST requests for one account. */
export class BinanceRequest {
  private readonly sign: Signer;
  private syncing: Promise<void> | null = null;

  constructor(private readonly o: BinanceRequestOptions) {
    if (o.egress.length === 0) throw new RangeError('at least one egress is required');
    this.sign = o.signer ?? hmacSigner(o.secret);
  }

  /** Calls an endpoint and returns `parse` of the JSON body. */
  async call<T>(endpoint: Endpoint, params: Params, parse: (body: unknown) => T): Promise<T> {
    const name = `${endpoint.method} ${endpoint.path}`;
    const weight = typeof endpoint.weight === 'function' ? endpoint.weight(params) : endpoint.weight;
    const { governor } = this.o;
    if (governor && endpoint.orders) this.grantOrThrow(await governor.acquireOrders(this.o.accountId, endpoint.orders), name);
    if (endpoint.security === 'SIGNED' && this.o.timeSync.isStale(this.o.clock.now(), this.o.timeSyncMaxAgeMs)) await this.syncTime();
    const refused = new Set<string>();
    let resynced = false;
    for (;;) {
      const egress = await this.chooseEgress(weight, refused, name);
      try {
        return parseBody(await this.attempt(endpoint, params, egress, weight, name), parse, endpoint, name);
      } catch (error) {
        // -1021 means the request was refused unprocessed: re-sync once and sign again.
        if (isExchangeError(error, 'CLOCK_SKEW') && !resynced) {
          resynced = true;
          await this.syncTime();
          continue;
        }
        // 429/418 refuse before processing too: route to another egress IP if there is one.
        if (isExchangeError(error, 'RATE_LIMITED', 'IP_BANNED')) {
          refused.add(egress.ip);
          if (refused.size < this.o.egress.length) continue;
        }
        throw error;
      }
    }
  }

  /** Reads GET /fapi/v1/time and updates the shared offset; concurrent callers share one request. */
  syncTime(): Promise<void> {
    this.syncing ??= this.readServerTime().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private async readServerTime(): Promise<void> {
    const sentAt = this.o.clock.now();
    const serverTime = await this.call(TIME, {}, (body) => {
      const t = (body as { serverTime?: unknown } | null)?.serverTime;
      if (typeof t !== 'number') throw new RetryableExchangeError('EXCHANGE_UNAVAILABLE', 'GET /fapi/v1/time returned no serverTime');
      return t;
    });
    this.o.timeSync.record(serverTime, sentAt, this.o.clock.now());
  }

  private grantOrThrow(grant: Grant, name: string): void {
    if (grant.ok) return;
    throw new ThrottledExchangeError(WAIT_CODE[grant.reason], `${name} must wait ${grant.waitMs} ms (${grant.reason})`, grant.waitMs, this.o.clock.now(), { endpoint: name });
  }

  private async chooseEgress(weight: number, refused: ReadonlySet<string>, name: string): Promise<Egress> {
    const candidates = this.o.egress.filter((e) => !refused.has(e.ip));
    const { governor } = this.o;
    if (!governor) return candidates[0]!;
    let chosen = candidates[0]!;
    if (candidates.length > 1) {
      const pick = await governor.pickIp(candidates.map((e) => e.ip), weight);
      if (pick.ip === null) this.grantOrThrow({ ok: false, waitMs: pick.waitMs, reason: pick.reason }, name);
      else chosen = candidates.find((e) => e.ip === pick.ip)!;
    }
    this.grantOrThrow(await governor.acquire(chosen.ip, weight), name);
    return chosen;
  }

  private async attempt(endpoint: Endpoint, params: Params, egress: Egress, weight: number, name: string): Promise<unknown> {
    const { clock, timeSync } = this.o;
    let query = encodeParams(params);
    let body = '';
    if (endpoint.security === 'SIGNED') {
      // Timestamp and signature are made per attempt: a retried request must not reuse a stale stamp.
      const stamped = [query, `recvWindow=${this.o.recvWindow}`, `timestamp=${timeSync.serverNow(clock.now())}`].filter(Boolean).join('&');
      if (this.o.paramsIn === 'body' && endpoint.method !== 'GET') [query, body] = ['', stamped];
      else query = stamped;
      const signature = await this.sign(totalParams(query, body));
      if (body) body += `&signature=${signature}`;
      else query += `&signature=${signature}`;
    }
    const headers: Record<string, string> = {};
    if (endpoint.security !== 'NONE') headers['X-MBX-APIKEY'] = this.o.apiKey;
    if (body) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const url = `${this.o.baseUrl}${endpoint.path}${query ? `?${query}` : ''}`;
    const started = clock.now();
    const event = (status: number, extra: Partial<CallEvent> = {}) =>
      this.o.onCall?.({ endpoint: name, ip: egress.ip, status, durationMs: clock.now() - started, weight, ...extra });

    let res: FetchResponse;
    let text: string;
    try {
      res = await egress.fetch(url, { method: endpoint.method, headers, ...(body ? { body } : {}), signal: AbortSignal.timeout(this.o.timeoutMs) });
      text = await res.text();
    } catch (cause) {
      const error = mapBinanceFailure({ status: 0, mutation: endpoint.mutation, endpoint: name, ip: egress.ip, now: clock.now(), msg: String(cause), cause });
      event(0, { error: error.code });
      throw error;
    }
    const usedWeight1m = intHeader(res, 'x-mbx-used-weight-1m');
    await this.observe(egress.ip, res, usedWeight1m);
    const json = safeJson(text);
    const vendor = json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as { code?: unknown; msg?: unknown }) : {};
    const code = typeof vendor.code === 'number' ? vendor.code : undefined;
    if (res.status >= 200 && res.status < 300 && !(code !== undefined && code < 0)) {
      event(res.status, { usedWeight1m });
      if (json === undefined) throw unreadable(endpoint, name, egress.ip, res.status);
      return json;
    }
    const error = mapBinanceFailure({
      status: res.status, code, msg: typeof vendor.msg === 'string' ? vendor.msg : text.slice(0, 200) || undefined,
      retryAfter: res.headers.get('retry-after'), mutation: endpoint.mutation, endpoint: name, ip: egress.ip,
      now: clock.now(), serverOffsetMs: timeSync.offsetMs,
    });
    event(res.status, { usedWeight1m, error: error.code });
    if (error instanceof ThrottledExchangeError) await this.block(egress.ip, error);
    throw error;
  }

  // Governor bookkeeping after a response must never turn a done request into a failure.
  private async observe(ip: string, res: FetchResponse, usedWeight1m: number | undefined): Promise<void> {
    const { governor } = this.o;
    if (!governor) return;
    try {
      if (usedWeight1m !== undefined) await governor.observeWeight(ip, usedWeight1m);
      const count10s = intHeader(res, 'x-mbx-order-count-10s');
      const count1m = intHeader(res, 'x-mbx-order-count-1m');
      if (count10s !== undefined || count1m !== undefined) await governor.observeOrders(this.o.accountId, { count10s, count1m });
    } catch (error) {
      this.o.log?.warn('governor observe failed', { ip, error });
    }
  }

  private async block(ip: string, error: ThrottledExchangeError): Promise<void> {
    const { governor } = this.o;
    if (!governor) return;
    try {
      if (error.code === 'IP_BANNED') await governor.ban(ip, error.until);
      else if (error.code === 'RATE_LIMITED') await governor.pause(ip, error.until);
    } catch (cause) {
      this.o.log?.warn('governor block failed', { ip, error: String(cause) });
    }
  }
}

function safeJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function unreadable(endpoint: Endpoint, name: string, ip: string, status: number): ExchangeError {
  const details = { endpoint: name, ip, httpStatus: status };
  return endpoint.mutation
    ? new AmbiguousMutationError(`${name}: unreadable success body, outcome unknown`, details, 'MALFORMED_RESPONSE')
    : new RetryableExchangeError('EXCHANGE_UNAVAILABLE', `${name}: unreadable response body`, details);
}

// A success we cannot read is, for a mutation, an order we do not know the state of.
function parseBody<T>(json: unknown, parse: (body: unknown) => T, endpoint: Endpoint, name: string): T {
  try {
    return parse(json);
  } catch (error) {
    if (endpoint.mutation && isExchangeError(error, 'MALFORMED_RESPONSE')) {
      throw new AmbiguousMutationError(`${name}: ${error.message}`, { endpoint: name, cause: error }, 'MALFORMED_RESPONSE');
    }
    throw error;
  }
}
