import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDocsApp } from './docs-app.ts';
import { BUNDLE_PATH, docsBundleSource } from './node/build-docs-content.ts';

describe('docs site', () => {
  const app = createDocsApp();

  it('bundles exactly the Markdown in docs/ (run npm run docs:build after editing docs)', () => {
    expect(readFileSync(BUNDLE_PATH, 'utf8')).toBe(docsBundleSource());
  });

  it('renders the overview with navigation over the four lenses, cacheable and script-free', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'none'");
    const page = await res.text();
    for (const lens of ['Servers', 'Subsystems', 'Domains', 'Lifecycles']) expect(page).toContain(`>${lens}</a>`);
    expect(page).toContain('<a href="/servers">Servers</a>');
    expect(page).not.toContain('<script');
  });

  it('renders each page with a table of contents', async () => {
    const page = await (await app.request('/lifecycles')).text();
    expect(page).toContain('<h1 id="lifecycles">Lifecycles</h1>');
    expect(page).toContain('<a href="#a-position">A position</a>');
    expect(page).toContain('class="on"');
  });

  it('searches server-side, best match first, with the words marked and the query escaped', async () => {
    const page = await (await app.request('/search?q=stale+recovery')).text();
    expect(page).toMatch(/match “stale recovery”/);
    expect(page.indexOf('href="/subsystems"')).toBeGreaterThan(0);
    expect(page).toContain('<mark>');
    const xss = await (await app.request('/search?q=%3Cscript%3E')).text();
    expect(xss).not.toContain('<script>');
    expect(xss).toContain('0 pages match');
    const index = await (await app.request('/search.json')).json() as { slug: string }[];
    expect(index.map((p) => p.slug).slice(0, 5)).toEqual(['index', 'servers', 'subsystems', 'domains', 'lifecycles']);
  });

  it('finds hyphenated, underscored and colon-joined terms whichever way they are typed, and hints when nothing matches', async () => {
    for (const q of ['stop-loss', 'stop loss', 'STOP_LOSS', 'take_profit', 'take-profit', 'KRAITE_PORT', 'kraite port', 'deploy:cooldown', 'deploy cooldown']) {
      const page = await (await app.request(`/search?q=${encodeURIComponent(q)}`)).text();
      expect(page, q).toMatch(/[1-9]\d* pages? match/);
      expect(page, q).toContain('<mark>');
    }
    const none = await (await app.request('/search?q=frobnicate')).text();
    expect(none).toContain('0 pages match');
    expect(none).toContain('Hyphens, underscores and colons count as spaces');
  });

  it('404s unknown pages and answers health', async () => {
    expect((await app.request('/nope')).status).toBe(404);
    expect((await app.request('/../etc/passwd')).status).toBe(404);
    expect(await (await app.request('/health')).json()).toEqual({ ok: true });
  });
});
