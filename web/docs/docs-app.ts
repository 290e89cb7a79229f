// The docs site: the operator documentation (docs/*.md, rendered at build time) with navigation, an
// in-page table of contents, prev/next links and search (server-side, so it works without script).
// No session, no state: pages are data, served with a cache header, on Node and on Workers alike.
import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { securityHeaders } from '../security-headers.ts';
import { DOCS_IMAGES } from './docs-images.generated.ts';
import { DOCS_PAGES } from './docs-pages.generated.ts';
import { pagePath, type DocPage } from './docs-page.ts';
import { searchDocs } from './docs-site.ts';

/**
 * The stylesheet served at /static/docs.css. On a phone the sidebar folds behind a "Pages" toggle:
 * a checkbox and its label, so it needs no script (the site sends none).
 */
export const DOCS_CSS = `body{font:15px/1.55 system-ui,sans-serif;margin:0;color:#1b1f24;display:grid;grid-template-columns:15rem minmax(0,1fr);min-height:100vh}
nav.side{background:#1b1f24;color:#cfd6df;padding:1rem}nav.side a{color:#cfd6df;display:block;padding:.2rem 0;text-decoration:none}nav.side a.on{color:#fff;font-weight:600}
nav.side h2{font-size:11px;text-transform:uppercase;letter-spacing:.06em;color:#8b95a1;margin:1rem 0 .2rem}
nav.side form{margin:1rem 0}nav.side input[type=search]{width:100%;box-sizing:border-box}.nav-toggle,.nav-open{display:none}
main{padding:1.5rem 2.5rem;max-width:52rem;min-width:0;box-sizing:border-box;overflow-wrap:anywhere}
table{border-collapse:collapse;display:block;max-width:100%;overflow-x:auto}td,th{border:1px solid #d5d9df;padding:3px 8px;text-align:left;vertical-align:top;overflow-wrap:normal}
pre{background:#f0f2f5;padding:.6rem;overflow:auto;max-width:100%}code.language-text{white-space:pre-wrap}code{font:13px ui-monospace,monospace}.toc{font-size:13px;color:#6b7480}
img{max-width:100%;height:auto;border:1px solid #d5d9df}mark{background:#fff1a8}.hit{margin:1rem 0}
.pager{display:flex;justify-content:space-between;gap:1rem;margin:2.5rem 0 1rem;padding-top:1rem;border-top:1px solid #d5d9df}.pager a{text-decoration:none}.pager .next{margin-left:auto;text-align:right}
@media (max-width:720px){body{grid-template-columns:minmax(0,1fr)}main{padding:1rem}
.nav-open{display:inline-block;cursor:pointer;border:1px solid #5b6570;border-radius:4px;padding:.1rem .6rem;margin-left:1rem}
.nav-toggle:not(:checked)~.pages{display:none}.nav-toggle:focus-visible+.nav-open{outline:2px solid #6d9be0}}
@media (prefers-color-scheme:dark){body{background:#0f1216;color:#e3e7ec}pre{background:#171b21}td,th,img,.pager{border-color:#2c333c}a{color:#6d9be0}mark{background:#6b5d12;color:#fff}}`;

/** Options of the docs app. */
export interface DocsAppOptions {
  /** The rendered pages (default: docs/*.md as rendered by npm run docs:build). */
  pages?: DocPage[];
  /** Images by file name, base64 (default: docs/screenshots/*.png). */
  images?: Record<string, string>;
}

function sidebar(pages: DocPage[], current: string) {
  const sections = [...new Set(pages.map((p) => p.section))];
  return sections.map((s) => html`<h2>${s}</h2>${pages.filter((p) => p.section === s).map((p) => html`<a href="${pagePath(p.slug)}"${p.slug === current ? html` class="on" aria-current="page"` : ''}>${p.title}</a>`)}`);
}

