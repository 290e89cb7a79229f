// The REST pipeline, transport-neutral: route lookup, per-IP weight (429 / 418), fault rules, API
// key and HMAC signature with Binance's timestamp window, per-account order counts, then the
// handler. It returns what to send as data; the HTTP server in edge/sim only moves bytes.
import type { SimAccount } from './accounts.ts';
import type { RequestFault } from './faults.ts';
import { findRoute, weightOf } from './routes.ts';
import { errors, SimError } from './sim-error.ts';
import type { SimExchange } from './sim-exchange.ts';

/** Checks a hex HMAC-SHA256 `signature` of `payload` under `secret` (case-insensitive). */
export type SignatureVerifier = (secret: string, payload: string, signature: string) => boolean | Promise<boolean>;

/** A request as received: raw query string and body exactly as sent, since the signature covers those bytes. */
export interface GatewayRequest {
  method: string;
  path: string;
  query: string;
  body: string;
  apiKey?: string;
  ip: string;
}

/** What the transport should do: answer after `latencyMs`, or destroy the connection (`drop`). */
export interface GatewayResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  latencyMs: number;
  drop: boolean;
}

/** Binance's maximum recvWindow. */
const MAX_RECV_WINDOW = 60_000;

function parseForm(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(raw)) if (!out.has(k)) out.set(k, v);
  return out;
}

/** Removes the `signature=` pair from a raw parameter string, returning the rest and the signature. */
export function stripSignature(raw: string): { rest: string; signature?: string } {
  if (raw === '') return { rest: raw };
  const parts = raw.split('&');
  const i = parts.findIndex((part) => part.startsWith('signature='));
  if (i < 0) return { rest: raw };
  const signature = decodeURIComponent(parts[i]!.slice('signature='.length));
  parts.splice(i, 1);
  return { rest: parts.join('&'), signature };
}

/** Runs REST requests against a SimExchange the way Binance's front door would. */
export class SimGateway {
  constructor(private readonly exchange: SimExchange, private readonly verify: SignatureVerifier) {}

  /** Handles one request; never throws for request errors (they become Binance error bodies). */
  async handle(req: GatewayRequest): Promise<GatewayResponse> {
    const ex = this.exchange;
    const headers: Record<string, string> = {};
    const reply = (status: number, body: unknown, latencyMs = 0): GatewayResponse => ({ status, headers, body, latencyMs, drop: false });
    const fail = (error: SimError, latencyMs = 0) => reply(error.httpStatus, error.body(), latencyMs);

    const route = findRoute(req.method, req.path);
    const query = parseForm(req.query);
    const params: Record<string, string> = Object.fromEntries(parseForm(req.body));
    for (const [k, v] of query) params[k] = v; // query wins on duplicates, as on Binance
    const weight = route ? weightOf(route, params) : 1;
    const decision = ex.weights.charge(req.ip, weight);
    headers['X-MBX-USED-WEIGHT-1M'] = String(decision.used);
    if (decision.kind === 'banned') {
      headers['Retry-After'] = String(Math.max(1, Math.ceil((decision.until - ex.state.clock.now()) / 1000)));
      return fail(errors.banned(req.ip, decision.until));
    }
    if (decision.kind === 'limited') {
      headers['Retry-After'] = String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
      return fail(errors.tooManyRequests(ex.limits.weightPerMinute, req.ip));
    }
    if (!route) return reply(404, { code: -5000, msg: `Path ${req.path}, Method ${req.method} is invalid` });

    const { latencyMs, fault } = ex.faults.takeRequest({ method: req.method, path: req.path, ip: req.ip, apiKey: req.apiKey, params });
    try {
      const account = await this.authenticate(route.security, req, params);
      if (fault?.kind === 'error') return reply(fault.status, { code: fault.code, msg: fault.msg }, latencyMs);
      if (route.orders && account) {
        const counted = ex.orderCounts.charge(account.apiKey, route.orders[0], route.orders[1]);
        headers['X-MBX-ORDER-COUNT-10S'] = String(counted.count10s);
        headers['X-MBX-ORDER-COUNT-1M'] = String(counted.count1m);
        if (counted.kind === 'limited') return fail(errors.tooManyOrders(counted.limit, counted.interval), latencyMs);
      }
      return this.execute(route, account, params, fault, latencyMs, reply);
    } catch (error) {
      if (error instanceof SimError) return fail(error, latencyMs);
      return fail(errors.unknown(), latencyMs);
    }
  }

  private execute(route: NonNullable<ReturnType<typeof findRoute>>, account: SimAccount | undefined, params: Record<string, string>,
    fault: RequestFault | undefined, latencyMs: number, reply: (status: number, body: unknown, latencyMs?: number) => GatewayResponse): GatewayResponse {
    const ex = this.exchange;
    const run = () => ex.runRoute(route, account, params);
    if (fault?.kind === 'server-error') {
      // Unknown outcome: the client cannot tell whether the request was applied.
      if (fault.applied) {
        try {
          run();
        } catch (error) {
          if (!(error instanceof SimError)) throw error;
        }
      }
      return reply(fault.status, { code: fault.code, msg: fault.msg }, latencyMs);
    }
    const body = run();
    if (fault?.kind === 'response-lost') return { ...reply(200, body, latencyMs), drop: true };
    return reply(200, body, latencyMs);
  }

  private async authenticate(security: string, req: GatewayRequest, params: Record<string, string>): Promise<SimAccount | undefined> {
    if (security === 'NONE') return undefined;
    if (!req.apiKey) throw errors.apiKeyFormat();
    const account = this.exchange.account(req.apiKey);
    if (!account) throw errors.invalidApiKey();
    if (security !== 'SIGNED') return account;
    const q = stripSignature(req.query);
    const b = stripSignature(req.body);
    const signature = q.signature ?? b.signature;
    if (!signature) throw errors.mandatory('signature');
    const timestamp = params.timestamp;
    if (!timestamp) throw errors.mandatory('timestamp');
    if (!/^\d{1,19}$/.test(timestamp)) throw errors.illegalChars('timestamp');
    const recvWindow = params.recvWindow === undefined ? 5000 : Number(params.recvWindow);
    if (!Number.isFinite(recvWindow) || recvWindow <= 0) throw errors.invalidParam('recvWindow');
    if (recvWindow > MAX_RECV_WINDOW) throw errors.recvWindow();
    const serverTime = this.exchange.now();
    const ts = Number(timestamp);
    if (ts >= serverTime + 1000) throw errors.timestampAhead();
    if (serverTime - ts > recvWindow) throw errors.timestampOutside();
    if (!(await this.verify(account.secret, q.rest + b.rest, signature))) throw errors.badSignature();
    return account;
  }
}

/** A runtime-neutral verifier on Web Crypto (the Node face injects a node:crypto one). */
export const webCryptoVerifier: SignatureVerifier = async (secret, payload, signature) => {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(payload)));
  const hex = Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
  return hex === signature.toLowerCase();
};
