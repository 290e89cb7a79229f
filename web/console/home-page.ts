// The console's home: the profit summary first (per account and in total), balances with their
// chart, cumulative and daily PnL, then the positions with filters, totals, pages and CSV.
import { html, raw } from 'hono/html';
import { z } from 'zod';
import { dec, toDecimalString } from '../../core/exchange/precision.ts';
import type { AccountRow } from '../../core/trading/account.ts';
import type { OrderRow } from '../../core/trading/order.ts';
import type { PositionRow } from '../../core/trading/position.ts';
import { isOpenPosition } from '../../core/trading/statuses.ts';
import { badge, duration, utc } from '../admin/format.ts';
import { toCsv } from '../admin/csv.ts';
import { chart } from '../assets/chart-markup.ts';
import type { Markup } from '../admin/layout.ts';
import type { ConsoleView } from './console-data.ts';
import { amount, money, percentOf, price, tickPlaces } from './money.ts';
import { cumulativeSeries, dailySeries, netOf, profitSummary, unrealizedOf, type ProfitSummary } from './profit-summary.ts';

/** Rows per page of the positions table. */
export const PAGE_SIZE = 25;

/** The positions filters, from the query string; a bad value is named in the error. */
export const positionFilters = z.object({
  status: z.enum(['all', 'open', 'closed', 'cancelled', 'failed'], { error: 'must be all, open, closed, cancelled or failed' }).default('all'),
  symbol: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{0,32}$/, 'must be a symbol like BTCUSDT').default(''),
  from: z.union([z.literal(''), z.iso.date({ error: 'must be a date like 2026-01-31' })]).default(''),
  to: z.union([z.literal(''), z.iso.date({ error: 'must be a date like 2026-01-31' })]).default(''),
  page: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').default(1),
});

/** Parsed filters. */
export type PositionFilters = z.infer<typeof positionFilters>;

/** The positions the filters select (the date filters look at when a position opened, UTC days). */
export function filterPositions(positions: readonly PositionRow[], f: PositionFilters): PositionRow[] {
  const from = f.from ? Date.parse(`${f.from}T00:00:00Z`) : -Infinity;
  const to = f.to ? Date.parse(`${f.to}T00:00:00Z`) + 86_400_000 : Infinity;
  return positions.filter((p) => {
    const at = p.openedAt ?? p.createdAt;
    const status = f.status === 'all' || (f.status === 'open' ? isOpenPosition(p.status) : p.status === f.status);
    return status && (!f.symbol || p.symbol === f.symbol) && at >= from && at < to;
  });
}

