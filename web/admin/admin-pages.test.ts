// The operator pages over an in-memory fleet with seeded rows: dashboard, step browser and tree with
// retry/cancel, positions with intent versus echo, accounts with masked credentials and the trading
// switch, and the commands runner with its audit.
import { describe, expect, it } from 'vitest';
import { MemoryWeightGovernor } from '../../core/adapters/memory/memory-weight-governor.ts';
import { MemoryHeartbeats } from '../../core/fleet/heartbeat.port.ts';
import { marketHandlers, type MarketDeps } from '../../core/market/index.ts';
import { ManualClock } from '../../core/ports/clock.ts';
import { HandlerRegistry } from '../../core/steps/registry.ts';
import { removeAccount } from '../../core/trading/account.ts';
import { applyRowEffects } from '../../core/trading/apply-row-effects.ts';
import { importCredentialsKey } from '../../core/trading/credentials.ts';
import { AdminClient } from '../../test/support/admin-client.ts';
import { adminHarness, OPERATOR } from '../../test/support/admin-harness.ts';
import { SEED_API_KEY, SEED_API_SECRET, seedAdminData } from '../../test/support/admin-seed.ts';

async function signedIn(withKey = false) {
  const key = withKey ? await importCredentialsKey(btoa(String.fromCharCode(...new Uint8Array(32).fill(7)))) : undefined;
  const h = await adminHarness({}, { credentialsKey: key });
  const seed = await seedAdminData(h.fleet.store, h.clock.now(), key);
  const client = new AdminClient(h.app, 'https://admin.test', { 'x-test-ip': '10.2.2.2' });
  await client.login(OPERATOR.username, OPERATOR.password);
  return { ...h, seed, client, token: await client.csrf() };
}

const text = async (res: Response) => res.text();

