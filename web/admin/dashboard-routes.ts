// The dashboard (GET /, trading first, then the machinery; live over SSE, a refresh link without script), its JSON (GET /api/dashboard)
// and who-am-I (GET /api/me).
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { AdminDeps, AdminEnv } from './admin-deps.ts';
import { dashboardData, type DashboardData } from './dashboard-data.ts';
import { pausePanel } from './control-routes.ts';
import { ago, badge, duration, money, notReported, utc } from './format.ts';
import { queueMetrics, queueMetricsPanel } from './queue-metrics.ts';
import { tradingSummary, type TradingSummary } from './trading-summary.ts';
import { page, type Markup } from './layout.ts';
import { CHART_SCRIPTS } from '../assets/asset-routes.ts';
import { chart } from '../assets/chart-markup.ts';
import { minuteSeries, perMinute, toChart } from './minute-series.ts';

function queuesPanel(d: DashboardData): Markup {
  const rows = d.queues.map((q) => html`<tr><td>${q.queue}</td><td>${q.concurrency || '—'}</td><td>${q.waiting}</td><td>${q.active}</td><td>${q.delayed}</td><td>${duration(q.oldestWaitingMs)}</td></tr>`);
  return html`<section class="panel" id="queues"><h2>Queues</h2><table><tr><th>physical queue</th><th>consumed here ×</th><th>waiting</th><th>active</th><th>delayed</th><th>oldest job</th></tr>${rows}</table></section>`;
}

function dispatcherPanel(d: DashboardData): Markup {
  const local = d.dispatcher
    ? html`<p>Local daemon: ${d.dispatcher.ticks} ticks, ${d.dispatcher.dispatched} dispatched, ${d.dispatcher.groupFailures} group failures; last tick ${ago(d.dispatcher.lastTickAt, d.at)}.</p>`
    : html`<p class="muted">The dispatch daemon runs on another box.</p>`;
  const rows = d.saturation.map((s) => html`<tr><td>${s.set}</td><td>${s.ticks}</td><td>${s.dispatched}</td><td>${s.capped}</td><td>${s.ticks ? `${Math.round((100 * s.capped) / s.ticks)} %` : '—'}</td></tr>`);
  const points = minuteSeries(d.saturation.flatMap((s) => s.perMinute.map((m) => ({ at: m.minute, value: m.dispatched }))), d.at);
  return html`<section class="panel"><h2>Dispatcher saturation (last hour)</h2>${local}
<table><tr><th>set</th><th>ticks</th><th>dispatched</th><th>capped ticks</th><th>saturation</th></tr>${rows}</table>${chart('bars', 'dispatched per minute', toChart(points), { attrs: { tone: '--accent' }, size: 'short' })}</section>`;
}

function stepsPanel(d: DashboardData): Markup {
  const rows = Object.entries(d.steps).map(([set, counts]) => html`<tr><td>${set}</td><td>${Object.entries(counts).map(([state, n]) => html`${badge(state)} ${n} `)}</td></tr>`);
  const done = perMinute(d.completedAt, d.at);
  const failed = perMinute(d.failedAt, d.at);
  const lastMinute = done.at(-2)?.value ?? 0;
  return html`<section class="panel"><h2>Steps</h2><table><tr><th>set</th><th>by state</th></tr>${rows}</table>
<p>Last full minute: ${lastMinute} completed, ${failed.at(-2)?.value ?? 0} failed; last hour: ${d.completedAt.length} completed, <a href="/steps?state=failed">${d.failedAt.length} failed</a>.</p>
${chart('bars', 'steps completed per minute (bars), failed (line)', toChart(done), { attrs: { tone: '--accent' }, extra: [{ title: 'failed', series: toChart(failed) }], size: 'short' })}</section>`;
}

