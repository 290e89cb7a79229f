// A small status app served by every fleet process with a web role: health, and a page that shows
// the fleet (every box's liveness from the shared heartbeats, every physical queue of the
// topology) and what this process itself runs. pheme consumes no queue and runs no daemon, so a
// page of its own share alone showed nothing of the fleet it is the window on.
import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { securityHeaders, STRICT_CSP } from '../security-headers.ts';

/** One box of the topology as its heartbeats show it. */
export interface FleetBoxStatus {
  box: string;
  /** Its own `kraite run` process beat within the heartbeat limit. */
  alive: boolean;
  /** Newest beat of its own process, or null when it never beat. */
  lastBeatAt: number | null;
  /** Every process beating for the box (its own, and standalone daemons such as mark-price). */
  processes: { worker: string; version: string; at: number; runs: string[] }[];
}

/** What the status page shows. */
export interface StatusReport {
  boxes: string[];
  mode: { store: string; queue: string };
  consumers: { queue: string; concurrency: number; waiting: number; active: number; oldestWaitingMs: number | null }[];
  dispatcher: { ticks: number; dispatched: number; groupFailures: number } | null;
  steps: Record<string, Partial<Record<string, number>>>;
  events: { at: number; severity: string; message: string }[];
  /** The fleet: null where no heartbeats are shared (a process built without edge services). */
  fleet?: { at: number; heartbeatStaleMs: number; boxes: FleetBoxStatus[]; queues: { queue: string; waiting: number; active: number; oldestWaitingMs: number | null }[] } | null;
}

const age = (now: number, at: number | null) => (at === null ? 'never' : `${Math.round((now - at) / 1000)} s ago`);

/** The other apps of this process, linked from the page once they listen. */
export interface StatusLinks {
  admin?: string;
  console?: string;
  docs?: string;
}

/** Builds the status app over a report source: the page (/), its JSON (/status.json) and /health; `links` is read at each request. */
export function createStatusApp(report: () => Promise<StatusReport>, links: () => StatusLinks = () => ({})): Hono {
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
    const f = r.fleet;
    const l = links();
    const open = [
      l.console && html`<a href="${l.console}/">the console</a> (traders: positions, orders, settings)`,
      l.admin && html`<a href="${l.admin}/">the admin</a> (operators: steps, accounts, symbols, regime)`,
      l.docs && html`<a href="${l.docs}/">the docs</a>`,
    ].filter(Boolean);
    const nav = open.length ? html`<nav><p>Open ${open.map((a, i) => html`${i ? ' · ' : ''}${a}`)}</p></nav>` : '';
    const fleet = f
      ? html`<h2>Fleet</h2><table><tr><th>box</th><th>state</th><th>last beat</th><th>processes</th></tr>${f.boxes.map((b) => html`<tr><td>${b.box}</td><td>${b.alive ? 'up' : 'DOWN'}</td><td>${age(f.at, b.lastBeatAt)}</td><td>${b.processes.map((p) => `${p.worker} v${p.version} (${p.runs.join(', ')}, ${age(f.at, p.at)})`).join('; ') || '—'}</td></tr>`)}</table>
<p>A box is down when its own process has not beaten for ${Math.round(f.heartbeatStaleMs / 1000)} s.</p>
<h2>Fleet queues</h2><table><tr><th>queue</th><th>waiting</th><th>active</th><th>oldest waiting ms</th></tr>${f.queues.map((q) => html`<tr><td>${q.queue}</td><td>${q.waiting}</td><td>${q.active}</td><td>${q.oldestWaitingMs ?? '—'}</td></tr>`)}</table>`
      : '';
    return c.html(html`<!doctype html><html><head><meta charset="utf-8"><title>Kraite — ${r.boxes.join(', ')}</title>
<meta http-equiv="refresh" content="2"><style>body{font:14px system-ui;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}</style></head>
<body><h1>Kraite fleet</h1>${nav}${fleet}<h2>This process</h2><p>Boxes: ${r.boxes.join(', ')} · store: ${r.mode.store} · queue: ${r.mode.queue}</p>
<h3>Queues it consumes</h3>${r.consumers.length ? html`<table><tr><th>queue</th><th>concurrency</th><th>waiting</th><th>active</th><th>oldest waiting ms</th></tr>${rows}</table>` : raw('<p>none</p>')}
<h3>Dispatcher</h3><p>${r.dispatcher ? `ticks ${r.dispatcher.ticks}, dispatched ${r.dispatcher.dispatched}, group failures ${r.dispatcher.groupFailures}` : 'not on this process'}</p>
<h2>Steps</h2><table>${steps}</table><h2>Recent events</h2><ul>${events.length ? events : raw('<li>none</li>')}</ul></body></html>`);
  });
  return app;
}
