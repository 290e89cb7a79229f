// A small status app served by every fleet process until the admin lands: health, and a page that
// shows what this process runs and how its steps and queues are doing.
import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { securityHeaders, STRICT_CSP } from '../security-headers.ts';

/** What the status page shows. */
export interface StatusReport {
  boxes: string[];
  mode: { store: string; queue: string };
  consumers: { queue: string; concurrency: number; waiting: number; active: number; oldestWaitingMs: number | null }[];
  dispatcher: { ticks: number; dispatched: number; groupFailures: number } | null;
  steps: Record<string, Partial<Record<string, number>>>;
  events: { at: number; severity: string; message: string }[];
}

/** Builds the status app over a report source. */
export function createStatusApp(report: () => Promise<StatusReport>): Hono {
  const app = new Hono();
  // The page's one <style> is inline; it runs no script.
  app.use('*', securityHeaders({ ...STRICT_CSP, scriptSrc: ["'none'"], styleSrc: ["'unsafe-inline'"] }));
  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/status.json', async (c) => c.json(await report()));
  app.get('/', async (c) => {
    const r = await report();
    const rows = r.consumers.map((q) => html`<tr><td>${q.queue}</td><td>${q.concurrency}</td><td>${q.waiting}</td><td>${q.active}</td><td>${q.oldestWaitingMs ?? '—'}</td></tr>`);
    const steps = Object.entries(r.steps).map(([set, counts]) => html`<tr><td>${set}</td><td>${Object.entries(counts).map(([s, n]) => `${s}: ${n}`).join(', ') || 'none'}</td></tr>`);
    const events = r.events.map((e) => html`<li>${new Date(e.at).toISOString()} [${e.severity}] ${e.message}</li>`);
    return c.html(html`<!doctype html><html><head><meta charset="utf-8"><title>Kraite — ${r.boxes.join(', ')}</title>
<meta http-equiv="refresh" content="2"><style>body{font:14px system-ui;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}</style></head>
<body><h1>Kraite fleet process</h1><p>Boxes: ${r.boxes.join(', ')} · store: ${r.mode.store} · queue: ${r.mode.queue}</p>
<h2>Queues</h2><table><tr><th>queue</th><th>concurrency</th><th>waiting</th><th>active</th><th>oldest waiting ms</th></tr>${rows}</table>
<h2>Dispatcher</h2><p>${r.dispatcher ? `ticks ${r.dispatcher.ticks}, dispatched ${r.dispatcher.dispatched}, group failures ${r.dispatcher.groupFailures}` : 'not on this process'}</p>
<h2>Steps</h2><table>${steps}</table><h2>Recent events</h2><ul>${events.length ? events : raw('<li>none</li>')}</ul></body></html>`);
  });
  return app;
}