function layout(pages: DocPage[], current: string, title: string, body: ReturnType<typeof html>, query = '') {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} — Kraite docs</title><link rel="stylesheet" href="/static/docs.css"></head>
<body><nav class="side" aria-label="Docs"><strong>Kraite docs</strong><input type="checkbox" id="nav-toggle" class="nav-toggle" aria-label="Show the pages"><label for="nav-toggle" class="nav-open">Pages</label>
<form method="get" action="/search" role="search"><input type="search" name="q" value="${query}" placeholder="Search the docs" aria-label="Search the docs"></form>
<div class="pages">${sidebar(pages, current)}</div></nav>
<main>${body}</main></body></html>`;
}

/** Decodes base64 with what both Node and workerd have (atob), once per image. */
function bytes(base64: string): Uint8Array {
  const s = atob(base64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Builds the docs app. */
export function createDocsApp(options: DocsAppOptions = {}): Hono {
  const pages = options.pages ?? DOCS_PAGES;
  const images = options.images ?? DOCS_IMAGES;
  const decoded = new Map<string, Uint8Array>();
  const bySlug = new Map(pages.map((p) => [p.slug, p]));
  const app = new Hono();
  app.use('*', securityHeaders({ defaultSrc: ["'self'"], scriptSrc: ["'none'"], styleSrc: ["'self'"], imgSrc: ["'self'"], baseUri: ["'none'"] }));
  app.use('*', async (c, next) => {
    await next();
    if (c.res.status === 200 && !c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'public, max-age=300');
  });

  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/static/docs.css', (c) => c.body(DOCS_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
  app.get('/screenshots/:name{[a-z0-9-]+\\.png}', (c) => {
    const name = c.req.param('name');
    const data = images[name];
    if (data === undefined) return c.notFound();
    if (!decoded.has(name)) decoded.set(name, bytes(data));
    return c.body(decoded.get(name)!.slice().buffer, 200, { 'Content-Type': 'image/png' });
  });
  app.get('/search.json', (c) => c.json(pages.map((p) => ({ slug: p.slug, title: p.title, headings: p.headings.map((h) => h.text) }))));
  app.get('/search', (c) => {
    const q = (c.req.query('q') ?? '').slice(0, 200);
    const hits = searchDocs(pages, q);
    return c.html(layout(pages, '', `Search: ${q}`, html`<h1>Search</h1>${q ? html`<p>${hits.length} page${hits.length === 1 ? '' : 's'} match “${q}”.</p>` : html`<p>Type words to find.</p>`}
${q && hits.length === 0 ? html`<p class="hint">Try fewer or shorter words: every word must be on the page. Hyphens, underscores and colons count as spaces (<code>stop-loss</code> finds “stop loss”), and case does not matter. Or browse: ${pages.map((p, i) => html`${i ? ', ' : ''}<a href="${pagePath(p.slug)}">${p.title}</a>`)}.</p>` : ''}
${hits.map((h) => html`<div class="hit"><a href="${pagePath(h.slug)}">${h.title}</a><br>${raw(h.snippet)}</div>`)}`, q));
  });
  app.get('/:slug{[a-z0-9-]+}', (c) => {
    const slug = c.req.param('slug');
    const p = slug === 'index' ? undefined : bySlug.get(slug);
    if (!p) return c.notFound();
    return c.html(docPage(pages, p));
  });
  app.get('/', (c) => c.html(docPage(pages, bySlug.get('index') ?? pages[0]!)));
  app.notFound((c) => c.html(layout(pages, '', 'Not found', html`<h1>Not found</h1><p>No such page. <a href="/">Start at the overview</a> or search.</p>`), 404));
  return app;
}

function docPage(pages: DocPage[], p: DocPage) {
  const toc = p.headings.filter((h) => h.level === 2);
  const at = pages.indexOf(p);
  const prev = pages[at - 1];
  const next = pages[at + 1];
  const pager = html`<nav class="pager" aria-label="Previous and next page">${prev ? html`<a class="prev" rel="prev" href="${pagePath(prev.slug)}">← ${prev.title}</a>` : ''}${next ? html`<a class="next" rel="next" href="${pagePath(next.slug)}">${next.title} →</a>` : ''}</nav>`;
  const contents = toc.length > 1 ? html`<p class="toc">On this page: ${toc.map((h, i) => html`${i ? ' · ' : ''}<a href="#${h.id}">${h.text}</a>`)}</p>` : '';
  // The contents go under the page's title (the first </h1>), or first when a page has none.
  const cut = p.html.indexOf('</h1>') + 5;
  return layout(pages, p.slug, p.title, html`${raw(p.html.slice(0, cut > 4 ? cut : 0))}${contents}${raw(p.html.slice(cut > 4 ? cut : 0))}${pager}`);
}
