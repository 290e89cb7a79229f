// The TAAPI indicator provider over HTTP (fetch, so it runs on any runtime). Every HTTP request
// first reserves a slot of the fleet-wide budget (68 per 15 s, 221 ms apart, kept in Redis); no
// slot means ThrottledError: the step is rescheduled as a throttle, never a spent retry, and no
// worker blocks waiting. A provider 429 is a throttle too. Readouts of a closed candle never
// change, so each (symbol, timeframe, candle) is fetched once per process.
import type { FetchFn } from '../../exchange/binance/request.ts';
import { ThrottledError } from '../../errors.ts';
import type { RateLimiter } from '../rate-limiter.port.ts';
import type { RawReadouts } from '../readouts.ts';
import { lastClosedOpenTime, type Timeframe } from '../timeframes.ts';
import type { IndicatorProvider } from './indicator-provider.port.ts';
import { bulkBody, bulkResponse, readoutsFromBulk, taapiSymbol } from './taapi-wire.ts';

/** Construction options. */
export interface TaapiProviderOptions {
  /** e.g. https://api.taapi.io (no trailing slash). */
  baseUrl: string;
  secret: string;
  fetch: FetchFn;
  limiter: RateLimiter;
  /** Budget name in the limiter (default "taapi"): one per TAAPI key. */
  budget?: string;
  /** Exchange name TAAPI reads candles from (default binance). */
  exchange?: string;
  /** Readouts kept per process (default 2,000). */
  cacheSize?: number;
  /** Counts every HTTP call and every 429, for the benchmark and the status page. */
  onRequest?: (status: number) => void;
}

/** The TAAPI provider. */
export class TaapiProvider implements IndicatorProvider {
  readonly name = 'taapi';
  private readonly cache = new Map<string, RawReadouts>();

  constructor(private readonly o: TaapiProviderOptions) {}

  async readouts(symbol: string, tf: Timeframe, now: number): Promise<RawReadouts> {
    const key = `${symbol}|${tf}|${lastClosedOpenTime(tf, now)}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    // Booked under the request's own key: a throttled step comes back once, at its slot.
    const slot = await this.o.limiter.reserve(this.o.budget ?? 'taapi', key);
    if (!slot.granted) throw new ThrottledError(slot.waitMs, `TAAPI budget: next slot in ${slot.waitMs} ms`, 'TAAPI_BUDGET');
    const res = await this.o.fetch(`${this.o.baseUrl}/bulk`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: bulkBody(this.o.secret, this.o.exchange ?? 'binance', taapiSymbol(symbol), tf),
    });
    this.o.onRequest?.(res.status);
    const text = await res.text();
    if (res.status === 429) {
      const after = Number(res.headers.get('retry-after'));
      throw new ThrottledError(Number.isFinite(after) && after > 0 ? after * 1000 : 15_000, 'TAAPI answered 429', 'TAAPI_429');
    }
    if (res.status >= 400) throw new Error(`TAAPI ${res.status}: ${text.slice(0, 200)}`);
    const parsed = bulkResponse.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`TAAPI bulk response: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    const readouts = readoutsFromBulk(parsed.data);
    // Only a candle that is the last closed one is worth keeping.
    if (readouts.candle.openTime === lastClosedOpenTime(tf, now)) this.remember(key, readouts);
    return readouts;
  }

  private remember(key: string, r: RawReadouts): void {
    this.cache.set(key, r);
    const max = this.o.cacheSize ?? 2_000;
    while (this.cache.size > max) this.cache.delete(this.cache.keys().next().value!);
  }
}
