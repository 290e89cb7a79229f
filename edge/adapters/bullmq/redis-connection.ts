// Redis connection options from a REDIS_URL, shaped for BullMQ workers (maxRetriesPerRequest: null)
// and with a retry strategy so every connection comes back by itself after Redis restarts.
import type { RedisOptions } from 'bullmq';
import { ValidationError } from '../../../core/errors.ts';

/** ioredis options for a REDIS_URL (redis:// or rediss://, optional password and db). */
export function redisOptions(redisUrl: string): RedisOptions {
  let url: URL;
  try {
    url = new URL(redisUrl);
  } catch {
    throw new ValidationError('REDIS_URL is not a URL', 'INVALID_CONFIG');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new ValidationError('REDIS_URL must start with redis:// or rediss://', 'INVALID_CONFIG');
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    // BullMQ's blocking commands must wait out a restart instead of failing the worker.
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
    reconnectOnError: (error: Error) => error.message.includes('READONLY'),
  };
}
