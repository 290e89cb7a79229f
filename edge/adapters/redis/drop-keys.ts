// Deletes every key under a prefix (benchmark and test clean-up), scanning instead of KEYS.
import { Redis } from 'ioredis';

/** Removes `prefix:*` from the Redis at `redisUrl`. */
export async function dropKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
