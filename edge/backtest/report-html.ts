// The report as one self-contained HTML file: summary, per-symbol figures, trades and the equity
// curve drawn with lightweight-charts (the console's chart library), its standalone build inlined
// so the file opens anywhere, offline, with nothing beside it.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BacktestReport, Summary } from './report.ts';

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (x: number | null, digits = 2) => (x === null ? '–' : Number.isFinite(x) ? x.toFixed(digits) : '∞');
const money = (s: string) => Number(s).toFixed(4);
const time = (t: number | null) => (t === null ? '–' : new Date(t).toISOString().replace('T', ' ').slice(0, 16));

/** The standalone build of lightweight-charts (defines window.LightweightCharts). */
export async function chartLibrarySource(): Promise<string> {
  const require = createRequire(import.meta.url);
  return readFile(join(dirname(require.resolve('lightweight-charts/package.json')), 'dist', 'lightweight-charts.standalone.production.js'), 'utf8');
}

/** Rows of the summary table: one label and the figure from a Summary. */
export const SUMMARY_ROWS: Array<[string, (s: Summary) => string]> = [
  ['trades (closed)', (s) => String(s.trades)],
  ['win rate', (s) => (s.winRate === null ? '–' : `${(s.winRate * 100).toFixed(1)} %`)],
  ['net PnL', (s) => money(s.netPnl)],
  ['gross PnL', (s) => money(s.grossPnl)],
  ['fees', (s) => money(s.fees)],
  ['funding', (s) => money(s.funding)],
  ['profit factor', (s) => num(s.profitFactor)],
  ['max drawdown', (s) => `${Number(s.maxDrawdown).toFixed(2)} (${s.maxDrawdownPct.toFixed(2)} %)`],
  ['Sharpe (hourly, annualised)', (s) => num(s.sharpe)],
  ['Sortino (hourly, annualised)', (s) => num(s.sortino)],
  ['exposure time', (s) => `${(s.exposure * 100).toFixed(1)} %`],
  ['worst loss reached / frozen', (s) => (s.worstLossVsFrozen === null ? '–' : `${(s.worstLossVsFrozen * 100).toFixed(1)} %`)],
  ['liquidation distance at the worst point', (s) => (s.liquidationDistanceAtWorstPct === null ? '–' : `${s.liquidationDistanceAtWorstPct.toFixed(1)} %`)],
];

/** The summary and per-symbol tables as HTML (shared with the admin's Backtests page). */
export function summaryTable(report: Pick<BacktestReport, 'total' | 'perSymbol'>): string {
  const symbols = Object.keys(report.perSymbol);
  const head = `<tr><th></th><th>total</th>${symbols.map((s) => `<th>${esc(s)}</th>`).join('')}</tr>`;
  const rows = SUMMARY_ROWS.map(([label, f]) => `<tr><th>${esc(label)}</th><td>${esc(f(report.total))}</td>${symbols.map((s) => `<td>${esc(f(report.perSymbol[s]!))}</td>`).join('')}</tr>`);
  return `<table class="summary">${head}${rows.join('')}</table>`;
}

/** The trades table as HTML (shared with the admin's Backtests page). */
export function tradesTable(report: Pick<BacktestReport, 'trades'>): string {
  const head = '<tr><th>#</th><th>symbol</th><th>dir</th><th>opened</th><th>closed</th><th>entry</th><th>rungs filled</th><th>exit</th><th>closing price</th><th>gross</th><th>fees</th><th>funding</th><th>net</th><th>worst loss reached / frozen</th></tr>';
  const rows = report.trades.map((t) => `<tr><td>${t.id}</td><td>${esc(t.symbol)}</td><td>${esc(t.direction)}</td><td>${time(t.openedAt)}</td><td>${time(t.closedAt)}</td>`
    + `<td>${esc(t.entryPrice ?? '–')}</td><td>${t.rungsFilled}/${t.rungs}</td><td>${esc(t.exitReason ?? t.status)}</td><td>${esc(t.closingPrice ?? '–')}</td>`
    + `<td>${money(t.grossPnl)}</td><td>${money(t.fees)}</td><td>${money(t.funding)}</td><td class="${Number(t.netPnl) >= 0 ? 'up' : 'down'}">${money(t.netPnl)}</td>`
    + `<td>${Number(t.worstLossReached).toFixed(2)} / ${t.worstCaseLoss === null ? '–' : Number(t.worstCaseLoss).toFixed(2)}</td></tr>`);
  return `<table class="trades">${head}${rows.join('')}</table>`;
}

/** The equity chart's script: draws [[ms, equity]] into #equity with window.LightweightCharts. */
export function equityScript(equity: BacktestReport['equity']): string {
  const data = JSON.stringify(equity.map(([t, v]) => [Math.floor(t / 1000), v])).replace(/</g, '\\u003c');
  return `(function(){var L=window.LightweightCharts,el=document.getElementById('equity');if(!L||!el)return;`
    + `var c=L.createChart(el,{autoSize:true,layout:{attributionLogo:false},timeScale:{timeVisible:true}});`
    + `var s=c.addSeries(L.LineSeries,{lineWidth:2});var seen={};s.setData(${data}.filter(function(d){if(seen[d[0]])return false;seen[d[0]]=1;return true;}).map(function(d){return{time:d[0],value:d[1]};}));`
    + `c.timeScale().fitContent();el.setAttribute('data-points',String(s.data().length));})();`;
}

/** The whole page. */
export function reportHtml(report: BacktestReport, chartLibrary: string): string {
  const settings = Object.entries(report.settings).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === 'object' ? JSON.stringify(v) : v)}</td></tr>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kraite backtest ${esc(report.range.from.slice(0, 10))} – ${esc(report.range.to.slice(0, 10))}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#1b1f24}table{border-collapse:collapse;margin:1rem 0}th,td{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:right}th{text-align:left}.up{color:#14804a}.down{color:#c0392b}#equity{height:360px;max-width:1100px}</style>
</head><body><h1>Kraite backtest</h1>
<p>${esc(report.range.from)} → ${esc(report.range.to)}, ${report.range.candles} candles; balance ${esc(report.startingBalance)} → ${Number(report.finalBalance).toFixed(4)}</p>
<h2>Equity</h2><div id="equity"></div>
<h2>Summary</h2>${summaryTable(report)}
<h2>Settings</h2><table>${settings}</table>
<h2>Trades</h2>${tradesTable(report)}
${report.alerts.length ? `<h2>Alerts</h2><ul>${report.alerts.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>` : ''}
<script>${chartLibrary.replace(/<\/script/gi, '<\\/script')}</script>
<script>${equityScript(report.equity)}</script>
</body></html>
`;
}
