// Every route's gate: anonymous requests are redirected (pages) or get 401 (API); public routes answer.
import { describe, expect, it } from 'vitest';
import { AdminClient } from '../../test/support/admin-client.ts';
import { adminHarness, OPERATOR } from '../../test/support/admin-harness.ts';

const PAGES: [string, string][] = [['GET', '/'], ['GET', '/steps'], ['GET', '/sql'], ['GET', '/nowhere']];
const POSTS = ['/logout', '/sql', '/sql.csv'];

describe('admin routes need a session', () => {
  it.each(PAGES)('anonymous %s %s redirects to /login with the way back', async (method, path) => {
    const { app } = await adminHarness();
    const res = await app.request(`https://admin.test${path}`, { method });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
  });

  it.each(POSTS)('anonymous POST %s redirects (303) to /login and runs nothing', async (path) => {
    const { app, sql } = await adminHarness();
    const res = await app.request(`https://admin.test${path}`, { method: 'POST', body: new URLSearchParams({ statement: 'SELECT 1' }) });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login');
    expect(sql.calls).toEqual([]);
  });

  it('anonymous /api/* gets 401 JSON', async () => {
    const { app } = await adminHarness();
    for (const path of ['/api/me', '/api/anything']) {
      const res = await app.request(`https://admin.test${path}`);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'sign in required' });
    }
  });

  it('a forged or unknown session cookie counts as anonymous', async () => {
    const { app } = await adminHarness();
    const res = await app.request('https://admin.test/api/me', { headers: { cookie: 'kraite_session=forged' } });
    expect(res.status).toBe(401);
  });

  it('/health, /static/* and /login answer without a session', async () => {
    const { app } = await adminHarness();
    expect(await (await app.request('/health')).json()).toEqual({ ok: true });
    const css = await app.request('/static/admin.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect((await app.request('/login')).status).toBe(200);
  });

  it('a signed-in operator reaches every page and the API', async () => {
    const { app } = await adminHarness();
    const client = new AdminClient(app);
    expect((await client.login(OPERATOR.username, OPERATOR.password)).status).toBe(303);
    for (const path of ['/', '/steps', '/sql']) {
      const res = await client.get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect(await (await client.get('/api/me')).json()).toEqual({ username: 'ada' });
    expect((await client.get('/nowhere')).status).toBe(404);
    // Signed in, /login sends you to the dashboard.
    expect((await client.get('/login')).headers.get('location')).toBe('/');
  });

  it('the dashboard shows the signed-in user, the navigation and a sign-out form', async () => {
    const { app } = await adminHarness();
    const client = new AdminClient(app);
    await client.login(OPERATOR.username, OPERATOR.password);
    const page = await (await client.get('/')).text();
    expect(page).toContain('Signed in as <strong>ada</strong>');
    for (const nav of ['>Dashboard</a>', '>Steps</a>', '>SQL</a>']) expect(page).toContain(nav);
    expect(page).toMatch(/<form method="post" action="\/logout"><span class="who">ada<\/span> <input type="hidden" name="_csrf" value="[\w-]{43}">/);
  });

  it('sends security headers: CSP without inline scripts, no framing, no sniffing', async () => {
    const { app } = await adminHarness();
    const res = await app.request('/login');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
