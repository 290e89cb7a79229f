// The fire log on Redis: `<prefix>:sched:last` holds each entry's latest record as JSON,
// `<prefix>:sched:counts` a counter per entry and outcome (`entry|outcome`). Both small and
// bounded by the table's size.
import type { Redis } from 'ioredis';
import type { FireLogPort, FireLogView, FireOutcome, FireRecord } from '../../core/scheduler/fire-log.port.ts';

/** Fire records shared through Redis. */
export class RedisFireLog implements FireLogPort {
  private readonly lastKey: string;
  private readonly countsKey: string;

  constructor(private readonly redis: Redis, prefix: string) {
    this.lastKey = `${prefix}:sched:last`;
    this.countsKey = `${prefix}:sched:counts`;
  }

  async record(record: FireRecord): Promise<void> {
    await this.redis.multi().hset(this.lastKey, record.entry, JSON.stringify(record)).hincrby(this.countsKey, `${record.entry}|${record.outcome}`, 1).exec();
  }

  async read(): Promise<FireLogView> {
    const [[, last], [, counts]] = (await this.redis.multi().hgetall(this.lastKey).hgetall(this.countsKey).exec()) as [[unknown, Record<string, string>], [unknown, Record<string, string>]];
    const view: FireLogView = { last: new Map(), counts: new Map() };
    for (const [entry, raw] of Object.entries(last)) {
      try {
        view.last.set(entry, JSON.parse(raw) as FireRecord);
      } catch {
        // a corrupt field reads as "no record yet"; the next fire overwrites it
      }
    }
    for (const [field, n] of Object.entries(counts)) {
      const cut = field.lastIndexOf('|');
      const entry = field.slice(0, cut);
      const c = view.counts.get(entry) ?? {};
      c[field.slice(cut + 1) as FireOutcome] = Number(n);
      view.counts.set(entry, c);
    }
    return view;
  }
}
