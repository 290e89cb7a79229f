// The regime page: shows the state and the override history; sets an override (allow|block, until as
// ISO or a duration, a reason, at most 7 days) as the signed-in operator, and clears it; every write
// audited; anonymous requests, bad CSRF tokens and bad input change nothing.
import { describe, expect, it } from 'vitest';
import { readRegimeState, recentOverrides } from '../../core/market/regime/regime-store.ts';
import { AdminClient } from '../../test/support/admin-client.ts';
import { adminHarness, OPERATOR } from '../../test/support/admin-harness.ts';
import { parseUntil } from './override-until.ts';

async function signedIn() {
  const h = await adminHarness();
  const client = new AdminClient(h.app, 'https://admin.test', { 'x-test-ip': '10.3.3.3' });
  await client.login(OPERATOR.username, OPERATOR.password);
  return { ...h, client, token: await client.csrf() };
}

const overrides = (h: { fleet: { store: Parameters<typeof recentOverrides>[0] } }) => recentOverrides(h.fleet.store, 50);

describe('parseUntil', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  it.each([
    ['90m', now + 90 * 60_000], ['6h', now + 6 * 3_600_000], ['2d', now + 2 * 86_400_000],
    ['2026-11-24T08:00:00Z', Date.parse('2026-11-24T08:00:00Z')], ['2026-11-24T08:00', Date.parse('2026-11-24T08:00:00Z')],
    ['2026-11-24T10:00:00+02:00', Date.parse('2026-11-24T08:00:00Z')],
    ['tomorrow', null], ['6 hours', null], ['2026-11-24', null], ['', null], ['-5m', null],
  ])('%s', (raw, expected) => expect(parseUntil(raw, now)).toBe(expected));
});

