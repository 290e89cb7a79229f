// The overlap lease on Redis: `SET key owner NX PX ttl` takes it, a compare-and-delete script gives
// it back only to its owner. Expiry is Redis's own, so a crashed scheduler never holds an entry
// longer than the entry's cadence.
import type { Redis } from 'ioredis';
import type { LeasePort } from '../../core/scheduler/lease.port.ts';

const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Leases on a shared Redis. */
export class RedisLease implements LeasePort {
  constructor(private readonly redis: Redis) {}

  async acquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(key, owner, 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK';
  }

  async release(key: string, owner: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, key, owner);
  }
}
