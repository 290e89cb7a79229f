// `kraite streams:user-data`: bad arguments and configuration are refused by name; against MariaDB
// and a loopback simulator it streams the accounts of its shard and enqueues their fills, and serves
// its own /metrics (frame lag, streams by state) and /health/ready.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStepStore } from '../core/adapters/memory/memory-step-store.ts';
import { USER_DATA_HANDLER } from '../core/streams/user-data-sink.ts';
import { TRADING_UNIQUE_KEYS } from '../core/trading/tables.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { main } from '../edge/cli/main.ts';
import { simClient } from '../edge/sim/sim-client.ts';
import { seedAccounts, simAccounts, type SimAccounts } from '../edge/streams/user-data/sim-accounts.ts';
import { parseExposition, sumOf } from './support/exposition.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';

async function run(argv: string[], env: Record<string, string | undefined>, signal?: AbortSignal) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env, signal });
  return { code, out, err };
}

describe('kraite streams:user-data', () => {
  let db: TestDatabase;
  let fleet: SimAccounts;

  beforeAll(async () => {
    db = await freshDatabase();
    fleet = await simAccounts(new MemoryStepStore({ uniqueKeys: TRADING_UNIQUE_KEYS }), 2, { prefix: 'udc' });
  });
  afterAll(async () => {
    await fleet.close();
    await db.drop();
  });

  it('refuses a bad --shard with exit 2, naming the flag', async () => {
    const r = await run(['streams:user-data', '--shard', '2/2'], {});
    expect(await r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/--shard 2\/2: i must be between 0 and n-1/);
    const typo = await run(['streams:user-data', '--shrad', '0/2'], {});
    expect(await typo.code).toBe(2);
  });

  it('needs DATABASE_URL and KRAITE_EXCHANGE_URL, and refuses an unknown allowlist entry by name', async () => {
    const noDb = await run(['streams:user-data'], {});
    expect(await noDb.code).toBe(1);
    expect(noDb.err.join('\n')).toMatch(/set DATABASE_URL/);
    const noExchange = await run(['streams:user-data'], { DATABASE_URL: db.url });
    expect(await noExchange.code).toBe(1);
    expect(noExchange.err.join('\n')).toMatch(/needs KRAITE_EXCHANGE_URL/);
    const badList = await run(['streams:user-data'], { DATABASE_URL: db.url, KRAITE_USER_DATA_ALLOWLIST: 'TRADE,FILL' });
    expect(await badList.code).toBe(1);
    expect(badList.err.join('\n')).toMatch(/KRAITE_USER_DATA_ALLOWLIST: unknown execution type\(s\) FILL/);
  });

  it('streams its shard\'s accounts and turns their fills into steps in MySQL, with its own metrics and readiness', async () => {
    const store = await openMySqlStepStore(db.url);
    const accounts = await seedAccounts(store, fleet.credentialsKey, fleet.accounts);
    const abort = new AbortController();
    const shard = accounts[0]!.id % 2;
    const r = await run(['streams:user-data', '--shard', `${shard}/2`], {
      DATABASE_URL: db.url, KRAITE_EXCHANGE_URL: fleet.sim.restUrl, KRAITE_CREDENTIALS_KEY: fleet.credentialsKeyBase64, LOG_LEVEL: 'info',
      KRAITE_METRICS_PORT: '0', KRAITE_METRICS_HOST: '127.0.0.1',
    }, abort.signal);
    try {
      for (let i = 0; i < 500 && !r.out.some((l) => l.includes('user-data streams up')); i++) await new Promise((res) => setTimeout(res, 10));
      expect(r.out.find((l) => l.includes('user-data streams up'))).toContain('1 of 1 account(s) connected');
      expect(r.out).toContain(`kraite streams:user-data: 1 account(s) of shard ${shard}/2 on ${fleet.sim.restUrl}`);
      const mine = accounts[0]!;
      const client = simClient({ restUrl: fleet.sim.restUrl, apiKey: mine.apiKey, secret: mine.secret });
      expect((await client.signed('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.010', newClientOrderId: 'udc-1' })).status).toBe(200);
      const steps = () => store.listSteps('trading', { handler: USER_DATA_HANDLER, limit: 10 });
      for (let i = 0; i < 500 && (await steps()).length === 0; i++) await new Promise((res) => setTimeout(res, 10));
      expect((await steps()).map((s) => (s.args as { accountId: number }).accountId)).toEqual([mine.id]);

      const base = /metrics: (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(r.out.join('\n'))![1]!;
      const metrics = parseExposition(await (await fetch(`${base}/metrics`)).text());
      expect(sumOf(metrics, 'kraite_user_data_streams', { state: 'open' })).toBe(1);
      expect(sumOf(metrics, 'kraite_user_data_frame_lag_seconds_count')).toBeGreaterThan(0);
      expect(metrics.some((m) => m.name === 'kraite_queue_waiting' && m.labels.queue === 'kraite.user-data-stream')).toBe(true);
      const ready = await fetch(`${base}/health/ready`);
      expect([ready.status, await ready.json()]).toMatchObject([200, { ok: true, checks: { database: { ok: true }, 'user-data-stream': { ok: true, detail: '1 of 1 open' } } }]);
    } finally {
      abort.abort();
      expect(await r.code).toBe(0);
      await store.close();
    }
  });
});