/** The PnL a row shows: booked net when terminal, unrealised at mark when open. */
export function rowPnl(p: PositionRow, mark: string | null, orders?: readonly OrderRow[]): string | null {
  return isOpenPosition(p.status) ? unrealizedOf(p, mark, orders) : netOf(p);
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

function summaryCards(s: ProfitSummary): Markup {
  return html`<div class="cards">
<div class="card"><small>today</small><b>${money(s.today)}</b></div><div class="card"><small>7 days</small><b>${money(s.week)}</b></div>
<div class="card"><small>30 days</small><b>${money(s.month)}</b></div><div class="card" data-summary-total="${s.all}"><small>all time (net)</small><b>${money(s.all)}</b></div>
<div class="card"><small>win rate</small><b class="num">${pct(s.winRate)}</b><small>${s.wins} of ${s.trades} trades</small></div>
<div class="card"><small>profit factor</small><b class="num">${s.profitFactor ?? (s.wins ? '∞' : '—')}</b></div>
<div class="card"><small>max drawdown</small><b>${money(s.maxDrawdown === '0' ? '0' : toDecimalString(dec(s.maxDrawdown).negated()))}</b></div>
<div class="card"><small>best / worst symbol</small><b class="num">${s.best ? html`${s.best.symbol} ${money(s.best.pnl)}` : '—'}</b><small>${s.worst ? html`${s.worst.symbol} ${money(s.worst.pnl)}` : ''}</small></div>
<div class="card"><small>open exposure (${s.openPositions} open)</small><b>${amount(s.exposure)}</b></div><div class="card"><small>unrealised PnL</small><b>${money(s.unrealized)}</b></div>
</div>`;
}

function balancePanel(a: AccountRow, view: ConsoleView): Markup {
  const points = view.balances.get(a.id) ?? [];
  const last = points.at(-1);
  const equity = last ? toDecimalString(dec(last.balance).plus(last.unrealized)) : null;
  const series = points.map((b) => [Math.floor(b.at / 1000), dec(b.balance).plus(b.unrealized).toNumber()]);
  return html`<section class="panel"><h2>${a.name}: balance</h2>
<div class="cards"><div class="card"><small>wallet balance</small><b>${amount(last?.balance ?? null)}</b></div><div class="card"><small>equity</small><b>${amount(equity)}</b></div>
<div class="card"><small>available margin</small><b>${amount(last?.available ?? null)}</b></div></div>
${last ? html`<p class="muted">snapshot ${utc(last.at)} UTC (every five minutes)</p>` : ''}${chart('line', `${a.name} equity over time (USDT)`, series)}</section>`;
}

function positionRow(p: PositionRow, view: ConsoleView, names: Map<number, string>, now: number): Markup {
  const info = view.symbols.get(p.symbol);
  const places = tickPlaces(info?.tickSize);
  const open = isOpenPosition(p.status);
  const mark = info?.mark ?? null;
  const orders = view.openOrders.get(p.id) ?? [];
  const pnl = rowPnl(p, mark, orders);
  const distance = (role: 'profit' | 'stop') => {
    const target = orders.find((o) => o.role === role && !['cancelled', 'expired', 'rejected'].includes(o.status))?.price ?? null;
    if (!open || target === null || mark === null || dec(mark).isZero()) return html`<span class="muted">—</span>`;
    return html`<span class="num">${dec(target).minus(mark).div(mark).times(100).toFixed(2)}%</span>`;
  };
  const end = p.closedAt ?? (open ? now : null);
  return html`<tr><td><a href="/positions/${p.id}">#${p.id}</a></td><td>${names.get(p.accountId) ?? p.accountId}</td><td>${p.symbol}</td><td>${p.direction}</td><td>${badge(p.status)}</td>
<td>${amount(p.margin)}</td><td>${price(p.openingPrice, places)}</td><td>${open ? price(mark, places) : price(p.closingPrice, places)}</td>
<td data-pnl="${netOf(p) ?? ''}">${money(pnl)} ${percentOf(pnl, p.margin)}${open && pnl !== null ? html` <small class="muted">unrealised</small>` : ''}</td>
<td>${distance('profit')}</td><td>${distance('stop')}</td><td>${p.exitReason ?? (open ? '' : html`<span class="muted">—</span>`)}</td>
<td class="num">${utc(p.openedAt ?? p.createdAt)}</td><td class="num">${duration(end !== null && p.openedAt !== null ? end - p.openedAt : null)}</td></tr>`;
}

/** The positions table for `rows` (one page) with the totals of every filtered row. */
export function positionsTable(rows: PositionRow[], all: PositionRow[], view: ConsoleView, names: Map<number, string>, now: number): Markup {
  if (!all.length) return html`<p class="muted">No positions match.</p>`;
  const net = all.filter((p) => !isOpenPosition(p.status) && netOf(p) !== null).reduce((s, p) => s.plus(netOf(p)!), dec(0));
  const unrealised = all.reduce((s, p) => s.plus(isOpenPosition(p.status) ? unrealizedOf(p, view.symbols.get(p.symbol)?.mark ?? null, view.openOrders.get(p.id)) ?? 0 : 0), dec(0));
  const margin = all.reduce((s, p) => s.plus(p.margin), dec(0));
  return html`<table class="positions"><thead><tr><th>id</th><th>account</th><th>symbol</th><th>direction</th><th>status</th><th>margin</th><th>entry</th><th>mark / close</th><th>PnL (% of margin)</th><th>to TP</th><th>to SL</th><th>exit reason</th><th>opened (UTC)</th><th>duration</th></tr></thead>
<tbody>${rows.map((p) => positionRow(p, view, names, now))}</tbody>
<tfoot><tr class="totals"><td colspan="5">${all.length} positions (all pages)</td><td>${amount(toDecimalString(margin))}</td><td></td><td></td>
<td data-total-net="${toDecimalString(net)}">${money(toDecimalString(net))} net${unrealised.isZero() ? '' : html`, ${money(toDecimalString(unrealised))} unrealised`}</td><td colspan="5"></td></tr></tfoot></table>`;
}

function query(f: PositionFilters, page: number): string {
  const q = new URLSearchParams({ status: f.status, symbol: f.symbol, from: f.from, to: f.to, page: String(page) });
  return q.toString();
}

/** The whole home page body. */
export function homeBody(view: ConsoleView, f: PositionFilters, now: number, extra: Markup, filterError: string | null): Markup {
  const names = new Map(view.accounts.map((a) => [a.id, a.name]));
  const marks = new Map([...view.symbols].map(([s, i]) => [s, i.mark]));
  const total = profitSummary(view.positions, marks, now, view.openOrders);
  const filtered = filterPositions(view.positions, f);
  const pages = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE));
  const page = Math.min(f.page, pages);
  const rows = filtered.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const symbols = [...new Set(view.positions.map((p) => p.symbol))].sort();
  return html`<h1>My trading</h1><p class="live-status" data-live-url="/live">live updates need JavaScript: <a href="">refresh</a></p>${extra}
<section id="summary" data-live><h2>Profit</h2>${summaryCards(total)}
${view.accounts.length > 1 ? view.accounts.map((a) => html`<h3>${a.name}</h3>${summaryCards(profitSummary(view.positions.filter((p) => p.accountId === a.id), marks, now, view.openOrders))}`) : ''}</section>
<section id="charts" data-live class="grid">
<section class="panel"><h2>Cumulative PnL</h2>${chart('line', 'cumulative realized net PnL (USDT)', cumulativeSeries(view.positions))}</section>
<section class="panel"><h2>Daily PnL</h2>${chart('bars', 'realized net PnL per day (USDT)', dailySeries(view.positions))}</section>
${view.accounts.map((a) => balancePanel(a, view))}</section>
<section id="positions" data-live><h2>Positions</h2>
<form class="filters" method="get" action="/"><label>status <select name="status">${['all', 'open', 'closed', 'cancelled', 'failed'].map((s) => html`<option${s === f.status ? raw(' selected') : ''}>${s}</option>`)}</select></label>
<label>symbol <select name="symbol"><option value="">all</option>${symbols.map((s) => html`<option${s === f.symbol ? raw(' selected') : ''}>${s}</option>`)}</select></label>
<label>opened from <input type="date" name="from" value="${f.from}"></label><label>to <input type="date" name="to" value="${f.to}"></label>
<button type="submit">Filter</button> <a href="/positions.csv?${query(f, 1)}" download>Download CSV</a></form>
${filterError ? html`<p class="error" role="alert">${filterError}</p>` : ''}
${positionsTable(rows, filtered, view, names, now)}
${pages > 1 ? html`<nav class="pages">page ${page} of ${pages} ${page > 1 ? html`<a href="/?${query(f, page - 1)}" rel="prev">← newer</a>` : ''} ${page < pages ? html`<a href="/?${query(f, page + 1)}" rel="next">older →</a>` : ''}</nav>` : ''}</section>`;
}

/** The filtered positions as CSV: every figure as the exact decimal the ledger holds. */
export function positionsCsv(view: ConsoleView, f: PositionFilters): string {
  const names = new Map(view.accounts.map((a) => [a.id, a.name]));
  const head = ['id', 'account', 'symbol', 'direction', 'status', 'margin', 'leverage', 'opening_price', 'closing_price', 'mark_price', 'gross_pnl', 'fees', 'funding', 'net_pnl', 'unrealized_pnl', 'exit_reason', 'opened_at_utc', 'closed_at_utc'];
  const cell = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const lines = filterPositions(view.positions, f).map((p) => {
    const mark = view.symbols.get(p.symbol)?.mark ?? null;
    return [p.id, names.get(p.accountId) ?? p.accountId, p.symbol, p.direction, p.status, p.margin, p.leverage, p.openingPrice, p.closingPrice, isOpenPosition(p.status) ? mark : null,
      p.grossPnl, p.fees, p.funding, netOf(p), isOpenPosition(p.status) ? unrealizedOf(p, mark, view.openOrders.get(p.id)) : null, p.exitReason, p.openedAt ? utc(p.openedAt) : null, p.closedAt ? utc(p.closedAt) : null].map(cell);
  });
  return toCsv(head, lines);
}
