// The drift view: the drift check's findings (notify events `drift <account> <symbol> <kind>`) per
// account, newest first, on /accounts/:id/drift and summarised on /accounts; the newest events are
// found through the forward-only event port without reading the whole table.
import { describe, expect, it } from 'vitest';
import { MemoryStepStore } from '../../core/adapters/memory/memory-step-store.ts';
import type { StepEvent } from '../../core/steps/step-store.port.ts';
import { applyRowEffects } from '../../core/trading/apply-row-effects.ts';
import { insertAccount } from '../../core/trading/account.ts';
import { sampleAccount } from '../../core/trading/fixtures.ts';
import { AdminClient } from '../../test/support/admin-client.ts';
import { adminHarness, OPERATOR } from '../../test/support/admin-harness.ts';
import { seedDrift } from '../../test/support/admin-market-seed.ts';
import { seedAdminData } from '../../test/support/admin-seed.ts';
import { lastEventId, newestEvents, parseDriftSubject, recentDrift } from './drift-findings.ts';

const event = (subject: string, at: number, message = 'detail'): StepEvent => ({ kind: 'notify', severity: 'warning', subject, message, stepId: null, set: 'trading', createdAt: at });

describe('finding the newest events', () => {
  it.each([0, 1, 2, 3, 7, 64, 65, 1_000])('locates the last id among %i events and reads the window before it', async (n) => {
    const store = new MemoryStepStore();
    if (n) await store.transaction((tx) => tx.insertEvents(Array.from({ length: n }, (_, i) => event(`e${i + 1}`, i))));
    let reads = 0;
    const counted = { listEvents: (o?: { afterId?: number; limit?: number }) => (reads++, store.listEvents(o)) };
    expect(await lastEventId(counted)).toBe(n);
    expect(reads).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n + 2)) + 2);
    expect((await newestEvents(store, 5)).map((e) => e.subject)).toEqual(Array.from({ length: Math.min(5, n) }, (_, i) => `e${n - Math.min(5, n) + i + 1}`));
  });

  it('the dashboard\'s recent events are the newest, past the first thousand', async () => {
    const h = await adminHarness();
    await h.fleet.store.transaction((tx) => tx.insertEvents(Array.from({ length: 1_020 }, (_, i) => event(`e${i + 1}`, i, `event ${i + 1}`))));
    const client = new AdminClient(h.app);
    await client.login(OPERATOR.username, OPERATOR.password);
    const data = await (await client.get('/api/dashboard')).json() as { events: { message: string }[] };
    expect(data.events.map((e) => e.message).slice(0, 3)).toEqual(['event 1020', 'event 1019', 'event 1018']);
    expect(data.events).toHaveLength(15);
  });

  it('parses drift subjects (account names may hold spaces) and ignores other events', async () => {
    expect(parseDriftSubject('drift demo main BTCUSDT missing-protection')).toEqual({ account: 'demo main', symbol: 'BTCUSDT', kind: 'missing-protection' });
    expect(parseDriftSubject('drift BTCUSDT missing-protection')).toBeNull();
    expect(parseDriftSubject('stale box eos')).toBeNull();
    const store = new MemoryStepStore();
    await store.transaction((tx) => tx.insertEvents([
      event('drift a BTCUSDT quantity-mismatch', 1), { ...event('drift a ETHUSDT exchange-only-order', 2), kind: 'step_failed' }, event('box eos stale', 3), event('drift a SOLUSDT exchange-only-position', 4),
    ]));
    expect((await recentDrift(store)).map((f) => [f.symbol, f.kind])).toEqual([['SOLUSDT', 'exchange-only-position'], ['BTCUSDT', 'quantity-mismatch']]);
  });
});

async function signedIn() {
  const h = await adminHarness();
  const seed = await seedAdminData(h.fleet.store, h.clock.now());
  const now = h.clock.now();
  await h.fleet.store.transaction((tx) => applyRowEffects(tx, [insertAccount(sampleAccount('demo-other'), now)]));
  await seedDrift(h.fleet.store, [
    { account: 'demo-main', symbol: 'BTCUSDT', kind: 'missing-protection', detail: 'no working stop on the exchange', at: now - 600_000, stepId: seed.steps.root.id },
    { account: 'demo-main', symbol: 'ETHUSDT', kind: 'exchange-only-order', detail: 'order <x-1> is not in our books', at: now - 300_000 },
    { account: 'demo-mainx', symbol: 'XRPUSDT', kind: 'quantity-mismatch', detail: 'another account with a longer name', at: now - 100_000 },
  ]);
  const client = new AdminClient(h.app);
  await client.login(OPERATOR.username, OPERATOR.password);
  return { ...h, seed, client };
}

describe('drift view', () => {
  it('needs a session', async () => {
    const { app } = await adminHarness();
    const res = await app.request('https://admin.test/accounts/1/drift');
    expect([res.status, res.headers.get('location')]).toEqual([302, '/login?next=%2Faccounts%2F1%2Fdrift']);
  });

  it('lists one account\'s findings newest first, escaped, with the step that found them', async () => {
    const { client, seed } = await signedIn();
    const page = await (await client.get(`/accounts/${seed.accountId}/drift`)).text();
    expect(page).toContain('<h1>Drift: demo-main</h1>');
    expect(page.indexOf('ETHUSDT')).toBeLessThan(page.indexOf('BTCUSDT'));
    expect(page).toContain('<td>ETHUSDT</td><td><code>exchange-only-order</code></td><td>order &lt;x-1&gt; is not in our books</td><td>—</td>');
    expect(page).toContain(`<td>BTCUSDT</td><td><code>missing-protection</code></td><td>no working stop on the exchange</td><td><a href="/steps/trading/${seed.steps.root.id}">#${seed.steps.root.id}</a></td>`);
    expect(page).toContain('5 min ago');
    expect(page).not.toContain('XRPUSDT');
  });

  it('summarises each account\'s drift on the accounts page', async () => {
    const { client, seed } = await signedIn();
    const page = await (await client.get('/accounts')).text();
    expect(page).toContain(`<a href="/accounts/${seed.accountId}/drift"><span class="badge bad">drift</span> 2 findings</a>, newest 5 min ago: ETHUSDT <code>exchange-only-order</code>`);
    expect(page).toMatch(/<a href="\/accounts\/\d+\/drift">none recently<\/a>/);
  });

  it('says so when an account has no drift', async () => {
    const { client } = await signedIn();
    const accounts = await (await client.get('/accounts')).text();
    const other = /<td>(\d+)<\/td><td>demo-other<\/td>/.exec(accounts)![1];
    expect(await (await client.get(`/accounts/${other}/drift`)).text()).toContain('No drift found recently');
  });

  it.each([
    ['/accounts/abc/drift', 400, /id: must be a number/],
    ['/accounts/0/drift', 400, /id: must be positive/],
    ['/accounts/9999/drift', 404, /No account 9999/],
  ])('GET %s is a %i', async (path, status, message) => {
    const { client } = await signedIn();
    const res = await client.get(path);
    expect(res.status).toBe(status);
    expect(await res.text()).toMatch(message);
  });
});