describe('dashboard', () => {
  it('shows queues, dispatcher, steps, streams and mark prices, says what is not reported yet, and stays live without a meta refresh', async () => {
    const { client } = await signedIn();
    const page = await text(await client.get('/'));
    expect(page).not.toContain('http-equiv="refresh"');
    expect(page).toContain('data-live="/live/events"');
    expect(page).toContain('<a href="/" class="refresh">refresh</a>');
    expect(page).toContain('<td>kraite.positions</td><td>5</td><td>0</td>');
    expect(page).toContain('The dispatch daemon runs on another box.');
    expect(page).toMatch(/trading<\/td><td>.*completed<\/span> 2/s);
    expect(page).toContain('<div class="lwc short" role="img" aria-label="steps completed per minute (bars), failed (line)" data-kind="bars"');
    expect(page).toContain('<script src="/static/lightweight-charts.js" defer></script><script src="/static/charts.js" defer></script>');
    expect(page).toMatch(/demo-main<\/a><\/td><td>on<\/td><td>never<\/td><td><span class="badge idle">stale/);
    expect(page).toContain('No symbols yet.');
    for (const title of ['Fleet heartbeat', 'Exchange weight', 'Market regime']) expect(page).toMatch(new RegExp(`<h2>${title}</h2><p class="muted">Not reported yet`));
  });

  it('lists every live process of a box, not a process that has since been replaced', async () => {
    const heartbeats = new MemoryHeartbeats();
    const h = await adminHarness({}, { heartbeats });
    const now = h.clock.now();
    const beat = (worker: string, at: number, processes: string[]) => heartbeats.publish({ box: 'athena', worker, version: '0.2.0', at, startedAt: at, processes, consumers: [] });
    await beat('athena@host:10', now - 20_000, ['dispatcher', 'scheduler', 'heartbeat']);
    await beat('mark-price-stream@host:11', now - 40_000, ['mark-price-stream']);
    await beat('athena@host:9', now - 3_600_000, ['dispatcher', 'scheduler', 'heartbeat']);
    const client = new AdminClient(h.app);
    await client.login(OPERATOR.username, OPERATOR.password);
    const page = await text(await client.get('/'));
    expect(page).toMatch(/<td>athena<\/td><td><span class="badge good">ok<\/span> 20.0 s ago<\/td><td>0.2.0<\/td><td>dispatcher, scheduler, heartbeat<\/td><td>0<\/td><td>athena@host:10<\/td>/);
    expect(page).toMatch(/<td>athena<\/td><td><span class="badge good">ok<\/span> 40.0 s ago<\/td><td>0.2.0<\/td><td>mark-price-stream<\/td><td>0<\/td><td>mark-price-stream@host:11<\/td>/);
    expect(page).not.toContain('athena@host:9');
  });

  it('shows heartbeats per box and the market regime once they are reported', async () => {
    const heartbeats = new MemoryHeartbeats();
    const h = await adminHarness({}, { heartbeats });
    const now = h.clock.now();
    await heartbeats.publish({ box: 'eos', worker: 'eos@host:1', version: '0.1.0', at: now - 30_000, startedAt: now - 3_600_000, processes: ['heartbeat'], consumers: [{ queue: 'kraite.orders', concurrency: 8 }] });
    await heartbeats.publish({ box: 'athena', worker: 'athena@host:2', version: '0.1.0', at: now - 600_000, startedAt: now - 3_600_000, processes: ['dispatcher', 'scheduler'], consumers: [] });
    await h.fleet.store.transaction(async (tx) => {
      await tx.insertRow('regime_snapshots', { id: 1, uuid: 'regime-1', period_at: now - 3_600_000, computed_at: now - 60_000, score: '42.5', band: 'Fragile' });
      await tx.insertRow('regime_cooldown', { id: 1, armed_at: now - 60_000, until_at: now + 1_800_000, armed_score: '42.5', updated_at: now - 60_000 });
      await tx.insertRow('regime_overrides', { id: 1, mode: 'block', reason: 'CPI <release>', created_by: 'ada', created_at: now - 1_000, until_at: now + 3_600_000 });
    });
    const client = new AdminClient(h.app);
    await client.login(OPERATOR.username, OPERATOR.password);
    const page = await text(await client.get('/'));
    expect(page).toMatch(/<td>athena<\/td><td><span class="badge idle">stale<\/span> 10 min ago<\/td><td>0.1.0<\/td><td>dispatcher, scheduler<\/td>/);
    expect(page).toMatch(/<td>eos<\/td><td><span class="badge good">ok<\/span> 30.0 s ago/);
    expect(page).toContain('<span class="badge idle">Fragile</span> score 42.5');
    expect(page).toContain('Cooldown: until');
    expect(page).toContain('<strong>block</strong>');
    expect(page).toContain('CPI &lt;release&gt;');
    expect(page).not.toMatch(/<h2>(Fleet heartbeat|Market regime)<\/h2><p class="muted">Not reported yet/);
  });

  it('shows exchange weight per egress IP, bans and order counts from the governor', async () => {
    const clock = new ManualClock();
    const governor = new MemoryWeightGovernor({ clock });
    const h = await adminHarness({}, { governor });
    h.clock.set(clock.now());
    await governor.acquire('10.0.0.7', 1_080);
    await governor.ban('10.0.0.8', clock.now() + 120_000);
    await governor.acquireOrders('demo-main', 3);
    const client = new AdminClient(h.app);
    await client.login(OPERATOR.username, OPERATOR.password);
    const page = await text(await client.get('/'));
    expect(page).toContain('<td>10.0.0.7</td><td>1080 / 2160</td><td>50 %</td>');
    expect(page).toMatch(/<td>10.0.0.8<\/td>.*<span class="badge bad">banned<\/span> until/s);
    expect(page).toContain('<td>demo-main</td><td>3 / ');
  });

  it('serves the same figures as JSON', async () => {
    const { client } = await signedIn();
    const data = await (await client.get('/api/dashboard')).json() as { queues: { queue: string }[]; steps: { trading: Record<string, number> }; streams: unknown[] };
    expect(data.queues.map((q) => q.queue)).toEqual(['kraite.positions']);
    expect(data.steps.trading).toMatchObject({ completed: 2, failed: 1, cancelled: 1, pending: 1, running: 1 });
    expect(data.streams).toHaveLength(1);
  });
});

