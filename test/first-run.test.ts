// A fresh install trades at once: on a fresh MariaDB database, against a `kraite sim`, an operator
// adds an account (its key checked by a signed read), refreshes the exchange symbols, approves two,
// and starts `kraite run --all`. The first run fetches the klines token selection needs and runs an
// open tick, so a position opens in seconds — not after the hourly :01 / :05 slots. Once with the
// in-process queue, once with BullMQ on Redis.
//
// The two symbols are chosen so the outcome does not hang on the seeded walk: every simulated
// symbol shares a component with BTC (positive correlation), so token selection's BTC bias admits
// only the symbol whose direction agrees with BTC's concluded direction — ETHUSDT when BTC points
// LONG, LINKUSDT when it points SHORT, both when it has none. Both fit the default settings
// (margin 10 × leverage 5 = 50 USDT: 0.014 ETH, 2.27 LINK); SOLUSDT (step 1 at ~180) would not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPositions } from '../core/trading/reads.ts';
import type { MySqlStepStore } from '../edge/adapters/mysql/mysql-step-store.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { main } from '../edge/cli/main.ts';
import { startSimulator, type RunningSimulator } from '../edge/sim/index.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';

const ACCOUNT = { KRAITE_API_KEY: 'first-run-key-0123456789', KRAITE_API_SECRET: 'first-run-secret' };
describe.each([['the in-process queue', false], ['BullMQ', true]] as const)('first run with %s', (_queue, withRedis) => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let store: MySqlStepStore;
  let env: Record<string, string>;
  const keys = testPrefix();

  const run = async (argv: string[], extra: Record<string, string> = {}, signal?: AbortSignal) => {
    const out: string[] = [];
    const code = main(argv, { out: (l) => out.push(l), err: (l) => out.push(l), env: { ...env, ...extra }, signal });
    return { code, out };
  };

  beforeAll(async () => {
    [db, sim] = await Promise.all([freshDatabase(), startSimulator({
      port: 0, seed: 5, tickMs: 1000, history: { days: 8 },
      accounts: [{ apiKey: ACCOUNT.KRAITE_API_KEY, secret: ACCOUNT.KRAITE_API_SECRET, balance: '10000' }],
    })]);
    store = await openMySqlStepStore(db.url);
    env = {
      DATABASE_URL: db.url, REDIS_URL: withRedis ? REDIS_URL : '', KRAITE_QUEUE_PREFIX: keys.prefix, KRAITE_EXCHANGE_URL: sim.restUrl, KRAITE_CREDENTIALS_KEY: btoa(String.fromCharCode(...new Uint8Array(32).fill(3))),
      KRAITE_PORT: '0', LOG_LEVEL: 'warn', KRAITE_SHUTDOWN_DEADLINE_MS: '5000',
      // No start-up catch-up: started between :30 and :45 it fired `conclude-directions`, which
      // re-concluded the approved symbols' directions from the seeded history (ETHUSDT LONG → none)
      // before the first run's open tick, so whether anything was eligible hung on the wall clock.
      KRAITE_SCHEDULE_CATCHUP_MS: '0',
    };
  });
  afterAll(async () => {
    await store.close();
    await sim.close();
    await db.drop();
    await keys.cleanup();
  });

  it('an added account with two symbols set opens a position right after `kraite run --all` starts', async () => {
    const added = await run(['accounts:add', '--name', 'main', '--enable-trading'], ACCOUNT);
    expect([await added.code, added.out.join('\n')]).toEqual([0, expect.stringContaining('key verified')]);
    // Before any refresh, symbols:set refuses and says how to get them.
    const unknown = await run(['symbols:set', 'ETHUSDT', '--enable']);
    expect([await unknown.code, unknown.out.join('\n')]).toEqual([1, expect.stringContaining('kraite symbols:refresh')]);
    const refreshed = await run(['symbols:refresh']);
    expect([await refreshed.code, refreshed.out.join('\n')]).toEqual([0, expect.stringMatching(/^symbols:refresh: \d+ symbols from http:\/\/127\.0\.0\.1:\d+ \(step \d+, 1 completed/)]);
    for (const [symbol, direction] of [['ETHUSDT', 'LONG'], ['LINKUSDT', 'SHORT']]) {
      const set = await run(['symbols:set', symbol!, '--direction', direction!, '--enable']);
      expect([await set.code, set.out.join('\n')]).toEqual([0, expect.stringContaining(`${symbol}: no fresh 1h klines yet: kraite klines:fetch --symbol ${symbol}`)]);
    }
    const fetched = await run(['klines:fetch', '--symbol', 'BTCUSDT', '--interval', '4h']);
    expect([await fetched.code, fetched.out.join('\n')]).toEqual([0, expect.stringMatching(/^klines:fetch: 199 new candles \(4h of BTCUSDT\) from http/)]);
    const badInterval = await run(['klines:fetch', '--interval', '2h']);
    expect([await badInterval.code, badInterval.out.join('\n')]).toEqual([2, expect.stringContaining('--interval must be one of 15m, 1h, 4h, 1d')]);

    const stop = new AbortController();
    const started = performance.now();
    const fleet = await run(['run', '--all'], {}, stop.signal);
    try {
      await expect.poll(() => fleet.out.join('\n'), { timeout: 30_000 }).toMatch(/first run: step \d+ fetches missing exchange symbols and klines, then runs an open tick/);
      expect(fleet.out.join('\n')).toContain(`mark prices: ${sim.wsUrl}/ws/!markPrice@arr@1s`);
      // Well inside five minutes, and without waiting for a schedule slot: the open tick is the first run's.
      await expect.poll(async () => (await listPositions(store, { status: 'open' })).filter((p) => p.status === 'active').length, { timeout: 120_000, interval: 500 })
        .toBeGreaterThan(0);
      const [position] = (await listPositions(store, { status: 'open' })).filter((p) => p.status === 'active');
      expect(['ETHUSDT', 'LINKUSDT']).toContain(position!.symbol);
      expect(performance.now() - started).toBeLessThan(5 * 60_000);
    } finally {
      stop.abort();
      expect(await fleet.code).toBe(0);
    }
  }, 240_000);
});
