// A fake TAAPI for tests and the `taapi` benchmark: POST /bulk computes the requested
// calculations with the local indicator code over its candle source, and enforces the plan
// limit (75 per 15 s per secret, sliding) with real 429s, counting every request and refusal.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { choppiness, ema, pivotPoints } from '../../core/market/indicators/local-indicators.ts';
import type { TaapiCalc } from '../../core/market/indicators/taapi-wire.ts';
import type { Candle } from '../../core/market/klines-store.ts';
import { KLINE_INTERVALS, type KlineInterval } from '../../core/market/timeframes.ts';
import { systemClock, type Clock } from '../../core/ports/clock.ts';
import { seededCandles, type CandleSource } from './fake-taapi-candles.ts';

/** Options of the fake server. */
export interface FakeTaapiOptions {
  port?: number;
  /** Requests allowed per window per secret (TAAPI's plan: 75 per 15 s). */
  planLimit?: number;
  planWindowMs?: number;
  clock?: Clock;
  candles?: CandleSource;
  /** Added to every answer, to look like a network round trip (default 0). */
  latencyMs?: number;
}

/** What the server saw. */
export interface FakeTaapiStats {
  requests: number;
  rejected: number;
  /** Most accepted requests seen inside any one plan window. */
  peakInWindow: number;
  /** Accepted request times (ms). */
  accepted: number[];
}

/** A running fake TAAPI. */
export interface FakeTaapi {
  url: string;
  stats: FakeTaapiStats;
  close(): Promise<void>;
}

function calc(c: TaapiCalc, candles: readonly Candle[]): Record<string, unknown> | null {
  const upTo = candles.slice(0, candles.length - c.backtrack);
  const last = upTo.at(-1);
  if (!last) return null;
  switch (c.indicator) {
    case 'candle':
      return { timestamp: last.openTime / 1000, timestampHuman: new Date(last.openTime).toISOString(), open: last.open, high: last.high, low: last.low, close: last.close, volume: last.volume };
    case 'ema': {
      const v = ema(upTo.map((x) => x.close), c.period ?? 30).at(-1);
      return v === undefined ? null : { value: v };
    }
    case 'chop': {
      const v = choppiness(upTo, c.period ?? 14);
      return v === null ? null : { value: v };
    }
    case 'pivotpoints':
      return pivotPoints(last);
  }
}

/** Starts the fake server on 127.0.0.1. */
export async function startFakeTaapi(options: FakeTaapiOptions = {}): Promise<FakeTaapi> {
  const clock = options.clock ?? systemClock;
  const limit = options.planLimit ?? 75;
  const window = options.planWindowMs ?? 15_000;
  const source = options.candles ?? seededCandles();
  const stats: FakeTaapiStats = { requests: 0, rejected: 0, peakInWindow: 0, accepted: [] };
  const recent = new Map<string, number[]>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        const send = () => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(body));
        };
        if (options.latencyMs) setTimeout(send, options.latencyMs);
        else send();
      };
      if (req.method !== 'POST' || req.url !== '/bulk') return reply(404, { error: 'not found' });
      stats.requests += 1;
      let body: { secret?: string; construct?: { symbol?: string; interval?: string; indicators?: TaapiCalc[] } };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return reply(400, { error: 'body is not JSON' });
      }
      const secret = body.secret ?? '';
      if (!secret) return reply(401, { error: 'secret missing' });
      const now = clock.now();
      const times = (recent.get(secret) ?? []).filter((t) => t > now - window);
      if (times.length >= limit) {
        stats.rejected += 1;
        recent.set(secret, times);
        return reply(429, { error: 'You have exceeded your request limit' }, { 'retry-after': String(Math.ceil((times[0]! + window - now) / 1000)) });
      }
      times.push(now);
      recent.set(secret, times);
      stats.accepted.push(now);
      stats.peakInWindow = Math.max(stats.peakInWindow, times.length);
      const c = body.construct;
      const interval = c?.interval as KlineInterval;
      if (!c?.symbol || !KLINE_INTERVALS.includes(interval) || !Array.isArray(c.indicators)) return reply(400, { error: 'construct: symbol, interval and indicators required' });
      const candles = source(c.symbol.replace('/', ''), interval, now);
      const data = c.indicators.map((i) => {
        const result = calc(i, candles);
        return result === null ? { id: i.id, indicator: i.indicator, result: null, errors: ['not enough candles'] } : { id: i.id, indicator: i.indicator, result, errors: [] };
      });
      return reply(200, { data });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
