// Fleet heartbeats on Redis: one hash `<prefix>:fleet:heartbeats`, a field per box and process
// holding the beat as JSON; readers take the newest per box.
import type { Redis } from 'ioredis';
import type { Heartbeat, HeartbeatPort } from '../../core/fleet/heartbeat.port.ts';

/** Heartbeats shared through Redis. */
export class RedisHeartbeats implements HeartbeatPort {
  private readonly key: string;

  constructor(private readonly redis: Redis, prefix: string) {
    this.key = `${prefix}:fleet:heartbeats`;
  }

  async publish(beat: Heartbeat): Promise<void> {
    await this.redis.hset(this.key, `${beat.box}|${beat.worker}`, JSON.stringify(beat));
  }

  async list(): Promise<Heartbeat[]> {
    const all = await this.redis.hgetall(this.key);
    const beats: Heartbeat[] = [];
    for (const raw of Object.values(all)) {
      try {
        beats.push(JSON.parse(raw) as Heartbeat);
      } catch {
        // skip a corrupt field; the box shows as stale if it has no other beat
      }
    }
    return beats.sort((a, b) => b.at - a.at);
  }

  async prune(before: number): Promise<number> {
    const all = await this.redis.hgetall(this.key);
    const old = Object.entries(all).filter(([, raw]) => {
      try {
        return (JSON.parse(raw) as Heartbeat).at < before;
      } catch {
        return true;
      }
    }).map(([field]) => field);
    return old.length ? this.redis.hdel(this.key, ...old) : 0;
  }
}
