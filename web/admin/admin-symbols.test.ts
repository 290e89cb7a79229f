// The symbols page: lists exchange_symbols with direction, operator switch, automatic block and mark
// price age; disables at once, enables and clears a block only when confirmed; every change audited;
// anonymous requests, bad CSRF tokens and bad input change nothing.
import { describe, expect, it } from 'vitest';
import { eligibleSymbols, getSymbol } from '../../core/trading/reads.ts';
import { AdminClient } from '../../test/support/admin-client.ts';
import { adminHarness, OPERATOR } from '../../test/support/admin-harness.ts';
import { seedSymbols } from '../../test/support/admin-market-seed.ts';

async function signedIn() {
  const h = await adminHarness();
  const ids = await seedSymbols(h.fleet.store, h.clock.now());
  const client = new AdminClient(h.app, 'https://admin.test', { 'x-test-ip': '10.4.4.4' });
  await client.login(OPERATOR.username, OPERATOR.password);
  return { ...h, ids, client, token: await client.csrf() };
}

type H = Awaited<ReturnType<typeof signedIn>>;
const flags = async (h: Pick<H, 'fleet'>, symbol: string) => {
  const s = (await getSymbol(h.fleet.store, symbol))!;
  return { eligible: s.isEligible, blocked: s.isBlocked, reason: s.blockReason };
};
const snapshot = async (h: Pick<H, 'fleet'>) => Promise.all(['BTCUSDT', 'ETHUSDT', 'SOLUSDT'].map((s) => flags(h, s)));

