// Chooses the indicator provider a process runs with: TAAPI when TAAPI_SECRET is set (its budget in
// Redis when the fleet has one, else in process), the local provider over stored klines otherwise.
import type { Redis } from 'ioredis';
import { MemoryRateLimiter } from '../../core/adapters/memory/rate-limiter.ts';
import type { IndicatorProvider } from '../../core/market/indicators/indicator-provider.port.ts';
import { localIndicatorProvider } from '../../core/market/indicators/local-provider.ts';
import { TaapiProvider } from '../../core/market/indicators/taapi-provider.ts';
import { TAAPI_RATE_LIMIT } from '../../core/market/rate-limiter.port.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { RowReader } from '../../core/steps/step-store.port.ts';
import { RedisRateLimiter } from '../adapters/redis/rate-limiter.ts';

/** What the choice needs. */
export interface IndicatorProviderOptions {
  config: { TAAPI_SECRET?: string; TAAPI_URL: string; KRAITE_QUEUE_PREFIX: string };
  /** The fleet's Redis, when there is one: the TAAPI budget must be fleet-wide. */
  redis: Redis | null;
  rows: RowReader;
  clock: Clock;
}

/** TAAPI (fleet-wide limiter) with a secret; local indicators without. */
export function indicatorProvider(o: IndicatorProviderOptions): IndicatorProvider {
  if (!o.config.TAAPI_SECRET) return localIndicatorProvider(o.rows);
  const limiter = o.redis
    ? new RedisRateLimiter({ redis: o.redis, clock: o.clock, rule: TAAPI_RATE_LIMIT, keyPrefix: `${o.config.KRAITE_QUEUE_PREFIX}:rate` })
    : new MemoryRateLimiter(o.clock, TAAPI_RATE_LIMIT);
  return new TaapiProvider({ baseUrl: o.config.TAAPI_URL.replace(/\/$/, ''), secret: o.config.TAAPI_SECRET, fetch: (url, init) => fetch(url, init), limiter });
}
