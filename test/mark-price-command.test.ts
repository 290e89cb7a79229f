// `kraite stream:mark-price` end to end: the simulator's all-symbols stream into a real MariaDB
// through the CLI, stopped cleanly by a signal; and a clear error without DATABASE_URL.
import { Redis } from 'ioredis';
import type { Pool } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMySqlPool } from '../edge/adapters/mysql/mysql-pool.ts';
import { main } from '../edge/cli/main.ts';
import { startSimulator, type RunningSimulator } from '../edge/sim/index.ts';
import { insertFixtureSymbols } from '../edge/streams/mark-price/symbol-fixtures.ts';
import { RedisHeartbeats } from '../edge/heartbeat/redis-heartbeats.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';

let db: TestDatabase;
let pool: Pool;
let sim: RunningSimulator;
beforeAll(async () => {
  db = await freshDatabase();
  pool = createMySqlPool(db.url, { connectionLimit: 1 });
  sim = await startSimulator({ markPriceIntervalMs: 25 });
});
afterAll(async () => {
  await sim.close();
  await pool.end();
  await db.drop();
});

describe('kraite stream:mark-price', () => {
  it('keeps exchange_symbols.mark_price current from the stream and stops on a signal', async () => {
    const symbols = sim.engine.markPriceFrames().map((f) => String(f.s));
    await insertFixtureSymbols(pool, symbols);
    const out: string[] = [];
    const stop = new AbortController();
    const running = main(['stream:mark-price', '--url', sim.wsUrl], { out: (l) => out.push(l), err: (l) => out.push(l), env: { DATABASE_URL: db.url, LOG_LEVEL: 'warn' }, signal: stop.signal });
    await expect.poll(async () => {
      const [rows] = await pool.query('SELECT COUNT(*) AS n FROM exchange_symbols WHERE mark_price IS NOT NULL');
      return (rows as { n: number }[])[0]!.n;
    }, { timeout: 10_000 }).toBe(symbols.length);
    const [rows] = await pool.query('SELECT symbol, mark_price AS price FROM exchange_symbols ORDER BY symbol');
    const expected = new Map(sim.engine.markPriceFrames().map((f) => [String(f.s), Number(f.p)]));
    for (const r of rows as { symbol: string; price: string }[]) expect(Number(r.price)).toBeCloseTo(expected.get(r.symbol)!, 6);
    stop.abort();
    expect(await running).toBe(0);
    expect(out.join('\n')).toContain('mark-price daemon stopped (abort)');
  });

  it('publishes its own fleet heartbeat for the box that runs it when the fleet has Redis', async () => {
    const keys = testPrefix();
    const redis = new Redis(REDIS_URL);
    const stop = new AbortController();
    const env = { DATABASE_URL: db.url, REDIS_URL, KRAITE_QUEUE_PREFIX: keys.prefix, LOG_LEVEL: 'warn' };
    const running = main(['stream:mark-price', '--url', sim.wsUrl], { out: () => undefined, err: () => undefined, env, signal: stop.signal });
    try {
      const beats = new RedisHeartbeats(redis, keys.prefix);
      await expect.poll(async () => (await beats.list()).map((b) => ({ box: b.box, processes: b.processes, consumers: b.consumers })), { timeout: 10_000 })
        .toEqual([{ box: 'athena', processes: ['mark-price-stream'], consumers: [] }]);
      expect((await beats.list())[0]!.worker).toMatch(/^mark-price-stream@.+:\d+$/);
    } finally {
      stop.abort();
      expect(await running).toBe(0);
      await redis.quit();
      await keys.cleanup();
    }
  });

  it('needs DATABASE_URL', async () => {
    const err: string[] = [];
    expect(await main(['stream:mark-price'], { out: () => undefined, err: (l) => err.push(l), env: {} })).not.toBe(0);
    expect(err.join('\n')).toContain('set DATABASE_URL');
  });
});