describe('step browser', () => {
  it('filters by set, state, handler, label and time', async () => {
    const { client, seed, clock } = await signedIn();
    const failed = await text(await client.get('/steps?set=trading&state=failed'));
    expect(failed).toContain(`>#${seed.steps.failed.id}</a>`);
    expect(failed).not.toContain(`>#${seed.steps.placed.id}</a>`);
    expect(await text(await client.get('/steps?set=trading&handler=trading.open.rungs'))).toContain(`>#${seed.steps.parent.id}</a>`);
    expect(await text(await client.get(`/steps?set=trading&label=${seed.positionUuid.slice(0, 8)}`))).toContain(`>#${seed.steps.root.id}</a>`);
    const later = new Date(clock.now() + 60_000).toISOString().slice(0, 16);
    expect(await text(await client.get(`/steps?set=trading&from=${later}`))).toContain('0 trading steps');
    expect(await text(await client.get('/steps?set=default'))).toContain('0 default steps');
  });

  it('defaults to the trading set, names each step\'s position, account and symbol, links both ways and pages by id', async () => {
    const { client, seed } = await signedIn();
    const list = await text(await client.get('/steps'));
    expect(list).toContain(`>#${seed.steps.root.id}</a>`);
    expect(list).toContain(`<td><a href="/positions/${seed.positionId}">#${seed.positionId}</a></td><td><a href="/positions?account=${seed.accountId}">${seed.accountId}</a></td><td>BTCUSDT</td>`);
    const stepPage = await text(await client.get(`/steps/trading/${seed.steps.root.id}`));
    expect(stepPage).toContain(`Position <a href="/positions/${seed.positionId}">#${seed.positionId} BTCUSDT LONG</a>`);
    expect(await text(await client.get(`/positions/${seed.positionId}`))).toContain(`href="/steps/trading/${seed.steps.root.id}"`);
    // Two per page: the pages together list every step once, newest first.
    const seen: number[] = [];
    let next: string | null = '/steps?set=trading&limit=2';
    while (next) {
      const page = await text(await client.get(next.replace(/&amp;/g, '&')));
      seen.push(...[...page.matchAll(/<td><a href="\/steps\/trading\/(\d+)">/g)].map((m) => Number(m[1])));
      next = /<a href="([^"]+)" rel="next">/.exec(page)?.[1] ?? null;
    }
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe((await text(await client.get('/steps?set=trading&limit=1000'))).match(/<td><a href="\/steps\/trading\/\d+">/g)!.length);
  });

  it('retries every failed step shown, after confirmation, each audited', async () => {
    const { client, seed, token, fleet, audit } = await signedIn();
    const failedPage = await text(await client.get('/steps?set=trading&state=failed'));
    expect(failedPage).toContain('action="/steps/trading/retry-failed"');
    const ids = /name="ids" value="([^"]+)"/.exec(failedPage)![1]!;
    expect((await client.postForm('/steps/trading/retry-failed', { _csrf: token, ids })).status).toBe(400);
    expect((await client.postForm('/steps/trading/retry-failed', { ids, confirm: 'yes' })).status).toBe(403);
    const done = await text(await client.postForm('/steps/trading/retry-failed', { _csrf: token, ids, confirm: 'yes' }));
    expect(done).toMatch(/[1-9]\d* failed steps? retried/);
    expect((await fleet.store.getStep('trading', seed.steps.failed.id))!.state).not.toBe('failed');
    expect((await audit.recent(20)).filter((e) => e.action === 'step-retry' && e.detail === 'retry all').length).toBeGreaterThan(0);
  });

  it('shows the tree: block order, parallel siblings, children, timings, error and stack (escaped)', async () => {
    const { client, seed } = await signedIn();
    const page = await text(await client.get(`/steps/trading/${seed.steps.failed.id}`));
    expect(page).toContain('Tree (6 steps)');
    expect(page).toContain('index 2: 2 in parallel');
    expect(page.indexOf(`#${seed.steps.root.id}<`)).toBeLessThan(page.indexOf(`#${seed.steps.parent.id}<`));
    expect(page.indexOf(`#${seed.steps.parent.id}<`)).toBeLessThan(page.indexOf(`#${seed.steps.placed.id}<`));
    expect(page).toContain('Binance -2019: Margin is insufficient &lt;for&gt; &quot;rung 1&quot;');
    expect(page).toContain('at placeOrder (core/exchange/binance.ts:120:11)');
    expect(page).toContain('attempt 3/3');
    expect(page).toContain('Retry step');
  });

  it('retries a failed step after confirmation (reviving the sibling its failure cancelled), audited', async () => {
    const { client, token, seed, fleet, audit } = await signedIn();
    const res = await client.postForm(`/steps/trading/${seed.steps.failed.id}/retry`, { _csrf: token, confirm: 'yes' });
    expect([res.status, res.headers.get('location')]).toEqual([303, `/steps/trading/${seed.steps.failed.id}?done=retry`]);
    expect((await fleet.store.getStep('trading', seed.steps.failed.id))!.state).not.toBe('failed');
    expect((await fleet.store.getStep('trading', seed.steps.cancelled.id))!.state).not.toBe('cancelled');
    expect(audit.entries.at(-1)).toMatchObject({ who: 'ada', action: 'step-retry', subject: `trading:${seed.steps.failed.id}`, outcome: 'ok', ip: '10.2.2.2' });
    expect(await text(await client.get(`/steps/trading/${seed.steps.failed.id}?done=retry`))).toContain('Retried');
  });

  it('cancels a pending step after confirmation; refuses (409) what the engine refuses, with its reason', async () => {
    const { client, token, seed, fleet, audit } = await signedIn();
    expect((await client.postForm(`/steps/trading/${seed.steps.pending.id}/cancel`, { _csrf: token, confirm: 'yes' })).status).toBe(303);
    expect((await fleet.store.getStep('trading', seed.steps.pending.id))!.state).toBe('cancelled');
    const refused = await client.postForm(`/steps/trading/${seed.steps.root.id}/retry`, { _csrf: token, confirm: 'yes' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('only failed or cancelled steps can be retried');
    expect(audit.entries.at(-1)).toMatchObject({ action: 'step-retry', outcome: 'refused' });
  });
});

