import { describe, expect, it } from 'vitest';
import { createSiteApp } from './site-app.ts';

describe('marketing site', () => {
  it('serves the landing page, stylesheet and health with no script and a cache header', async () => {
    const app = createSiteApp({ docsUrl: 'https://docs.example' });
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const page = await res.text();
    expect(page).toContain('<h1>Kraite</h1>');
    expect(page).toContain('<a href="https://docs.example">Read the documentation</a>');
    expect(page).not.toContain('<script');
    expect((await app.request('/static/site.css')).headers.get('content-type')).toContain('text/css');
    expect((await app.request('/nope')).status).toBe(404);
    expect(await (await app.request('/health')).json()).toEqual({ ok: true });
  });
});
