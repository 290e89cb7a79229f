import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDocsApp } from './docs-app.ts';
import { DOCS_PAGES } from './docs-pages.generated.ts';
import { docsImagesSource, docsPagesSource, IMAGES_PATH, PAGES_PATH } from './node/build-docs-content.ts';

describe('docs site', () => {
  const app = createDocsApp();

  it('serves exactly the Markdown and screenshots in docs/, rendered (run npm run docs:build after editing docs)', () => {
    expect(readFileSync(PAGES_PATH, 'utf8')).toBe(docsPagesSource());
    expect(readFileSync(IMAGES_PATH, 'utf8')).toBe(docsImagesSource());
  });

  it('renders the overview with navigation in sections, cacheable and script-free', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'none'");
    const page = await res.text();
    for (const lens of ['Servers', 'Subsystems', 'Domains', 'Lifecycles']) expect(page).toContain(`>${lens}</a>`);
    expect(page).toContain('<a href="/servers">Servers</a>');
    for (const section of ['Start here', 'How it works', 'Reference']) expect(page).toContain(`<h2>${section}</h2>`);
    expect(page).not.toContain('<script');
  });

  it('folds the sidebar behind a toggle that needs no script (the phone layout hides the pages until it is checked)', async () => {
    const page = await (await app.request('/glossary')).text();
    expect(page).toContain('<input type="checkbox" id="nav-toggle" class="nav-toggle"');
    expect(page).toContain('<label for="nav-toggle" class="nav-open">Pages</label>');
    const css = await (await app.request('/static/docs.css')).text();
    expect(css).toMatch(/@media \(max-width:720px\)\{[^@]*\.nav-toggle:not\(:checked\)~\.pages\{display:none\}/);
  });

  it('renders each page with a table of contents and links to the previous and next page', async () => {
    const page = await (await app.request('/lifecycles')).text();
    expect(page).toContain('<h1 id="lifecycles">Lifecycles</h1>');
    expect(page).toContain('<a href="#a-position">A position</a>');
    expect(page).toContain('class="on" aria-current="page"');
    const at = DOCS_PAGES.findIndex((p) => p.slug === 'lifecycles');
    expect(page).toContain(`<a class="prev" rel="prev" href="/${DOCS_PAGES[at - 1]!.slug}">← ${DOCS_PAGES[at - 1]!.title}</a>`);
    expect(page).toContain(`<a class="next" rel="next" href="/${DOCS_PAGES[at + 1]!.slug}">${DOCS_PAGES[at + 1]!.title} →</a>`);
    const first = await (await app.request('/')).text();
    expect(first).not.toContain('rel="prev"');
    const last = await (await app.request(`/${DOCS_PAGES.at(-1)!.slug}`)).text();
    expect(last).not.toContain('rel="next"');
  });

  it('has the newcomer pages: a trader\'s guide, a glossary, troubleshooting, and screenshots they show', async () => {
    expect(DOCS_PAGES.slice(0, 5).map((p) => p.slug)).toEqual(['index', 'trading', 'operating', 'troubleshooting', 'glossary']);
    const glossary = await (await app.request('/glossary')).text();
    for (const term of ['WAP', 'Break-even', 'Rung', 'Band', 'Regime', 'Lane', 'Block', 'Step', 'Drift', 'Residual']) expect(glossary, term).toContain(`<strong>${term}.</strong>`);
    const guide = await (await app.request('/trading')).text();
    expect(guide).toContain('<img src="/screenshots/console-position.png"');
    const shots = DOCS_PAGES.flatMap((p) => [...p.html.matchAll(/<img src="\/screenshots\/([a-z0-9-]+\.png)"/g)].map((m) => m[1]!));
    expect(new Set(shots)).toEqual(new Set(['admin-dashboard.png', 'console-home.png', 'console-position.png']));
    for (const name of shots) {
      const res = await app.request(`/screenshots/${name}`);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect([...new Uint8Array(await res.arrayBuffer()).slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    }
    expect((await app.request('/screenshots/nope.png')).status).toBe(404);
  });

  it('links only to pages and headings that exist', () => {
    const anchors = new Map(DOCS_PAGES.map((p) => [p.slug, new Set(p.headings.map((h) => h.id))]));
    const links = DOCS_PAGES.flatMap((p) => [...p.html.matchAll(/<a href="([^"]+)"/g)].map((m) => ({ from: p.slug, href: m[1]! })));
    expect(links.length).toBeGreaterThanOrEqual(20);
    for (const { from, href } of links.filter((l) => !/^https?:/.test(l.href))) {
      const [path, hash] = href.split('#') as [string, string | undefined];
      const slug = path === '' ? from : path === '/' ? 'index' : path.slice(1);
      expect(anchors.has(slug), `${from}: ${href}`).toBe(true);
      if (hash) expect(anchors.get(slug)!.has(hash), `${from}: ${href}`).toBe(true);
    }
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
    expect(index.map((p) => p.slug)).toEqual(DOCS_PAGES.map((p) => p.slug));
  });

  it('finds hyphenated, underscored and colon-joined terms whichever way they are typed, and hints when nothing matches', async () => {
    for (const q of ['stop-loss', 'stop loss', 'STOP_LOSS', 'take_profit', 'take-profit', 'KRAITE_PORT', 'kraite port', 'deploy:cooldown', 'deploy cooldown', 'break-even', 'worst-case loss']) {
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