describe('positions and orders', () => {
  it('lists open positions and opens one with its orders (intent beside echo, drift marked) and step history', async () => {
    const { client, seed } = await signedIn();
    const list = await text(await client.get('/positions'));
    expect(list).toContain('Open (1)');
    expect(list).toContain(`<a href="/positions/${seed.positionId}">#${seed.positionId}</a>`);
    const page = await text(await client.get(`/positions/${seed.positionId}`));
    expect(page).toContain('BTCUSDT LONG <span class="badge good">active</span>');
    expect(page).toContain('<td>62000</td><td class="drift" title="the exchange differs from our intent">61990</td>');
    expect(page).toContain('Step history (6)');
    expect(page).toContain(`<a href="/steps/trading/${seed.steps.failed.id}">`);
    expect(await text(await client.get('/positions?status=closed'))).toContain('No positions yet.');
  });
});

describe('accounts', () => {
  it('shows credentials masked only, never in full', async () => {
    const { client } = await signedIn(true);
    const page = await text(await client.get('/accounts'));
    expect(page).toContain(`****${SEED_API_KEY.slice(-4)}`);
    expect(page).toContain(`****${SEED_API_SECRET.slice(-4)}`);
    expect(page).not.toContain(SEED_API_KEY);
    expect(page).not.toContain(SEED_API_SECRET.slice(0, 12));
    // Without the key nothing is decrypted at all.
    const { client: keyless } = await signedIn(false);
    expect(await text(await keyless.get('/accounts'))).toContain('**** (encrypted; no credentials key loaded)');
  });

  it('turns trading off and on, each only when confirmed; both audited', async () => {
    const { client, token, seed, fleet, audit } = await signedIn();
    expect(await text(await client.postForm(`/accounts/${seed.accountId}/trading`, { _csrf: token, enabled: '0' }))).toContain('confirm: tick the box to confirm switching trading');
    expect((await fleet.store.findRows('accounts', { id: seed.accountId }))[0]!.trading_enabled).toBe(1);
    const off = await client.postForm(`/accounts/${seed.accountId}/trading`, { _csrf: token, enabled: '0', confirm: 'yes' });
    expect([off.status, off.headers.get('location')]).toEqual([303, '/accounts?switched=0']);
    expect((await fleet.store.findRows('accounts', { id: seed.accountId }))[0]!.trading_enabled).toBe(0);
    expect(await text(await client.get('/accounts?switched=0'))).toContain('Turn trading on');
    expect((await client.postForm(`/accounts/${seed.accountId}/trading`, { _csrf: token, enabled: '1', confirm: 'yes' })).status).toBe(303);
    expect((await fleet.store.findRows('accounts', { id: seed.accountId }))[0]!.trading_enabled).toBe(1);
    expect(audit.entries.filter((e) => e.action === 'account-trading').map((e) => e.subject)).toEqual([`account:${seed.accountId} off`, `account:${seed.accountId} on`]);
    expect((await client.postForm('/accounts/999/trading', { _csrf: token, enabled: '0', confirm: 'yes' })).status).toBe(404);
  });
});

