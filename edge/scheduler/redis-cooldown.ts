// The deploy cooldown flag on Redis: one key holding {since, reason, by}. `SET NX` keeps the first
// cooldown's start when a second deploy begins while one is active.
import type { Redis } from 'ioredis';
import type { CooldownPort, CooldownState } from '../../core/scheduler/cooldown.port.ts';
import { systemClock, type Clock } from '../../core/ports/clock.ts';

/** The cooldown flag at `<prefix>:deploy:cooldown`. */
export class RedisCooldown implements CooldownPort {
  private readonly key: string;

  constructor(private readonly redis: Redis, prefix: string, private readonly clock: Clock = systemClock) {
    this.key = `${prefix}:deploy:cooldown`;
  }

  async current(): Promise<CooldownState | null> {
    const raw = await this.redis.get(this.key);
    if (raw === null) return null;
    try {
      const parsed = JSON.parse(raw) as CooldownState;
      return { since: Number(parsed.since), reason: String(parsed.reason), by: String(parsed.by) };
    } catch {
      // A hand-written or corrupt flag still means "in maintenance".
      return { since: 0, reason: 'unreadable cooldown flag', by: 'unknown' };
    }
  }

  async begin(reason: string, by: string): Promise<CooldownState> {
    const state: CooldownState = { since: this.clock.now(), reason, by };
    if ((await this.redis.set(this.key, JSON.stringify(state), 'NX')) === 'OK') return state;
    return (await this.current()) ?? state;
  }

  async end(): Promise<boolean> {
    return (await this.redis.del(this.key)) > 0;
  }
}
