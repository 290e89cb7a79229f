// Sign-in, sign-out, session cookies and expiry, and login rate limiting under a manual clock.
import { describe, expect, it } from 'vitest';
import { AdminClient, csrfFrom, parseSetCookie } from '../../test/support/admin-client.ts';
import { adminHarness, OPERATOR } from '../../test/support/admin-harness.ts';
import { scryptPasswordHasher } from './node/scrypt-passwords.ts';

const sessionCookie = (client: AdminClient) => {
  const header = client.lastSetCookies.find((h) => h.startsWith('kraite_session='));
  if (!header) throw new Error(`no kraite_session in ${client.lastSetCookies.join(' | ')}`);
  return parseSetCookie(header);
};

describe('sign-in', () => {
  it('a second GET /login (another tab, or a favicon redirect) keeps the form already on screen valid', async () => {
    const { app } = await adminHarness();
    const client = new AdminClient(app);
    const first = csrfFrom(await (await client.get('/login')).text());
    expect((await client.get('/favicon.ico')).status).toBe(204);
    expect(csrfFrom(await (await client.get('/login?next=%2Fsteps')).text())).toBe(first);
    const res = await client.postForm('/login', { _csrf: first, username: OPERATOR.username, password: OPERATOR.password });
    expect(res.status).toBe(303);
  });

  it('good credentials: 303 to the dashboard with a Secure, HttpOnly, SameSite=Strict, expiring session cookie', async () => {
    const { app, sessions, audit } = await adminHarness();
    const client = new AdminClient(app, 'https://admin.test', { 'x-test-ip': '10.0.0.9' });
    const res = await client.login('ADA', OPERATOR.password);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = sessionCookie(client);
    expect(cookie.value).toMatch(/^[\w-]{43}$/);
    expect(cookie.attributes).toMatchObject({ path: '/', httponly: true, secure: true, samesite: 'Strict', 'max-age': String(8 * 3600) });
    // The login form's cookie is cleared; the store never sees the raw token.
    expect(client.cookies.has('kraite_login')).toBe(false);
    expect(sessions.size).toBe(1);
    expect(await sessions.find(cookie.value, 0)).toBeNull();
    expect(audit.entries.at(-1)).toMatchObject({ who: 'ada', action: 'login', outcome: 'ok', ip: '10.0.0.9' });
  });

  it('the login page sets its own strict cookie scoped to /login', async () => {
    const { app } = await adminHarness();
    const client = new AdminClient(app);
    await client.get('/login');
    const cookie = parseSetCookie(client.lastSetCookies.find((h) => h.startsWith('kraite_login='))!);
    expect(cookie.attributes).toMatchObject({ path: '/login', httponly: true, secure: true, samesite: 'Strict' });
  });

  it('a wrong password or an unknown user: 401, the same message, no session', async () => {
    const { app, sessions, audit } = await adminHarness();
    const client = new AdminClient(app);
    for (const [user, password] of [['ada', 'wrong password'], ['nobody', OPERATOR.password]] as const) {
      const res = await client.login(user, password);
      expect(res.status).toBe(401);
      expect(await res.text()).toContain('Invalid username or password.');
    }
    expect(client.cookies.has('kraite_session')).toBe(false);
    expect(sessions.size).toBe(0);
    expect(audit.entries.map((e) => [e.who, e.outcome])).toEqual([['ada', 'failed'], ['nobody', 'failed']]);
  });

  it('goes back to a safe ?next= path, never off-site', async () => {
    const { app } = await adminHarness();
    const cases: [string, string][] = [['/sql', '/sql'], ['/steps?state=failed', '/steps?state=failed'], ['//evil.example/x', '/'], ['https://evil.example', '/'], ['/\\evil.example', '/']];
    for (const [next, expected] of cases) {
      const client = new AdminClient(app);
      const res = await client.login(OPERATOR.username, OPERATOR.password, { next });
      expect(res.headers.get('location'), next).toBe(expected);
    }
  });

  it('drops Secure only for http://localhost when allowed, never for other hosts', async () => {
    const allowed = await adminHarness({ allowInsecureLocalhostCookies: true });
    const local = new AdminClient(allowed.app, 'http://localhost:8080');
    await local.login(OPERATOR.username, OPERATOR.password);
    expect(sessionCookie(local).attributes.secure).toBeUndefined();
    const remote = new AdminClient(allowed.app, 'http://admin.example');
    await remote.login(OPERATOR.username, OPERATOR.password);
    expect(sessionCookie(remote).attributes.secure).toBe(true);
    const strict = new AdminClient((await adminHarness()).app, 'http://localhost:8080');
    await strict.login(OPERATOR.username, OPERATOR.password);
    expect(sessionCookie(strict).attributes.secure).toBe(true);
  });

  it('a session ends at its expiry', async () => {
    const { app, clock } = await adminHarness({ sessionTtlMs: 60 * 60_000 });
    const client = new AdminClient(app);
    await client.login(OPERATOR.username, OPERATOR.password);
    expect(sessionCookie(client).attributes['max-age']).toBe('3600');
    clock.advance(59 * 60_000);
    expect((await client.get('/')).status).toBe(200);
    clock.advance(60_000);
    expect((await client.get('/')).status).toBe(302);
    expect((await client.get('/api/me')).status).toBe(401);
  });

  it('signing in again replaces the old session', async () => {
    const { app, sessions } = await adminHarness();
    const client = new AdminClient(app);
    await client.login(OPERATOR.username, OPERATOR.password);
    const first = client.cookies.get('kraite_session')!;
    // A sign-in form opened in another tab before this session existed, submitted now.
    client.cookies.delete('kraite_session');
    const form = csrfFrom(await (await client.get('/login')).text());
    client.cookies.set('kraite_session', first);
    expect((await client.postForm('/login', { _csrf: form, ...OPERATOR })).status).toBe(303);
    expect(client.cookies.get('kraite_session')).not.toBe(first);
    expect(sessions.size).toBe(1);
  });
});