function streamsPanel(d: DashboardData): Markup {
  if (!d.streams.length) return html`<section class="panel"><h2>Streams</h2><p class="muted">No accounts yet.</p></section>`;
  const rows = d.streams.map((s) => html`<tr><td><a href="/accounts">${s.name}</a></td><td>${s.tradingEnabled ? 'on' : 'off'}</td><td>${ago(s.lastFrameAt, d.at)}</td><td>${badge(s.stale ? 'stale' : 'ok')}</td></tr>`);
  return html`<section class="panel"><h2>Streams (user data)</h2><table><tr><th>account</th><th>trading</th><th>last frame</th><th>health</th></tr>${rows}</table></section>`;
}

function marksPanel(d: DashboardData): Markup {
  const m = d.markPrices;
  return html`<section class="panel"><h2>Mark prices</h2>${m.symbols
    ? html`<p>${m.symbols} symbols: ${m.fresh} fresh, ${m.stale} stale, ${m.never} never priced; oldest price ${ago(m.oldestAt, d.at)}.</p>`
    : html`<p class="muted">No symbols yet.</p>`}</section>`;
}

function eventsPanel(d: DashboardData): Markup {
  const items = d.events.map((e) => html`<li>${utc(e.at)} ${badge(e.severity)} ${e.message}</li>`);
  return html`<section class="panel wide"><h2>Recent events</h2>${items.length ? html`<ul>${items}</ul>` : html`<p class="muted">None.</p>`}</section>`;
}

function heartbeatPanel(d: DashboardData): Markup {
  if (d.heartbeats === null) return notReported('Fleet heartbeat', 'per-box last seen, version and processes arrive with the heartbeat reporter.');
  if (!d.heartbeats.length) return html`<section class="panel"><h2>Fleet heartbeat</h2><p class="muted">No box has reported yet.</p></section>`;
  const rows = d.heartbeats.map((b) => html`<tr><td>${b.box}</td><td>${badge(b.stale ? 'stale' : 'ok')} ${ago(b.at, d.at)}</td><td>${b.version}</td><td>${b.processes.join(', ') || '—'}</td><td>${b.consumers}</td><td>${b.worker}</td></tr>`);
  return html`<section class="panel"><h2>Fleet heartbeat</h2><table><tr><th>box</th><th>last seen</th><th>version</th><th>processes</th><th>consumer slots</th><th>process</th></tr>${rows}</table></section>`;
}

function governorPanel(d: DashboardData): Markup {
  const g = d.governor;
  if (!g) return notReported('Exchange weight', 'weight used per egress IP and bans arrive when the governor reports to the store.');
  const ips = g.ips.map((ip) => html`<tr><td>${ip.ip}</td><td>${ip.used} / ${ip.budget}</td><td>${Math.round((100 * ip.used) / Math.max(1, ip.budget))} %</td><td>${ip.waits}</td>
<td>${ip.bannedUntil ? html`${badge('banned')} until ${utc(ip.bannedUntil)}` : ip.pausedUntil ? html`${badge('paused')} until ${utc(ip.pausedUntil)}` : badge('ok')}</td></tr>`);
  const accounts = g.accounts.map((a) => html`<tr><td>${a.account}</td><td>${a.used10s} / ${a.budget10s}</td><td>${a.used1m} / ${a.budget1m}</td><td>${a.waits}</td></tr>`);
  return html`<section class="panel"><h2>Exchange weight</h2>${ips.length ? html`<table><tr><th>egress IP</th><th>weight this minute</th><th>used</th><th>waits</th><th>state</th></tr>${ips}</table>` : html`<p class="muted">No exchange calls yet.</p>`}
${accounts.length ? html`<table><tr><th>account</th><th>orders 10 s</th><th>orders 1 min</th><th>waits</th></tr>${accounts}</table>` : ''}</section>`;
}

