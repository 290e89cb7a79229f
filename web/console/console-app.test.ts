// The trader console over in-memory ports: every route's session and CSRF gate, scoping to the
// trader's own accounts, the curated settings with their limits, and the trading switch.
import { describe, expect, it } from 'vitest';
import { MemoryStepStore } from '../../core/adapters/memory/memory-step-store.ts';
import { ManualClock } from '../../core/ports/clock.ts';
import { insertAccount } from '../../core/trading/account.ts';
import { applyRowEffects } from '../../core/trading/apply-row-effects.ts';
import { sampleAccount } from '../../core/trading/fixtures.ts';
import { TABLES, TRADING_UNIQUE_KEYS } from '../../core/trading/tables.ts';
import { AdminClient } from '../../test/support/admin-client.ts';
import { seedAdminData } from '../../test/support/admin-seed.ts';
import { MemoryAdminSessionStore, MemoryAdminUserStore, MemoryAuditLog } from '../admin/memory-stores.ts';
import { scryptPasswordHasher } from '../admin/node/scrypt-passwords.ts';
import { createConsoleApp } from './console-app.ts';
import { MemoryConsoleDirectory } from './console-deps.ts';

const PASSWORD = 'trader password 1';

async function consoleHarness() {
  const store = new MemoryStepStore({ uniqueKeys: TRADING_UNIQUE_KEYS });
  const clock = new ManualClock();
  const seed = await seedAdminData(store, clock.now());
  await store.transaction((tx) => applyRowEffects(tx, [insertAccount(sampleAccount('someone-else'), clock.now())]));
  const [other] = await store.findRows(TABLES.accounts, { name: 'someone-else' });
  const users = new MemoryAdminUserStore();
  const passwords = scryptPasswordHasher({ N: 1024, r: 8, p: 1 });
  const trader = users.add('tess', await passwords.hash(PASSWORD));
  const directory = new MemoryConsoleDirectory();
  directory.grant(trader.id, seed.accountId);
  const audit = new MemoryAuditLog();
  const app = createConsoleApp({ users, sessions: new MemoryAdminSessionStore(), passwords, audit, clock, directory, store, clientAddress: () => '10.3.3.3' });
  const client = new AdminClient(app, 'https://console.test');
  return { app, store, seed, otherAccountId: Number(other!.id), audit, client };
}

async function signedIn() {
  const h = await consoleHarness();
  expect((await h.client.login('tess', PASSWORD)).status).toBe(303);
  return { ...h, token: await h.client.csrf() };
}

const VALID = {
  long_slots: '2', long_leverage: '10', long_margin: '50', long_profit_pct: '1.5', long_stop_pct: '10', long_gap_pct: '2', long_rung_multiplier: '2', long_rungs: '4',
  short_slots: '1', short_leverage: '5', short_margin: '25.5', short_profit_pct: '1', short_stop_pct: '8', short_gap_pct: '2.5', short_rung_multiplier: '1.5', short_rungs: '3',
};

describe('trader console', () => {
  it.each(['/', '/positions/1', '/accounts/1/settings'])('GET %s needs a session', async (path) => {
    const { app } = await consoleHarness();
    expect((await app.request(`https://console.test${path}`)).headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
  });

  it.each(['/accounts/1/settings', '/accounts/1/trading', '/logout'])('POST %s needs a session and the CSRF token', async (path) => {
    const { app } = await consoleHarness();
    expect((await app.request(`https://console.test${path}`, { method: 'POST' })).status).toBe(303);
    const { client, store, seed } = await signedIn();
    expect((await client.postForm(path, { ...VALID, enabled: '0' })).status).toBe(403);
    expect((await store.findRows(TABLES.accounts, { id: seed.accountId }))[0]!.trading_enabled).toBe(1);
  });

  it('signs in with its own form and shows only the trader\'s accounts and positions', async () => {
    const { client, seed, otherAccountId } = await signedIn();
    const login = await (await new AdminClient((await consoleHarness()).app, 'https://console.test').get('/login')).text();
    expect(login).toContain('<h1>Kraite console</h1>');
    const home = await (await client.get('/')).text();
    expect(home).toContain('<td>demo-main</td>');
    expect(home).not.toContain('someone-else');
    expect(home).toContain(`<a href="/positions/${seed.positionId}">`);
    expect((await client.get(`/positions/${seed.positionId}`)).status).toBe(200);
    expect((await client.get(`/accounts/${otherAccountId}/settings`)).status).toBe(404);
    expect((await client.get('/positions/abc')).status).toBe(400);
  });

  it('saves curated settings within limits, naming the field that is out of bounds', async () => {
    const { client, token, store, seed, audit } = await signedIn();
    const form = await (await client.get(`/accounts/${seed.accountId}/settings`)).text();
    expect(form).toContain('name="long_leverage"');
    const bad = await client.postForm(`/accounts/${seed.accountId}/settings`, { _csrf: token, ...VALID, long_leverage: '125', short_margin: 'lots' });
    expect(bad.status).toBe(400);
    const text = await bad.text();
    // The error stands beside its field, which keeps the value typed.
    expect(text).toContain('<span class="field-error" id="long_leverage-error" role="alert">must be at most 25</span>');
    expect(text).toContain('name="long_leverage" id="long_leverage" value="125"');
    expect(text).toContain('id="short_margin-error" role="alert">must be a decimal number like 12.5</span>');
    // Preview saves nothing and shows the ladder those values would trade.
    const preview = await client.postForm(`/accounts/${seed.accountId}/settings`, { _csrf: token, ...VALID, intent: 'preview' });
    expect(await preview.text()).toContain('id="preview"');
    expect((await store.findRows(TABLES.accounts, { id: seed.accountId }))[0]!.short_margin).not.toBe('25.5');
    const ok = await client.postForm(`/accounts/${seed.accountId}/settings`, { _csrf: token, ...VALID });
    expect(ok.status).toBe(303);
    const [row] = await store.findRows(TABLES.accounts, { id: seed.accountId });
    expect([row!.long_leverage, row!.short_margin, row!.short_rungs]).toEqual([10, '25.5', 3]);
    expect(audit.entries.at(-1)).toMatchObject({ who: 'console:tess', action: 'console-settings', subject: `account:${seed.accountId}` });
  });

  it('turns trading off and on only when confirmed, and never on someone else\'s account', async () => {
    const { client, token, store, seed, otherAccountId } = await signedIn();
    expect(await (await client.postForm(`/accounts/${seed.accountId}/trading`, { _csrf: token, enabled: '0' })).text()).toContain('confirm: tick the box to confirm');
    expect((await store.findRows(TABLES.accounts, { id: seed.accountId }))[0]!.trading_enabled).toBe(1);
    expect((await client.postForm(`/accounts/${seed.accountId}/trading`, { _csrf: token, enabled: '0', confirm: 'yes' })).status).toBe(303);
    expect((await store.findRows(TABLES.accounts, { id: seed.accountId }))[0]!.trading_enabled).toBe(0);
    expect(await (await client.postForm(`/accounts/${seed.accountId}/trading`, { _csrf: token, enabled: '1' })).text()).toContain('confirm: tick the box to confirm');
    expect((await client.postForm(`/accounts/${seed.accountId}/trading`, { _csrf: token, enabled: '1', confirm: 'yes' })).status).toBe(303);
    expect((await store.findRows(TABLES.accounts, { id: seed.accountId }))[0]!.trading_enabled).toBe(1);
    expect((await client.postForm(`/accounts/${otherAccountId}/trading`, { _csrf: token, enabled: '0', confirm: 'yes' })).status).toBe(404);
  });
});
