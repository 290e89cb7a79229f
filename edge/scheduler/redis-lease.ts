// The schedule lease on Redis: one script takes a free key (`SET NX PX`) or renews it for the owner
// that already holds it; a compare-and-delete script gives it back only to its owner. Expiry is
// Redis's own, so a crashed scheduler's lease lapses by itself, and a restarted one with the same
// owner takes it back at once.
import type { Redis } from 'ioredis';
import type { LeaseHolder, LeasePort } from '../../core/scheduler/lease.port.ts';

const ACQUIRE = `local cur = redis.call('get', KEYS[1])
if cur == false then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if cur == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return 1 end
return 0`;
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Leases on a shared Redis. */
export class RedisLease implements LeasePort {
  constructor(private readonly redis: Redis) {}

  async acquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(ACQUIRE, 1, key, owner, Math.max(1, Math.round(ttlMs)))) === 1;
  }

  async release(key: string, owner: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, key, owner);
  }

  async holder(key: string): Promise<LeaseHolder | null> {
    const [[, owner], [, ttl]] = (await this.redis.multi().get(key).pttl(key).exec()) as [[unknown, string | null], [unknown, number]];
    return owner !== null && ttl > 0 ? { owner, remainingMs: ttl } : null;
  }
}
