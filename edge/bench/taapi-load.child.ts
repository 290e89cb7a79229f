// The indicator side of the `taapi` benchmark, in its own process: a fake TAAPI server and
// `workers` providers, each on its own Redis connection, sharing one fleet-wide limiter.
// Usage: node --import tsx taapi-load.child.ts <requests> <workers> <redisUrl>; prints "ready", then a TaapiRun.
import { Redis } from 'ioredis';
import { ThrottledError } from '../../core/errors.ts';
import { TaapiProvider } from '../../core/market/indicators/taapi-provider.ts';
import { TAAPI_RATE_LIMIT } from '../../core/market/rate-limiter.port.ts';
import { systemClock } from '../../core/ports/clock.ts';
import { RedisRateLimiter } from '../adapters/redis/rate-limiter.ts';
import { startFakeTaapi } from '../taapi/index.ts';
import type { TaapiRun } from './taapi.bench.ts';

const [requests, workers] = [Number(process.argv[2]), Number(process.argv[3])];
const redisUrl = process.argv[4] ?? 'redis://127.0.0.1:6379';

const server = await startFakeTaapi({ latencyMs: 20 });
const prefix = `kraite-bench-taapi-${crypto.randomUUID().slice(0, 8)}`;
const connections = Array.from({ length: workers }, () => new Redis(redisUrl));
await Promise.all(connections.map((c) => c.ping()));
process.stdout.write('ready\n');
const statuses: number[] = [];
let next = 0;
let throttleWaits = 0;
const t0 = performance.now();
await Promise.all(connections.map(async (redis) => {
  const provider = new TaapiProvider({
    baseUrl: server.url, secret: 'bench', fetch: (url, init) => fetch(url, init), onRequest: (s) => statuses.push(s),
    limiter: new RedisRateLimiter({ redis, clock: systemClock, rule: TAAPI_RATE_LIMIT, keyPrefix: prefix }),
  });
  while (next < requests) {
    // Distinct symbols: no cache hit, every readout is one HTTP request.
    const symbol = `S${next++}USDT`;
    for (;;) {
      try {
        await provider.readouts(symbol, '1h', Date.now());
        break;
      } catch (error) {
        // The engine turns this into a throttle reschedule; here the worker waits it out.
        if (!(error instanceof ThrottledError)) throw error;
        throttleWaits += 1;
        await new Promise((r) => setTimeout(r, error.retryAfterMs ?? 100));
      }
    }
  }
}));
const seconds = (performance.now() - t0) / 1000;
const times = server.stats.accepted;
let minGapMs = Infinity;
for (let i = 1; i < times.length; i++) minGapMs = Math.min(minGapMs, times[i]! - times[i - 1]!);
const run: TaapiRun = {
  requests: times.length, seconds, spanSeconds: (times.at(-1)! - times[0]!) / 1000, status429: statuses.filter((s) => s === 429).length,
  throttleWaits, peakInWindow: server.stats.peakInWindow, minGapMs,
};
await connections[0]!.del(`${prefix}:taapi`);
await Promise.all(connections.map((c) => c.quit()));
await server.close();
process.stdout.write(JSON.stringify(run));
