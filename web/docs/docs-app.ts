// The docs site: the operator documentation (docs/*.md) rendered with navigation, an in-page table
// of contents and search (server-side, so it works without script). No session, no state: pages
// are rendered once at start and served with a cache header, on Node and on Workers alike.
import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { securityHeaders } from '../security-headers.ts';
import { DOCS_SOURCES } from './docs-content.generated.ts';
import { buildDocs, searchDocs, type DocPage } from './docs-site.ts';

/** The stylesheet served at /static/docs.css. */
export const DOCS_CSS = `body{font:15px/1.55 system-ui,sans-serif;margin:0;color:#1b1f24;display:grid;grid-template-columns:15rem 1fr;min-height:100vh}
nav.side{background:#1b1f24;color:#cfd6df;padding:1rem}nav.side a{color:#cfd6df;display:block;padding:.2rem 0;text-decoration:none}nav.side a.on{color:#fff;font-weight:600}
nav.side form{margin:1rem 0}nav.side input{width:100%}main{padding:1.5rem 2.5rem;max-width:52rem}
table{border-collapse:collapse}td,th{border:1px solid #d5d9df;padding:3px 8px;text-align:left;vertical-align:top}
pre{background:#f0f2f5;padding:.6rem;overflow:auto}code{font:13px ui-monospace,monospace}.toc{font-size:13px;color:#6b7480}
mark{background:#fff1a8}.hit{margin:1rem 0}
main{min-width:0;box-sizing:border-box;overflow-wrap:anywhere}table{display:block;max-width:100%;overflow-x:auto}pre{max-width:100%}
@media (max-width:720px){body{grid-template-columns:1fr}nav.side a{display:inline-block;margin-right:.8rem}main{padding:1rem}}
@media (prefers-color-scheme:dark){body{background:#0f1216;color:#e3e7ec}pre{background:#171b21}td,th{border-color:#2c333c}a{color:#6d9be0}mark{background:#6b5d12;color:#fff}}`;

/** Options of the docs app. */
export interface DocsAppOptions {
  /** Markdown by slug (default: the bundled docs/*.md). */
  sources?: Record<string, string>;
}

function layout(pages: DocPage[], current: string, title: string, body: ReturnType<typeof html>, query = '') {
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} — Kraite docs</title><link rel="stylesheet" href="/static/docs.css"></head>
<body><nav class="side"><strong>Kraite docs</strong>
<form method="get" action="/search" role="search"><input type="search" name="q" value="${query}" placeholder="Search the docs" aria-label="Search the docs"></form>
${pages.map((p) => html`<a href="${p.slug === 'index' ? '/' : `/${p.slug}`}"${p.slug === current ? html` class="on"` : ''}>${p.title}</a>`)}</nav>
<main>${body}</main></body></html>`;
}

/** Builds the docs app. */
export function createDocsApp(options: DocsAppOptions = {}): Hono {
  const pages = buildDocs(options.sources ?? DOCS_SOURCES);
  const bySlug = new Map(pages.map((p) => [p.slug, p]));
  const app = new Hono();
  app.use('*', securityHeaders({ defaultSrc: ["'self'"], scriptSrc: ["'none'"], styleSrc: ["'self'"], baseUri: ["'none'"] }));
  app.use('*', async (c, next) => {
    await next();
    if (c.res.status === 200 && !c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'public, max-age=300');
  });

  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/static/docs.css', (c) => c.body(DOCS_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
  app.get('/search.json', (c) => c.json(pages.map((p) => ({ slug: p.slug, title: p.title, headings: p.headings.map((h) => h.text) }))));
  app.get('/search', (c) => {
    const q = (c.req.query('q') ?? '').slice(0, 200);
    const hits = searchDocs(pages, q);
    return c.html(layout(pages, '', `Search: ${q}`, html`<h1>Search</h1>${q ? html`<p>${hits.length} page${hits.length === 1 ? '' : 's'} match “${q}”.</p>` : html`<p>Type words to find.</p>`}
${q && hits.length === 0 ? html`<p class="hint">Try fewer or shorter words: every word must be on the page. Hyphens, underscores and colons count as spaces (<code>stop-loss</code> finds “stop loss”), and case does not matter. Or browse: ${pages.map((p, i) => html`${i ? ', ' : ''}<a href="${p.slug === 'index' ? '/' : `/${p.slug}`}">${p.title}</a>`)}.</p>` : ''}
${hits.map((h) => html`<div class="hit"><a href="${h.slug === 'index' ? '/' : `/${h.slug}`}">${h.title}</a><br>${raw(h.snippet)}</div>`)}`, q));
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
  return layout(pages, p.slug, p.title, html`${toc.length > 1 ? html`<p class="toc">On this page: ${toc.map((h, i) => html`${i ? ' · ' : ''}<a href="#${h.id}">${h.text}</a>`)}</p>` : ''}${raw(p.html)}`);
}