describe('removed accounts', () => {
  it('are not listed and cannot be switched on again', async () => {
    const { client, token, seed, fleet, clock } = await signedIn();
    expect(await text(await client.get('/accounts'))).toContain('demo-main');
    await fleet.store.transaction((tx) => applyRowEffects(tx, [removeAccount(seed.accountId, clock.now())]));
    expect(await text(await client.get('/accounts'))).not.toContain('demo-main');
    expect((await client.postForm(`/accounts/${seed.accountId}/trading`, { _csrf: token, enabled: '1', confirm: 'yes' })).status).toBe(404);
    expect((await fleet.store.findRows('accounts', { id: seed.accountId }))[0]!.trading_enabled).toBe(0);
  });
});

describe('commands runner', () => {
  it('runs an allowlisted command and audits who and when; the page lists recent runs', async () => {
    const { client, token, audit, clock } = await signedIn();
    const res = await client.postForm('/commands/run', { _csrf: token, command: 'steps:recover-stale' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<code>steps:recover-stale</code>: default: 0 running recovered');
    expect(audit.entries.at(-1)).toMatchObject({ at: clock.now(), who: 'ada', action: 'command', subject: 'steps:recover-stale', outcome: 'ok' });
    expect(await text(await client.get('/commands'))).toMatch(/<td>ada<\/td><td><code>steps:recover-stale<\/code><\/td><td><span class="badge good">ok/);
  });
});

describe('market data commands', () => {
  it('start a symbol refresh and a kline fetch for the fleet, audited, and only with the CSRF token', async () => {
    const h = await adminHarness({}, { registry: new HandlerRegistry(marketHandlers({} as MarketDeps)) });
    const client = new AdminClient(h.app, 'https://admin.test', { 'x-test-ip': '10.2.2.3' });
    await client.login(OPERATOR.username, OPERATOR.password);
    const token = await client.csrf();
    expect(await text(await client.get('/commands'))).toMatch(/<code>symbols:refresh<\/code>[\s\S]*<code>klines:fetch<\/code>/);
    expect((await client.postForm('/commands/run', { command: 'symbols:refresh' })).status).toBe(403);
    expect(await h.fleet.store.listSteps('default', {})).toEqual([]);

    for (const command of ['symbols:refresh', 'klines:fetch']) {
      const res = await client.postForm('/commands/run', { _csrf: token, command });
      expect([command, res.status]).toEqual([command, 200]);
      expect(await res.text()).toMatch(new RegExp(`<code>${command}</code>: started step \\d+ \\(market\\.(symbols\\.refresh|klines\\.schedule)\\) on the cronjobs lane`));
    }
    const steps = await h.fleet.store.listSteps('default', {});
    expect(steps.map((s) => `${s.handler} ${JSON.stringify(s.args)}`).sort()).toEqual([
      'market.klines.schedule {"interval":"15m"}', 'market.klines.schedule {"interval":"1d"}', 'market.klines.schedule {"interval":"1h"}',
      'market.klines.schedule {"interval":"4h"}', 'market.symbols.refresh {"brackets":false}',
    ]);
    expect(h.audit.entries.filter((e) => e.action === 'command').map((e) => [e.who, e.subject, e.outcome])).toEqual([['ada', 'symbols:refresh', 'ok'], ['ada', 'klines:fetch', 'ok']]);
  });
});
