// The health check raises "user-data stream stale" for trading accounts whose stream stopped
// showing life, read from MariaDB (accounts.last_frame_at), so a user-data daemon that is down —
// not just one that notices its own silence — pages the operator.
import type { Pool } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/ports/clock.ts';
import { MemoryCooldown } from '../core/scheduler/cooldown.port.ts';
import { healthCheckHandler } from '../core/scheduler/handlers/health-check.handler.ts';
import type { HandlerContext, Job } from '../core/steps/context.ts';
import { importCredentialsKey } from '../core/trading/credentials.ts';
import { createMySqlPool } from '../edge/adapters/mysql/mysql-pool.ts';
import type { MySqlStepStore } from '../edge/adapters/mysql/mysql-step-store.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { seedAccounts } from '../edge/streams/user-data/sim-accounts.ts';
import { staleUserDataStreams } from '../edge/streams/user-data/stale-streams.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';

const NOW = Date.UTC(2026, 0, 4);
const MIN = 60_000;
let db: TestDatabase;
let store: MySqlStepStore;
let pool: Pool;
beforeAll(async () => {
  db = await freshDatabase();
  store = await openMySqlStepStore(db.url);
  pool = createMySqlPool(db.url, { connectionLimit: 1 });
});
afterAll(async () => {
  await pool.end();
  await store.close();
  await db.drop();
});

describe('user-data stream staleness in the health check', () => {
  it('pages for trading accounts silent past the threshold, never for live, new or switched-off ones', async () => {
    const key = await importCredentialsKey(btoa(String.fromCharCode(...new Uint8Array(32).fill(7))));
    const names = ['live', 'silent', 'never', 'new', 'off'];
    const accounts = await seedAccounts(store, key, names.map((n) => ({ apiKey: n, secret: `${n}-secret` })), NOW - 60 * MIN);
    const id = (name: string) => accounts[names.indexOf(name)]!.id;
    await pool.query('UPDATE accounts SET last_frame_at = ? WHERE id = ?', [NOW - 2 * MIN, id('live')]);
    await pool.query('UPDATE accounts SET last_frame_at = ? WHERE id = ?', [NOW - 25 * MIN, id('silent')]);
    // 'never' has had no frame since its row last changed an hour ago; 'new' was enabled a minute ago.
    await pool.query('UPDATE accounts SET updated_at = ? WHERE id = ?', [NOW - MIN, id('new')]);
    await pool.query('UPDATE accounts SET trading_enabled = 0, last_frame_at = ? WHERE id = ?', [NOW - 50 * MIN, id('off')]);

    const clock = new ManualClock(NOW);
    const check = healthCheckHandler({
      recover: async () => { throw new Error('unused'); }, archive: async () => 0, purge: async () => 0,
      cooldown: new MemoryCooldown(clock),
      staleUserDataStreams: (before) => staleUserDataStreams(pool, before), userDataStaleMs: 10 * MIN,
    });
    const outcome = await check.run({ args: {} } as Job<Record<string, never>>, { clock } as unknown as HandlerContext);
    expect(outcome.outcome).toEqual({ kind: 'complete', response: { maintenance: false, inMaintenanceMs: 0, staleMarkPrices: [], staleUserDataStreams: [id('silent'), id('never')] } });
    expect(outcome.effects).toEqual([{
      kind: 'notify', subject: 'user-data:stale', severity: 'critical',
      message: 'user-data stream stale on 2 trading accounts: silent (last frame 25 min ago), never (no frame yet) — fills reach the books only through the 5-minute poll; check `kraite streams:user-data` on the ingestion box',
    }]);

    // Once the stream shows life again, the check is quiet.
    await pool.query('UPDATE accounts SET last_frame_at = ? WHERE id IN (?, ?)', [NOW - MIN, id('silent'), id('never')]);
    const again = await check.run({ args: {} } as Job<Record<string, never>>, { clock } as unknown as HandlerContext);
    expect(again.effects).toEqual([]);
  });

  it('has nothing to check where no user-data daemon runs (the embedded paper exchange)', async () => {
    const clock = new ManualClock(NOW);
    const check = healthCheckHandler({
      recover: async () => { throw new Error('unused'); }, archive: async () => 0, purge: async () => 0,
      cooldown: new MemoryCooldown(clock),
    });
    const outcome = await check.run({ args: {} } as Job<Record<string, never>>, { clock } as unknown as HandlerContext);
    expect(outcome).toMatchObject({ outcome: { kind: 'complete', response: { maintenance: false, inMaintenanceMs: 0, staleMarkPrices: [] } }, effects: [] });
  });
});