describe('sign-out', () => {
  it('ends the session server-side and clears the cookie', async () => {
    const { app, sessions, audit } = await adminHarness();
    const client = new AdminClient(app);
    await client.login(OPERATOR.username, OPERATOR.password);
    const stolen = client.cookies.get('kraite_session')!;
    const res = await client.postForm('/logout', { _csrf: await client.csrf() });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login');
    expect(sessionCookie(client).attributes['max-age']).toBe('0');
    expect(sessions.size).toBe(0);
    expect(audit.entries.at(-1)).toMatchObject({ who: 'ada', action: 'logout', outcome: 'ok' });
    // The old cookie value is worthless now.
    const replay = await app.request('https://admin.test/api/me', { headers: { cookie: `kraite_session=${stolen}` } });
    expect(replay.status).toBe(401);
  });
});

describe('login throttling', () => {
  it('failures for a username back off 1 s, 2 s, 4 s … from any new address; the right password passes once the wait is over', async () => {
    const { app, clock, audit } = await adminHarness();
    const attempt = (password: string, ip: string) => new AdminClient(app, 'https://admin.test', { 'x-test-ip': ip }).login('ada', password);
    for (let i = 0; i < 5; i++) expect((await attempt('wrong password', `10.0.0.${i}`)).status).toBe(401);
    for (let k = 0; k < 3; k++) {
      const refused = await attempt('wrong password', `10.0.1.${k}`);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe(String(2 ** k));
      clock.advance(2 ** k * 1000);
      expect((await attempt('wrong password', `10.0.2.${k}`)).status).toBe(401);
    }
    const limited = await attempt(OPERATOR.password, '10.0.0.99');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('8');
    expect(await limited.text()).toContain('Too many sign-in attempts: try again in 8 s.');
    expect(audit.entries.at(-1)).toMatchObject({ who: 'ada', action: 'login', outcome: 'refused', detail: 'throttled (back-off, 8 s)' });
    clock.advance(8_000);
    expect((await attempt(OPERATOR.password, '10.0.0.99')).status).toBe(303);
  });

  it('failures from one address slow every username from it; other addresses are unaffected', async () => {
    const { app, users, passwords } = await adminHarness();
    users.add('grace', await passwords.hash('another long password'));
    const from = (ip: string) => new AdminClient(app, 'https://admin.test', { 'x-test-ip': ip });
    for (let i = 0; i < 5; i++) expect((await from('192.0.2.1').login(`guess${i}`, 'x')).status).toBe(401);
    expect((await from('192.0.2.1').login('grace', 'another long password')).status).toBe(429);
    expect((await from('192.0.2.2').login('grace', 'another long password')).status).toBe(303);
  });

  it('a successful sign-in refunds its own attempt and no more', async () => {
    const { app } = await adminHarness();
    const from = (ip: string) => new AdminClient(app, 'https://admin.test', { 'x-test-ip': ip });
    for (let i = 0; i < 4; i++) expect((await from(`10.1.0.${i}`).login('ada', 'wrong password')).status).toBe(401);
    expect((await from('10.1.0.50').login('ada', OPERATOR.password)).status).toBe(303);
    expect((await from('10.1.1.0').login('ada', 'wrong password')).status).toBe(401);
    expect((await from('10.1.1.1').login('ada', 'wrong password')).status).toBe(429);
  });

  it('an address the owner signed in from before is not slowed by failures from elsewhere', async () => {
    const { app } = await adminHarness();
    const from = (ip: string) => new AdminClient(app, 'https://admin.test', { 'x-test-ip': ip });
    expect((await from('198.51.100.7').login('ada', OPERATOR.password)).status).toBe(303);
    for (let i = 0; i < 10; i++) await from(`203.0.113.${i}`).login('ada', 'wrong password');
    expect((await from('203.0.113.99').login('ada', OPERATOR.password)).status).toBe(429);
    expect((await from('198.51.100.7').login('ada', OPERATOR.password)).status).toBe(303);
  });

  it('rehashes a password stored at an older cost on sign-in', async () => {
    const { app, users, audit } = await adminHarness();
    users.add('old', await scryptPasswordHasher({ N: 512, r: 8, p: 1 }).hash('an old long password'));
    expect((await new AdminClient(app).login('old', 'an old long password')).status).toBe(303);
    expect((await users.findByUsername('old'))!.passwordHash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(audit.entries.at(-1)).toMatchObject({ who: 'old', action: 'login', outcome: 'ok', detail: 'password rehashed at the current cost' });
    expect((await new AdminClient(app).login('old', 'an old long password')).status).toBe(303);
  });

  it('a disabled operator cannot sign in (the same answer as a wrong password)', async () => {
    const { app, users, audit } = await adminHarness();
    users.setDisabled(OPERATOR.username, true);
    const res = await new AdminClient(app).login(OPERATOR.username, OPERATOR.password);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Invalid username or password.');
    expect(audit.entries.at(-1)).toMatchObject({ outcome: 'failed', detail: 'user disabled' });
  });
});
