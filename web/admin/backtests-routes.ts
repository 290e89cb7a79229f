// Saved backtests (`kraite backtest --save`): GET /backtests lists runs (symbols, range, net PnL,
// drawdown), GET /backtests/:id shows one — its settings, summary total and per symbol, the equity
// curve and every trade. Read-only; the runs themselves happen in the CLI.
import { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { getBacktest, listBacktests, type SavedSummary, type SavedTrade } from '../../core/backtest/saved-backtests.ts';
import { CHART_SCRIPTS } from '../assets/asset-routes.ts';
import { chart, perSecond } from '../assets/chart-markup.ts';
import type { AdminDeps, AdminEnv } from './admin-deps.ts';
import { utc } from './format.ts';
import { page, type Markup } from './layout.ts';

const idParam = z.object({ id: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive') });

const fixed = (v: unknown, d = 2) => (typeof v === 'number' || (typeof v === 'string' && v !== '') ? (Number.isFinite(Number(v)) ? Number(v).toFixed(d) : '∞') : '–');
const pct = (v: unknown, scale = 1) => (v === null || v === undefined ? '–' : `${(Number(v) * scale).toFixed(1)} %`);

/** The summary rows: label and how to print the figure. */
const SUMMARY: Array<[string, (s: SavedSummary) => string]> = [
  ['trades (closed)', (s) => String(s.trades ?? 0)], ['win rate', (s) => pct(s.winRate, 100)], ['net PnL', (s) => fixed(s.netPnl, 4)],
  ['gross PnL', (s) => fixed(s.grossPnl, 4)], ['fees', (s) => fixed(s.fees, 4)], ['funding', (s) => fixed(s.funding, 4)],
  ['profit factor', (s) => fixed(s.profitFactor)], ['max drawdown', (s) => `${fixed(s.maxDrawdown)} (${fixed(s.maxDrawdownPct)} %)`],
  ['Sharpe', (s) => fixed(s.sharpe)], ['Sortino', (s) => fixed(s.sortino)], ['exposure time', (s) => pct(s.exposure, 100)],
  ['worst loss reached / frozen', (s) => pct(s.worstLossVsFrozen, 100)], ['liquidation distance at the worst point', (s) => pct(s.liquidationDistanceAtWorstPct)],
];

// The equity curve through the shared chart markup (drawn by /static/charts.js, like every admin chart).
function equityChart(equity: ReadonlyArray<readonly [number, number]>): Markup {
  if (equity.length < 2) return html`<p class="muted">No equity curve.</p>`;
  const values = equity.map(([, v]) => v);
  const label = `equity ${Math.min(...values).toFixed(2)} – ${Math.max(...values).toFixed(2)}, ${utc(equity[0]![0])} → ${utc(equity.at(-1)![0])} UTC (${equity.length} points)`;
  return chart('line', label, perSecond(equity));
}

function tradeRow(t: SavedTrade): Markup {
  return html`<tr><td>${t.id}</td><td>${t.symbol}</td><td>${t.direction}</td><td>${utc(t.openedAt)}</td><td>${utc(t.closedAt)}</td><td class="num">${t.entryPrice ?? '–'}</td>
<td class="num">${t.rungsFilled}/${t.rungs}</td><td>${t.exitReason ?? t.status}</td><td class="num">${t.closingPrice ?? '–'}</td><td class="num">${fixed(t.grossPnl, 4)}</td>
<td class="num">${fixed(t.fees, 4)}</td><td class="num">${fixed(t.funding, 4)}</td><td class="money ${Number(t.netPnl) >= 0 ? 'up' : 'down'}">${fixed(t.netPnl, 4)}</td>
<td class="num">${fixed(t.worstLossReached)} / ${fixed(t.worstCaseLoss)}</td></tr>`;
}

/** The Backtests pages. */
export function backtestsRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const rows = () => deps.fleet.store;

  app.get('/backtests', async (c) => {
    const runs = await listBacktests(rows());
    return c.html(page({
      title: 'Backtests', session: c.get('session'), current: '/backtests',
      body: html`<h1>Backtests</h1><p class="muted">Runs saved with <code>kraite backtest --save</code> (docs: backtesting).</p>
${runs.length ? html`<table><tr><th>#</th><th>symbols</th><th>from (UTC)</th><th>to (UTC)</th><th>candles</th><th>balance</th><th>net PnL</th><th>max drawdown</th><th>trades</th><th>saved</th></tr>
${runs.map((r) => html`<tr><td><a href="/backtests/${r.id}">${r.id}</a></td><td>${r.symbols}</td><td>${utc(r.from)}</td><td>${utc(r.to)}</td><td class="num">${r.candles}</td>
<td class="num">${fixed(r.startingBalance)} → ${fixed(r.finalBalance)}</td><td class="money ${Number(r.netPnl) >= 0 ? 'up' : 'down'}">${fixed(r.netPnl, 4)}</td>
<td class="num">${fixed(r.report.total.maxDrawdownPct)} %</td><td class="num">${String(r.report.total.trades ?? 0)}</td><td>${utc(r.createdAt)}</td></tr>`)}</table>`
    : html`<p class="muted">No saved backtests yet.</p>`}`,
    }));
  });

  app.get('/backtests/:id', async (c) => {
    const parsed = idParam.safeParse(c.req.param());
    const run = parsed.success ? await getBacktest(rows(), parsed.data.id) : null;
    if (!run) return c.html(page({ title: 'Backtest', session: c.get('session'), current: '/backtests', body: html`<h1>No such backtest</h1><p><a href="/backtests">All backtests</a></p>` }), 404);
    const symbols = Object.keys(run.report.perSymbol);
    return c.html(page({
      title: `Backtest ${run.id}`, session: c.get('session'), current: '/backtests', scripts: CHART_SCRIPTS,
      body: html`<h1>Backtest #${run.id}: ${run.symbols}</h1><p>${utc(run.from)} → ${utc(run.to)} UTC, ${run.candles} candles; balance ${fixed(run.startingBalance)} → ${fixed(run.finalBalance)}</p>
<div class="grid"><section class="panel wide"><h2>Equity</h2>${equityChart(run.report.equity)}</section>
<section class="panel"><h2>Summary</h2><table class="figures"><tr><th></th><th>total</th>${symbols.map((s) => html`<th>${s}</th>`)}</tr>
${SUMMARY.map(([label, f]) => html`<tr><th>${label}</th><td class="num">${f(run.report.total)}</td>${symbols.map((s) => html`<td class="num">${f(run.report.perSymbol[s]!)}</td>`)}</tr>`)}</table></section>
<section class="panel"><h2>Settings</h2><table class="figures">${Object.entries(run.report.settings).map(([k, v]) => html`<tr><th>${k}</th><td>${typeof v === 'object' ? JSON.stringify(v) : String(v)}</td></tr>`)}</table></section>
<section class="panel wide"><h2>Trades (${run.report.trades.length})</h2><table><tr><th>#</th><th>symbol</th><th>dir</th><th>opened</th><th>closed</th><th>entry</th><th>rungs filled</th><th>exit</th><th>closing price</th><th>gross</th><th>fees</th><th>funding</th><th>net</th><th>worst loss reached / frozen</th></tr>
${run.report.trades.map(tradeRow)}</table></section></div>`,
    }));
  });
  return app;
}
