// The TAAPI provider over real HTTP against the fake TAAPI server: the readouts it maps agree with
// the local provider on the same candles, every request reserves a slot first (no slot: a throttle,
// no HTTP call), a provider 429 is a throttle, and a closed candle is fetched once.
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../core/adapters/memory/rate-limiter.ts';
import { ThrottledError } from '../core/errors.ts';
import type { FetchFn } from '../core/exchange/binance/request.ts';
import { readoutsFromCandles } from '../core/market/indicators/local-provider.ts';
import { TaapiProvider } from '../core/market/indicators/taapi-provider.ts';
import { TAAPI_RATE_LIMIT } from '../core/market/rate-limiter.port.ts';
import { evaluateTimeframe } from '../core/market/readouts.ts';
import { ManualClock } from '../core/ports/clock.ts';
import { indicatorProvider, seededCandles, startFakeTaapi, type FakeTaapi } from '../edge/taapi/index.ts';
import { MemoryStepStore } from '../core/adapters/memory/memory-step-store.ts';

const fetchFn: FetchFn = (url, init) => fetch(url, init);
let server: FakeTaapi | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const at = Date.UTC(2026, 2, 3, 10, 30);

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('TAAPI provider', () => {
  it('maps the bulk answer to the same readouts the local provider computes from the same candles', async () => {
    const clock = new ManualClock(at);
    server = await startFakeTaapi({ clock });
    const provider = new TaapiProvider({ baseUrl: server.url, secret: 's1', fetch: fetchFn, limiter: new MemoryRateLimiter(clock, TAAPI_RATE_LIMIT) });
    for (const tf of ['1h', '4h', '1d'] as const) {
      const remote = await provider.readouts('ETHUSDT', tf, clock.now());
      const closed = seededCandles()('ETHUSDT', tf, clock.now()).slice(0, -1);
      const local = readoutsFromCandles(closed);
      expect(remote.candle).toEqual(local.candle);
      expect(remote.previousClose).toBeCloseTo(local.previousClose!, 9);
      for (const k of ['emaFast', 'emaMid', 'emaSlow'] as const) {
        expect(remote[k]![0]).toBeCloseTo(local[k]![0], 9);
        expect(remote[k]![1]).toBeCloseTo(local[k]![1], 9);
      }
      expect(remote.chop).toBeCloseTo(local.chop!, 9);
      expect(remote.pivot!.p).toBeCloseTo(local.pivot!.p, 9);
      expect(evaluateTimeframe(tf, remote, clock.now())).toMatchObject({ stale: false, conclusion: evaluateTimeframe(tf, local, clock.now()).conclusion });
      clock.advance(300); // the limiter's spacing
    }
    expect(server.stats.requests).toBe(3);
  });

  it('reserves a slot before each request: no slot is a throttle and no HTTP call', async () => {
    const clock = new ManualClock(at);
    server = await startFakeTaapi({ clock });
    const provider = new TaapiProvider({ baseUrl: server.url, secret: 's1', fetch: fetchFn, limiter: new MemoryRateLimiter(clock, TAAPI_RATE_LIMIT) });
    await provider.readouts('BTCUSDT', '1h', clock.now());
    const error = await caught(provider.readouts('ETHUSDT', '1h', clock.now()));
    expect(error).toBeInstanceOf(ThrottledError);
    expect(error).toMatchObject({ code: 'TAAPI_BUDGET', disposition: 'throttle', retryAfterMs: 221 });
    expect(server.stats.requests).toBe(1);
    // The same closed candle again: answered from the cache, no slot needed.
    await provider.readouts('BTCUSDT', '1h', clock.now());
    expect(server.stats.requests).toBe(1);
  });

  it('turns a provider 429 into a throttle for the retry-after it names', async () => {
    const clock = new ManualClock(at);
    server = await startFakeTaapi({ clock, planLimit: 2 });
    const statuses: number[] = [];
    const unlimited = { reserve: async () => ({ granted: true as const }) };
    const provider = new TaapiProvider({ baseUrl: server.url, secret: 's1', fetch: fetchFn, limiter: unlimited, onRequest: (s) => statuses.push(s) });
    await provider.readouts('BTCUSDT', '1h', clock.now());
    await provider.readouts('ETHUSDT', '1h', clock.now());
    const error = await caught(provider.readouts('SOLUSDT', '1h', clock.now()));
    expect(error).toMatchObject({ code: 'TAAPI_429', retryAfterMs: 15_000 });
    expect(statuses).toEqual([200, 200, 429]);
    expect(server.stats).toMatchObject({ requests: 3, rejected: 1, peakInWindow: 2 });
  });

  it('marks a candle the provider has not closed yet as stale', async () => {
    const clock = new ManualClock(at);
    // A source whose newest candle lags two hours behind.
    const lagging = (symbol: string, interval: '1h' | '4h' | '1d' | '15m', now: number) => seededCandles()(symbol, interval, now - 2 * 3_600_000);
    server = await startFakeTaapi({ clock, candles: lagging });
    const provider = new TaapiProvider({ baseUrl: server.url, secret: 's1', fetch: fetchFn, limiter: new MemoryRateLimiter(clock, TAAPI_RATE_LIMIT) });
    const r = await provider.readouts('BTCUSDT', '1h', clock.now());
    expect(evaluateTimeframe('1h', r, clock.now())).toMatchObject({ stale: true, reason: 'provider candle old' });
  });
});

describe('choosing the provider', () => {
  it('is TAAPI with a secret and the local provider without', () => {
    const base = { redis: null, rows: new MemoryStepStore(), clock: new ManualClock(at) };
    const config = { TAAPI_URL: 'https://api.taapi.io', KRAITE_QUEUE_PREFIX: 'kraite' };
    expect(indicatorProvider({ ...base, config }).name).toBe('local');
    expect(indicatorProvider({ ...base, config: { ...config, TAAPI_SECRET: 'x' } }).name).toBe('taapi');
  });
});