describe('symbols page', () => {
  it('needs a session to read or write; nothing changes without one', async () => {
    const h = await adminHarness();
    const ids = await seedSymbols(h.fleet.store, h.clock.now());
    const before = await snapshot(h);
    const res = await h.app.request('https://admin.test/symbols');
    expect([res.status, res.headers.get('location')]).toEqual([302, '/login?next=%2Fsymbols']);
    for (const path of [`/symbols/${ids.BTCUSDT}/eligible`, `/symbols/${ids.SOLUSDT}/unblock`]) {
      const post = await h.app.request(`https://admin.test${path}`, { method: 'POST', body: new URLSearchParams({ enabled: '0', confirm: 'yes' }) });
      expect([post.status, post.headers.get('location')]).toEqual([303, '/login']);
    }
    expect(await snapshot(h)).toEqual(before);
    expect(h.audit.entries).toEqual([]);
  });

  it('lists direction, operator switch, automatic block (escaped) and mark price age; filters', async () => {
    const { client } = await signedIn();
    const page = await (await client.get('/symbols')).text();
    expect(page).toContain('3 symbols, 1 tradable, 1 blocked.');
    expect(page).toMatch(/<td>BTCUSDT<\/td><td>binance<\/td><td>TRADING<\/td><td>LONG<\/td><td><span class="badge idle">on<\/span>.*Disable.*<td><span class="muted">—<\/span><\/td>\s*<td>64250.1<\/td><td><span class="badge good">ok<\/span> 5.0 s ago<\/td><td><span class="badge good">tradable/s);
    expect(page).toMatch(/<td>ETHUSDT<\/td>.*<td>—<\/td><td><span class="badge idle">off<\/span>.*Enable.*<td>—<\/td><td><span class="badge idle">never<\/span> never/s);
    expect(page).toContain('<span class="badge bad">blocked</span> cancel of &lt;rung 2&gt; unprovable');
    expect(page).toMatch(/<td>141.2<\/td><td><span class="badge idle">stale<\/span> 15 min ago/);
    const blocked = await (await client.get('/symbols?show=blocked')).text();
    expect(blocked).toContain('<td>SOLUSDT</td>');
    expect(blocked).not.toContain('<td>BTCUSDT</td>');
    const search = await (await client.get('/symbols?q=eth')).text();
    expect(search).toContain('<td>ETHUSDT</td>');
    expect(search).not.toContain('<td>SOLUSDT</td>');
    expect(await (await client.get('/symbols?q=DOGE')).text()).toContain('No symbol matches.');
  });

  it('disables and enables when confirmed, through setSymbolFlags; audited', async () => {
    const h = await signedIn();
    const { client, token, ids, audit } = h;
    expect((await client.postForm(`/symbols/${ids.BTCUSDT}/eligible`, { _csrf: token, enabled: '0' })).status).toBe(400);
    expect(await flags(h, 'BTCUSDT')).toMatchObject({ eligible: true });
    const off = await client.postForm(`/symbols/${ids.BTCUSDT}/eligible`, { _csrf: token, enabled: '0', confirm: 'yes' });
    expect([off.status, off.headers.get('location')]).toEqual([303, '/symbols?done=off']);
    expect(await flags(h, 'BTCUSDT')).toMatchObject({ eligible: false });
    expect(await eligibleSymbols(h.fleet.store, 'LONG')).toEqual([]);
    expect(await (await client.get('/symbols?done=off')).text()).toContain('Symbol disabled.');
    expect((await client.postForm(`/symbols/${ids.BTCUSDT}/eligible`, { _csrf: token, enabled: '1', confirm: 'yes' })).status).toBe(303);
    expect((await eligibleSymbols(h.fleet.store, 'LONG')).map((s) => s.symbol)).toEqual(['BTCUSDT']);
    expect(audit.entries.filter((e) => e.action === 'symbol-eligible').map((e) => [e.who, e.subject, e.outcome, e.ip])).toEqual([
      ['ada', 'binance:BTCUSDT off', 'ok', '10.4.4.4'], ['ada', 'binance:BTCUSDT on', 'ok', '10.4.4.4'],
    ]);
  });

  it('clears the automatic block when confirmed, audited with the old reason; a symbol not blocked is a 409', async () => {
    const h = await signedIn();
    const { client, token, ids, audit } = h;
    const res = await client.postForm(`/symbols/${ids.SOLUSDT}/unblock`, { _csrf: token, confirm: 'yes' });
    expect([res.status, res.headers.get('location')]).toEqual([303, '/symbols?done=unblocked']);
    expect(await flags(h, 'SOLUSDT')).toEqual({ eligible: true, blocked: false, reason: null });
    expect((await eligibleSymbols(h.fleet.store, 'SHORT')).map((s) => s.symbol)).toEqual(['SOLUSDT']);
    expect(audit.entries.at(-1)).toMatchObject({ who: 'ada', action: 'symbol-unblock', subject: 'binance:SOLUSDT', outcome: 'ok', detail: 'cancel of <rung 2> unprovable' });
    const again = await client.postForm(`/symbols/${ids.SOLUSDT}/unblock`, { _csrf: token, confirm: 'yes' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('SOLUSDT is not blocked');
  });

  it('refuses a missing or foreign CSRF token (403) and changes nothing', async () => {
    const h = await signedIn();
    const { client, ids, audit } = h;
    const before = await snapshot(h);
    const count = audit.entries.length;
    for (const [path, fields] of [[`/symbols/${ids.BTCUSDT}/eligible`, { enabled: '0' }], [`/symbols/${ids.ETHUSDT}/eligible`, { enabled: '1', confirm: 'yes' }], [`/symbols/${ids.SOLUSDT}/unblock`, { confirm: 'yes' }]] as const) {
      expect((await client.postForm(path, fields)).status).toBe(403);
      expect((await client.postForm(path, { ...fields, _csrf: 'x'.repeat(43) })).status).toBe(403);
    }
    expect(await snapshot(h)).toEqual(before);
    expect(audit.entries.length).toBe(count);
  });

  it.each([
    ['/symbols?show=bogus', /show: must be one of all, tradable, eligible, ineligible, blocked/],
    ['/symbols?q=BTC%3Bdrop', /q: letters and digits only/],
  ])('GET %s is a 400 with %s', async (path, message) => {
    const { client } = await signedIn();
    const res = await client.get(path);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(message);
  });

  it.each([
    ['BTCUSDT', 'eligible', { enabled: '2' }, /enabled: must be 0 \(off\) or 1 \(on\)/],
    ['BTCUSDT', 'eligible', {}, /enabled: must be 0 \(off\) or 1 \(on\)/],
    ['ETHUSDT', 'eligible', { enabled: '1' }, /confirm: tick the box to confirm switching the symbol/],
    ['SOLUSDT', 'unblock', {}, /confirm: tick the box to confirm clearing the automatic block/],
    ['abc', 'eligible', { enabled: '0' }, /id: must be a number/],
    ['-3', 'unblock', { confirm: 'yes' }, /id: must be positive/],
  ] as const)('POST /symbols/%s/%s %j is a 400 naming the field and changes nothing', async (symbol, action, fields, message) => {
    const h = await signedIn();
    const before = await snapshot(h);
    const count = h.audit.entries.length;
    const id = symbol in h.ids ? h.ids[symbol as keyof typeof h.ids] : symbol;
    const res = await h.client.postForm(`/symbols/${id}/${action}`, { _csrf: h.token, ...fields });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(message);
    expect(await snapshot(h)).toEqual(before);
    expect(h.audit.entries.length).toBe(count);
  });

  it('an unknown symbol is a 404', async () => {
    const { client, token } = await signedIn();
    expect((await client.postForm('/symbols/9999/eligible', { _csrf: token, enabled: '0', confirm: 'yes' })).status).toBe(404);
    expect((await client.postForm('/symbols/9999/unblock', { _csrf: token, confirm: 'yes' })).status).toBe(404);
  });
});
