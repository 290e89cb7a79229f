// The Cloudflare Workers entry for the web apps that can run on an edge runtime. Today it serves
// health only; the marketing and docs sites mount here as they land (see wrangler.toml).
import { Hono } from 'hono';

/** The Workers app. */
export const app = new Hono();
app.get('/health', (c) => c.json({ ok: true, runtime: 'workers' }));

export default app;
