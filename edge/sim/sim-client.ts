// A minimal signed REST client and WebSocket frame collector for the simulator: used by its
// integration tests and handy for poking a running `kraite sim` from a script. Not the product's
// Binance client (that lives in core/exchange/binance).
import { createHmac } from 'node:crypto';
import { fetch, type Dispatcher } from 'undici';
import WebSocket from 'ws';

/** How the client signs and where it sends. */
export interface SimClientOptions {
  restUrl: string;
  apiKey?: string;
  secret?: string;
  /** Client clock for `timestamp` (default Date.now). */
  now?: () => number;
  /** undici dispatcher, e.g. an Agent bound to a local address. */
  dispatcher?: Dispatcher;
}

/** A decoded response. */
export interface SimResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A client for one account (or none, for public endpoints). */
export function simClient(options: SimClientOptions) {
  const now = options.now ?? Date.now;
  async function send(method: string, path: string, query: string, body: string): Promise<SimResponse> {
    const headers: Record<string, string> = {};
    if (options.apiKey) headers['X-MBX-APIKEY'] = options.apiKey;
    if (body) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(`${options.restUrl}${path}${query ? `?${query}` : ''}`, {
      method, headers, body: body || undefined, dispatcher: options.dispatcher,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers as unknown as Headers, body: text ? JSON.parse(text) : undefined };
  }
  const encode = (params: Record<string, string | number | boolean>) => new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  return {
    /** An unsigned request (public or API-key-only endpoints); params go in the query string. */
    request(method: string, path: string, params: Record<string, string | number | boolean> = {}): Promise<SimResponse> {
      return send(method, path, encode(params), '');
    },
    /** A signed request: timestamp added, signature last; GET/DELETE in the query, POST/PUT in the body. */
    signed(method: string, path: string, params: Record<string, string | number | boolean> = {}, timestamp = now()): Promise<SimResponse> {
      const payload = encode({ ...params, timestamp });
      const signature = createHmac('sha256', options.secret ?? '').update(payload).digest('hex');
      const signedText = `${payload}&signature=${signature}`;
      return method === 'GET' || method === 'DELETE' ? send(method, path, signedText, '') : send(method, path, '', signedText);
    },
  };
}

/** Collects the JSON frames of one WebSocket connection and lets tests await a matching one. */
export class FrameCollector {
  readonly frames: any[] = [];
  readonly ws: WebSocket;
  /** Resolves when the socket is open. */
  readonly opened: Promise<void>;
  /** Resolves with the close code when the socket closes. */
  readonly closed: Promise<number>;
  private waiters: Array<{ match: (f: any) => boolean; resolve: (f: any) => void }> = [];

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
    this.ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => (w.match(frame) ? (w.resolve(frame), false) : true));
    });
  }

  /** The first frame (already received or future) that matches, or a rejection after `timeoutMs`. */
  async waitFor(match: (frame: any) => boolean, timeoutMs = 5000): Promise<any> {
    return (await this.waitForCount(match, 1, timeoutMs))[0];
  }

  /** Resolves once `count` matching frames have arrived (with all matches so far); rejects after `timeoutMs`. */
  waitForCount(match: (frame: any) => boolean, count: number, timeoutMs = 5000): Promise<any[]> {
    const matches = () => this.frames.filter(match);
    if (matches().length >= count) return Promise.resolve(matches());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${count} matching frame(s) within ${timeoutMs} ms; got ${JSON.stringify(this.frames).slice(0, 500)}`)), timeoutMs);
      this.waiters.push({ match: () => matches().length >= count, resolve: () => (clearTimeout(timer), resolve(matches())) });
    });
  }

  /** Closes the socket. */
  close(): void {
    this.ws.close();
  }
}