function regimePanel(d: DashboardData): Markup {
  const r = d.regime;
  if (!r) return notReported('Market regime', 'score, band, cooldown and override arrive with the regime worker.');
  return html`<section class="panel"><h2>Market regime</h2><p>${badge(r.band)} score ${r.score} for the hour of ${utc(r.periodAt)} (computed ${ago(r.computedAt, d.at)})</p>
<p>Cooldown: ${r.cooldownUntil ? `until ${utc(r.cooldownUntil)}` : 'none'}</p>
<p>Override: ${r.override ? html`<strong>${r.override.mode}</strong> until ${utc(r.override.until)} by ${r.override.by}: ${r.override.reason}` : 'none'}</p></section>`;
}

function tradingPanels(t: TradingSummary, failedStepsLastHour: number, now: number): Markup {
  const states = Object.entries(t.byState);
  return html`<section class="panel" id="trading"><h2>Trading</h2><table class="figures">
<tr><th>open positions</th><td><a href="/positions?status=open">${t.open}</a></td></tr>
<tr><th>exposure at mark</th><td>${t.exposure} USDT${t.unpriced ? html` <span class="muted">(${t.unpriced} not priced yet)</span>` : ''}</td></tr>
<tr><th>unrealised PnL</th><td>${money(t.unrealizedPnl)}</td></tr>
<tr><th>realized net PnL today (UTC)</th><td>${money(t.realizedToday)} <span class="muted">${t.closedToday} closed</span></td></tr>
<tr><th>failures, last hour</th><td><a href="/steps?state=failed">${failedStepsLastHour} steps</a> · ${t.failedPositionsLastHour} positions</td></tr></table>
<p>Positions by state: ${states.length ? states.map(([s, n]) => html`<a href="/positions?status=${s}">${badge(s)} ${n}</a> `) : html`<span class="muted">none today</span>`}</p></section>
<section class="panel" id="balances"><h2>Balances</h2>${t.balances.length ? html`<div class="scroll"><table><tr><th>account</th><th>balance</th><th>available</th><th>unrealised</th><th>taken</th></tr>${t.balances.map((b) => html`<tr><td><a href="/positions?account=${b.accountId}">${b.name}</a></td><td class="num">${b.balance} ${b.asset}</td><td class="num">${b.available}</td><td>${money(b.unrealizedPnl, b.asset)}</td><td>${ago(b.takenAt, now)}</td></tr>`)}</table></div>
${t.balances.slice(0, 4).map((b) => chart('line', `${b.name}: equity over the last day (${b.asset})`, b.equity, { size: 'short' }))}` : html`<p class="muted">No balance snapshot yet (taken every five minutes).</p>`}</section>`;
}

/** Dashboard and who-am-I routes. */
export function dashboardRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get('/', async (c) => {
    const d = await dashboardData(deps.fleet, deps.clock);
    const [trading, metrics] = await Promise.all([tradingSummary(deps.fleet.store, d.at), queueMetrics(deps.fleet.store, d.at)]);
    return c.html(page({
      title: 'Dashboard', session: c.get('session'), current: '/', live: true, scripts: CHART_SCRIPTS,
      body: html`<h1>Dashboard</h1><p class="muted">Signed in as <strong>${c.get('session').username}</strong> · boxes ${d.info.boxes.join(', ')} · store ${d.info.mode.store} · queue ${d.info.mode.queue} · ${utc(d.at)} UTC · <a href="/" class="refresh">refresh</a></p>
<div class="grid">${tradingPanels(trading, d.failedAt.length, d.at)}${await pausePanel(deps, c.get('session'))}
${queueMetricsPanel(metrics)}
${heartbeatPanel(d)}
${queuesPanel(d)}${dispatcherPanel(d)}${stepsPanel(d)}${streamsPanel(d)}${marksPanel(d)}
${governorPanel(d)}
${regimePanel(d)}
${eventsPanel(d)}</div>`,
    }));
  });
  app.get('/api/dashboard', async (c) => c.json(await dashboardData(deps.fleet, deps.clock)));
  app.get('/api/me', (c) => c.json({ username: c.get('session').username }));
  return app;
}
