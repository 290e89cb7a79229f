// Redis for tests: the shared server on loopback, a random key prefix per test, cleaned afterwards.
import { dropKeys } from '../../edge/adapters/redis/drop-keys.ts';

/** The test Redis (CI and developer machines: 127.0.0.1:6379). */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A unique key prefix and a function deleting every key under it. */
export function testPrefix(redisUrl = REDIS_URL): { prefix: string; cleanup(): Promise<void> } {
  const prefix = `kraite-test-${crypto.randomUUID().slice(0, 8)}`;
  return {
    prefix,
    cleanup: () => dropKeys(redisUrl, prefix),
  };
}
