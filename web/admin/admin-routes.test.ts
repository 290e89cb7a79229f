// Every admin route's gate, in one table: anonymous requests are sent to sign in (401 under /api/),
// state changes without the session's CSRF token are refused and change nothing, and each route's
// input is validated with a message naming the field.
import { describe, expect, it } from 'vitest';
import { AdminClient } from '../../test/support/admin-client.ts';
import { adminHarness, OPERATOR } from '../../test/support/admin-harness.ts';
import { seedAdminData } from '../../test/support/admin-seed.ts';

const GETS = ['/', '/api/dashboard', '/api/me', '/steps', '/steps/trading/1', '/positions', '/positions/1', '/accounts', '/accounts/1/drift', '/symbols', '/regime', '/queues', '/sql', '/commands'];
const POSTS = ['/logout', '/steps/trading/1/retry', '/steps/trading/1/cancel', '/accounts/1/trading', '/symbols/1/eligible', '/symbols/1/unblock', '/regime/override', '/regime/override/clear', '/sql', '/sql.csv', '/commands/run'];

async function signedIn() {
  const h = await adminHarness();
  const seed = await seedAdminData(h.fleet.store, h.clock.now());
  const client = new AdminClient(h.app, 'https://admin.test', { 'x-test-ip': '10.1.1.1' });
  expect((await client.login(OPERATOR.username, OPERATOR.password)).status).toBe(303);
  return { ...h, seed, client, token: await client.csrf() };
}

describe('every admin route', () => {
  it.each(GETS)('GET %s needs a session', async (path) => {
    const { app } = await adminHarness();
    const res = await app.request(`https://admin.test${path}`);
    if (path.startsWith('/api/')) expect(res.status).toBe(401);
    else expect([res.status, res.headers.get('location')]).toEqual([302, `/login?next=${encodeURIComponent(path)}`]);
  });

  it.each(POSTS)('POST %s needs a session', async (path) => {
    const { app, audit } = await adminHarness();
    const res = await app.request(`https://admin.test${path}`, { method: 'POST', body: new URLSearchParams({ confirm: 'yes', enabled: '0', statement: 'SELECT 1', command: 'steps:recover-stale' }) });
    expect([res.status, res.headers.get('location')]).toEqual([303, '/login']);
    expect(audit.entries).toEqual([]);
  });

  it.each(GETS)('GET %s answers a signed-in operator', async (path) => {
    const { client } = await signedIn();
    const res = await client.get(path);
    expect(res.status, path).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it.each(POSTS)('POST %s without the CSRF token, or with another, is refused and does nothing', async (path) => {
    const { client, audit, fleet, seed, sql } = await signedIn();
    const before = audit.entries.length;
    const fields = { confirm: 'yes', enabled: '0', statement: 'SELECT 1', command: 'steps:recover-stale' };
    expect((await client.postForm(path, fields)).status).toBe(403);
    expect((await client.postForm(path, { ...fields, _csrf: 'x'.repeat(43) })).status).toBe(403);
    expect(audit.entries.length).toBe(before);
    expect(sql.calls).toEqual([]);
    expect((await fleet.store.getStep('trading', seed.steps.failed.id))!.state).toBe('failed');
    expect((await fleet.store.findRows('accounts', { id: seed.accountId }))[0]!.trading_enabled).toBe(1);
    // Still signed in: the refusal did not end the session.
    expect((await client.get('/api/me')).status).toBe(200);
  });
});

describe('input validation names the field', () => {
  it.each([
    ['/steps?state=bogus', /state: must be one of/],
    ['/steps?set=nope', /set: must be one of default, trading/],
    ['/steps?limit=0', /limit: must be at least 1/],
    ['/steps?limit=many', /limit: must be a number/],
    ['/steps?from=yesterday', /from: must be a time like/],
    ['/steps/nope/1', /set: must be one of/],
    ['/steps/trading/abc', /id: must be a number/],
    ['/steps/trading/-4', /id: must be positive/],
    ['/positions?status=bogus', /status: must be open or one of/],
    ['/positions?account=x', /account: must be a number/],
    ['/positions/abc', /id: must be a number/],
  ])('GET %s is a 400 with %s', async (path, message) => {
    const { client } = await signedIn();
    const res = await client.get(path);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(message);
  });

  it('unknown steps and positions are 404s', async () => {
    const { client } = await signedIn();
    expect((await client.get('/steps/trading/99999')).status).toBe(404);
    expect((await client.get('/positions/99999')).status).toBe(404);
  });

  it.each([
    ['/steps/trading/1/retry', {}, /confirm: tick the box to confirm/],
    ['/steps/trading/1/cancel', { confirm: 'no' }, /confirm: tick the box to confirm/],
    ['/steps/x/1/retry', { confirm: 'yes' }, /set: must be one of/],
    ['/accounts/1/trading', { enabled: '2' }, /enabled: must be 0 \(off\) or 1 \(on\)/],
    ['/accounts/1/trading', { enabled: '1' }, /confirm: tick the box to confirm switching trading/],
    ['/accounts/1/trading', { enabled: '0' }, /confirm: tick the box to confirm switching trading/],
    ['/accounts/abc/trading', { enabled: '0' }, /id: must be a number/],
    ['/commands/run', { command: 'rm -rf /' }, /command: must be one of the allowlisted commands: steps:recover-stale, steps:archive/],
    ['/commands/run', {}, /command: is required/],
    ['/sql', { statement: '   ' }, /statement: must not be empty/],
  ])('POST %s %j is a 400 with %s', async (path, fields, message) => {
    const { client, token } = await signedIn();
    const res = await client.postForm(path, { _csrf: token, ...fields });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(message);
  });

  it('a command not on the allowlist is audited as refused', async () => {
    const { client, token, audit } = await signedIn();
    await client.postForm('/commands/run', { _csrf: token, command: 'steps:purge' });
    expect(audit.entries.at(-1)).toMatchObject({ who: 'ada', action: 'command', subject: 'steps:purge', outcome: 'refused', ip: '10.1.1.1' });
    const archived = await client.postForm('/commands/run', { _csrf: token, command: 'steps:archive' });
    expect(await archived.text()).toContain('<code>steps:archive</code>: default: 0 steps archived; trading: 0 steps archived');
  });
});