describe('regime page', () => {
  it('needs a session to read or write; nothing is written without one', async () => {
    const h = await adminHarness();
    const res = await h.app.request('https://admin.test/regime');
    expect([res.status, res.headers.get('location')]).toEqual([302, '/login?next=%2Fregime']);
    for (const path of ['/regime/override', '/regime/override/clear']) {
      const post = await h.app.request(`https://admin.test${path}`, { method: 'POST', body: new URLSearchParams({ mode: 'block', until: '6h', reason: 'CPI release' }) });
      expect([post.status, post.headers.get('location')]).toEqual([303, '/login']);
    }
    expect(await overrides(h)).toEqual([]);
    expect(h.audit.entries).toEqual([]);
  });

  it('shows the state: no snapshot, no override, then the snapshot, cooldown and history', async () => {
    const { client, fleet, clock } = await signedIn();
    const empty = await (await client.get('/regime')).text();
    expect(empty).toContain('No snapshot yet (the regime fails open).');
    expect(empty).toContain('No override in force');
    expect(empty).toContain('No overrides yet.');
    const now = clock.now();
    await fleet.store.transaction(async (tx) => {
      await tx.insertRow('regime_snapshots', { id: 1, uuid: 'regime-1', period_at: now - 3_600_000, computed_at: now - 60_000, score: '42.5', band: 'Fragile' });
      await tx.insertRow('regime_cooldown', { id: 1, armed_at: now - 60_000, until_at: now + 1_800_000, armed_score: '42.5', updated_at: now - 60_000 });
    });
    const page = await (await client.get('/regime')).text();
    expect(page).toContain('<span class="badge idle">Fragile</span> score 42.50');
    expect(page).toContain(`Cooldown: until ${new Date(now + 1_800_000).toISOString().replace('T', ' ').slice(0, 19)}`);
    expect(page).toMatch(/New opens: <span class="badge [a-z]+">(allowed|blocked)<\/span>/);
  });

  it('charts the score per hour with the band floors, oldest to newest', async () => {
    const { client, fleet, clock } = await signedIn();
    expect(await (await client.get('/regime')).text()).toContain('Score and band over time</h2><p class="muted">No snapshot yet.');
    const now = clock.now();
    await fleet.store.transaction(async (tx) => {
      for (const [i, score] of [10, 45, 85].entries()) {
        await tx.insertRow('regime_snapshots', { id: i + 1, uuid: `regime-${i}`, period_at: now - (3 - i) * 3_600_000, computed_at: now - (3 - i) * 3_600_000 + 60_000, score: String(score), band: ['Calm', 'Elevated', 'Critical'][i]! });
      }
    });
    const page = await (await client.get('/regime')).text();
    expect(page).toContain('aria-label="regime score per hour, coloured by band, with the band floors" data-kind="line"');
    const attr = (name: string) => JSON.parse(new RegExp(`data-${name}="([^"]+)"`).exec(page)![1]!.replaceAll('&quot;', '"')) as unknown;
    // Oldest to newest, in unix seconds, each point coloured by its band.
    expect(attr('series')).toEqual([10, 45, 85].map((score, i) => [Math.floor((now - (3 - i) * 3_600_000) / 1000), score, ['--up', '--warn-line', '--down'][i]]));
    const guides = attr('lines') as { title: string; kind: string }[];
    for (const band of ['Elevated', 'Fragile', 'Critical']) expect(guides).toContainEqual(expect.objectContaining({ title: band, kind: 'guide' }));
  });

  it('sets an override as the signed-in operator, audited, and the page and the allowance see it', async () => {
    const h = await signedIn();
    const { client, token, clock, audit, fleet } = h;
    const res = await client.postForm('/regime/override', { _csrf: token, mode: 'block', until: '6h', reason: '  CPI <release>  ', confirm: 'yes' });
    expect([res.status, res.headers.get('location')]).toEqual([303, '/regime?done=set']);
    const now = clock.now();
    expect(await overrides(h)).toEqual([{ mode: 'block', reason: 'CPI <release>', createdBy: 'ada', createdAt: now, until: now + 6 * 3_600_000 }]);
    expect((await readRegimeState(fleet.store, now)).override).toMatchObject({ mode: 'block', createdBy: 'ada' });
    expect(audit.entries.at(-1)).toMatchObject({ at: now, who: 'ada', action: 'regime-override', subject: `block until ${new Date(now + 6 * 3_600_000).toISOString()}`, outcome: 'ok', detail: 'CPI <release>', ip: '10.3.3.3' });
    const page = await (await client.get('/regime?done=set')).text();
    expect(page).toContain('Override set.');
    expect(page).toContain('In force: <strong>block</strong> new opens until');
    expect(page).toContain('CPI &lt;release&gt;');
    expect(page).toContain('blocked by operator override by ada');
    // A later override replaces it; this one names its end as an ISO time.
    clock.advance(1_000);
    const iso = new Date(clock.now() + 3_600_000).toISOString();
    expect((await client.postForm('/regime/override', { _csrf: token, mode: 'allow', until: iso, reason: 'data feed fixed', confirm: 'yes' })).status).toBe(303);
    expect((await readRegimeState(fleet.store, clock.now())).override).toMatchObject({ mode: 'allow', until: Date.parse(iso) });
  });

  it('clears the override in force (a row ending at once), audited; a clear with none in force is a 409', async () => {
    const h = await signedIn();
    const { client, token, clock, audit, fleet } = h;
    expect((await client.postForm('/regime/override/clear', { _csrf: token, confirm: 'yes' })).status).toBe(409);
    await client.postForm('/regime/override', { _csrf: token, mode: 'block', until: '2d', reason: 'exchange incident', confirm: 'yes' });
    expect((await client.postForm('/regime/override/clear', { _csrf: token })).status).toBe(400);
    clock.advance(60_000);
    const res = await client.postForm('/regime/override/clear', { _csrf: token, confirm: 'yes' });
    expect([res.status, res.headers.get('location')]).toEqual([303, '/regime?done=cleared']);
    const now = clock.now();
    expect((await readRegimeState(fleet.store, now)).override).toBeNull();
    expect((await overrides(h))[0]).toEqual({ mode: 'block', reason: 'cleared: exchange incident', createdBy: 'ada', createdAt: now, until: now });
    expect(audit.entries.at(-1)).toMatchObject({ who: 'ada', action: 'regime-override-clear', outcome: 'ok', detail: 'exchange incident' });
    const page = await (await client.get('/regime?done=cleared')).text();
    expect(page).toContain('Override cleared.');
    expect(page).toContain('No override in force');
    expect(page).toContain('<span class="badge bad">expired</span></td><td>cleared: exchange incident');
  });

  it('refuses a missing or foreign CSRF token (403) and writes nothing', async () => {
    const h = await signedIn();
    const { client, audit } = h;
    const before = audit.entries.length;
    const fields = { mode: 'block', until: '6h', reason: 'CPI release' };
    expect((await client.postForm('/regime/override', fields)).status).toBe(403);
    expect((await client.postForm('/regime/override', { ...fields, _csrf: 'x'.repeat(43) })).status).toBe(403);
    expect((await client.postForm('/regime/override/clear', { _csrf: 'x'.repeat(43) })).status).toBe(403);
    expect(await overrides(h)).toEqual([]);
    expect(audit.entries.length).toBe(before);
  });

  it.each([
    [{ mode: 'pause', until: '6h', reason: 'CPI release' }, /mode: must be allow or block/],
    [{ until: '6h', reason: 'CPI release' }, /mode: must be allow or block/],
    [{ mode: 'block', reason: 'CPI release' }, /until: is required/],
    [{ mode: 'block', until: 'tomorrow', reason: 'CPI release' }, /until: must be an ISO time such as .* or a duration from now: 90m, 6h, 2d/],
    [{ mode: 'block', until: '8d', reason: 'CPI release' }, /until: at most 7 days ahead/],
    [{ mode: 'block', until: '2020-01-01T00:00:00Z', reason: 'CPI release' }, /until: must be in the future/],
    [{ mode: 'block', until: '6h' }, /reason: is required/],
    [{ mode: 'block', until: '6h', reason: ' x ' }, /reason: give a reason of at least 3 characters/],
    [{ mode: 'block', until: '6h', reason: 'y'.repeat(256) }, /reason: at most 255 characters/],
    [{ mode: 'block', until: '6h', reason: 'CPI release', confirm: 'no' }, /confirm: tick the box to confirm the override/],
  ])('POST /regime/override %j is a 400 naming the field and writes nothing', async (fields, message) => {
    const h = await signedIn();
    const before = h.audit.entries.length;
    const res = await h.client.postForm('/regime/override', { _csrf: h.token, confirm: 'yes', ...fields });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(message);
    expect(await overrides(h)).toEqual([]);
    expect(h.audit.entries.length).toBe(before);
  });
});
