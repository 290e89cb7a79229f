// The Cloudflare Workers entry (wrangler.toml): the marketing site and the docs site, chosen by host
// name (docs.* → docs, anything else → the marketing site). The admin and console stay on Node.
import { Hono } from 'hono';
import { createDocsApp } from '../docs/docs-app.ts';
import { createSiteApp } from '../site/site-app.ts';

const site = createSiteApp();
const docs = createDocsApp();

/** The Workers app. */
export const app = new Hono();
app.get('/health', (c) => c.json({ ok: true, runtime: 'workers' }));
app.all('*', (c) => (new URL(c.req.url).hostname.startsWith('docs.') ? docs : site).fetch(c.req.raw));

export default app;
