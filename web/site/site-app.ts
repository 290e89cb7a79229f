// The marketing site (kraite.com): one static page, a stylesheet and health. No session, no state,
// no script; the same app serves on Node and on Workers.
import { Hono } from 'hono';
import { html } from 'hono/html';
import { securityHeaders } from '../security-headers.ts';

/** The stylesheet served at /static/site.css. */
export const SITE_CSS = `body{font:17px/1.6 system-ui,sans-serif;margin:0;color:#1b1f24}
header{background:#1b1f24;color:#fff;padding:3rem 2rem}header h1{font-size:2.4rem;margin:0 0 .5rem}header p{color:#cfd6df;max-width:40rem}
header a{color:#fff}section{padding:2rem;max-width:60rem}.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem}
.card{border:1px solid #d5d9df;padding:1rem}.card h3{margin-top:0}footer{padding:2rem;color:#6b7480;font-size:14px}code{font:14px ui-monospace,monospace;background:#f0f2f5;padding:0 .2rem}`;

/** Options of the marketing site. */
export interface SiteAppOptions {
  /** Where the docs live (default https://docs.kraite.com). */
  docsUrl?: string;
}

const FEATURES: { title: string; text: string }[] = [
  { title: 'Protected from the first order', text: 'Every position opens as one durable block: the whole DCA ladder is simulated before anything is placed, and the stop-loss is placed before the take-profit.' },
  { title: 'Durable steps, not hopeful jobs', text: 'Each unit of work is a row with its state, attempts, timings and errors. A worker can die mid-flight; its steps are recovered without a duplicate order.' },
  { title: 'In step with the exchange', text: 'The user-data stream updates orders in well under 100 ms; a poll reconciles anything missed. Take-profits are re-priced from the exchange break-even whenever a rung fills.' },
  { title: 'Within every rate limit', text: 'Exchange weight is metered per egress IP and spread by headroom across the trading workers, so bursts finish without a 429.' },
  { title: 'Operators see everything', text: 'An admin with the fleet dashboard, a step browser with whole step trees, positions with intent beside the exchange echo, and a read-only SQL console.' },
  { title: 'Runs anywhere', text: 'One command runs the whole fleet in one process on a laptop; the same code runs one box per process against MySQL and Redis.' },
];

/** Builds the marketing site. */
export function createSiteApp(options: SiteAppOptions = {}): Hono {
  const docs = options.docsUrl ?? 'https://docs.kraite.com';
  const app = new Hono();
  app.use('*', securityHeaders({ defaultSrc: ["'self'"], scriptSrc: ["'none'"], styleSrc: ["'self'"], baseUri: ["'none'"] }));
  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/static/site.css', (c) => c.body(SITE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }));
  app.get('/', (c) => c.html(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Kraite — automated trading for Binance USDⓈ-M futures</title><meta name="description" content="Kraite opens, protects, re-prices and closes futures positions for you, with every step on record.">
<link rel="stylesheet" href="/static/site.css"></head><body>
<header><h1>Kraite</h1><p>Automated trading for Binance USDⓈ-M perpetual futures: positions opened with a full DCA ladder, protected by a stop before anything else, re-priced as they fill, and closed cleanly — with every step on record.</p>
<p><a href="${docs}">Read the documentation</a></p></header>
<section><h2>Why Kraite</h2><div class="cards">${FEATURES.map((f) => html`<div class="card"><h3>${f.title}</h3><p>${f.text}</p></div>`)}</div></section>
<section><h2>Try it</h2><p><code>npm install &amp;&amp; npm start</code> runs the whole fleet in one process with paper trading. Open the admin URL it prints and sign in with the credentials it shows.</p></section>
<footer>Kraite · <a href="${docs}">Docs</a></footer></body></html>`, 200, { 'Cache-Control': 'public, max-age=300' }));
  app.notFound((c) => c.html(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found — Kraite</title><link rel="stylesheet" href="/static/site.css"></head><body><section><h1>Not found</h1><p><a href="/">Kraite home</a></p></section></body></html>`, 404));
  return app;
}
