// A position's page: the symbol's candles with the entry, each rung, break-even, take-profit and
// stop-loss as price lines and every fill as a marker; the ladder with its worst-case loss; the
// fills with their fees; "close now" for an open position.
import { html } from 'hono/html';
import { dec, toDecimalString } from '../../core/exchange/precision.ts';
import type { OrderRow } from '../../core/trading/order.ts';
import type { PositionRow } from '../../core/trading/position.ts';
import { isOpenPosition } from '../../core/trading/statuses.ts';
import { badge, duration, utc } from '../admin/format.ts';
import type { Markup } from '../admin/layout.ts';
import { chart } from '../assets/chart-markup.ts';
import { amount, money, percentOf, price } from './money.ts';
import { netOf, unrealizedOf } from './profit-summary.ts';

/** One candle: open time (ms) and OHLC as decimal strings. */
export interface Candle {
  openTime: number;
  open: string;
  high: string;
  low: string;
  close: string;
}

/** A price line on the position chart. */
export interface PriceLine {
  price: number;
  title: string;
  kind: 'entry' | 'rung' | 'breakeven' | 'tp' | 'sl';
}

const LIVE_ORDER = (o: OrderRow) => !['cancelled', 'expired', 'rejected'].includes(o.status);

/** The price lines: entry, each rung (the live row of each rung number), break-even, take-profit, stop-loss. */
export function priceLines(p: PositionRow, orders: readonly OrderRow[]): PriceLine[] {
  const lines: PriceLine[] = [];
  const entry = p.openingPrice ?? orders.find((o) => o.role === 'entry')?.avgPrice ?? null;
  if (entry !== null) lines.push({ price: Number(entry), title: 'entry', kind: 'entry' });
  const rungs = new Map<number, OrderRow>();
  for (const o of orders) if (o.role === 'rung' && o.rung !== null && o.price !== null && (LIVE_ORDER(o) || !rungs.has(o.rung))) rungs.set(o.rung, o);
  for (const [n, o] of [...rungs].sort((a, b) => a[0] - b[0])) lines.push({ price: Number(o.price), title: `rung ${n}`, kind: 'rung' });
  if (p.breakEvenPrice !== null) lines.push({ price: Number(p.breakEvenPrice), title: 'break-even', kind: 'breakeven' });
  const last = (role: OrderRow['role']) => [...orders].reverse().find((o) => o.role === role && o.price !== null && LIVE_ORDER(o)) ?? [...orders].reverse().find((o) => o.role === role && o.price !== null);
  const tp = last('profit');
  if (tp) lines.push({ price: Number(tp.price), title: 'take-profit', kind: 'tp' });
  const sl = last('stop');
  if (sl) lines.push({ price: Number(sl.price), title: 'stop-loss', kind: 'sl' });
  return lines;
}

/** When an order filled (the exchange's time when known). */
const fillTime = (o: OrderRow) => o.exchangeUpdatedAt ?? o.updatedAt;
const filled = (o: OrderRow) => o.executedQty !== null && dec(o.executedQty).gt(0);

/** Fill markers, each on the candle it fell in (the chart places markers on bar times). */
export function fillMarkers(orders: readonly OrderRow[], candles: readonly Candle[]): { time: number; text: string; side: string }[] {
  if (!candles.length) return [];
  return orders.filter(filled).map((o) => {
    const at = fillTime(o);
    const bar = [...candles].reverse().find((c) => c.openTime <= at) ?? candles[0]!;
    return { time: Math.floor(bar.openTime / 1000), text: `${o.role}${o.rung !== null ? ` ${o.rung}` : ''} ${o.executedQty}@${o.avgPrice ?? o.price ?? ''}`, side: o.side };
  }).sort((a, b) => a.time - b.time);
}

/** The position page body; `places` are the symbol's tick decimals. */
export function positionBody(p: PositionRow, orders: OrderRow[], candles: Candle[], mark: string | null, places: number, now: number, flash: string | null): Markup {
  const open = isOpenPosition(p.status);
  const lines = priceLines(p, orders);
  const pnl = open ? unrealizedOf(p, mark, orders) : netOf(p);
  const series = candles.map((c) => [Math.floor(c.openTime / 1000), Number(c.open), Number(c.high), Number(c.low), Number(c.close)]);
  const rungs = orders.filter((o) => o.role === 'rung' || o.role === 'entry').sort((a, b) => (a.rung ?? 0) - (b.rung ?? 0) || a.id - b.id);
  let cumQty = dec(0);
  let cumCost = dec(0);
  const ladder = rungs.map((o) => {
    const qty = o.quantity ?? o.executedQty;
    const px = o.role === 'entry' ? (o.avgPrice ?? p.openingPrice) : o.price;
    if (qty !== null && px !== null) {
      cumQty = cumQty.plus(qty);
      cumCost = cumCost.plus(dec(qty).times(px));
    }
    const avg = cumQty.isZero() ? null : toDecimalString(cumCost.div(cumQty));
    return html`<tr><td>${o.role === 'entry' ? 'entry' : `rung ${o.rung}`}</td><td>${badge(o.status)}</td><td>${price(px, places)}</td><td class="num">${qty ?? '—'}</td><td class="num">${toDecimalString(cumQty)}</td><td>${price(avg, places)}</td></tr>`;
  });
  const fills = orders.filter(filled);
  const totalFees = fills.reduce((s, o) => s.plus(o.commission ?? 0), dec(0));
  return html`<h1>#${p.id} ${p.symbol} ${p.direction} ${badge(p.status)}</h1><p class="live-status" data-live-url="/live">live updates need JavaScript: <a href="">refresh</a></p>
${flash ? html`<p class="notice" role="status">${flash}</p>` : ''}
<section id="position-head" data-live><div class="cards">
<div class="card"><small>${open ? 'unrealised PnL' : 'net PnL'}</small><b>${money(pnl)}</b><small>${percentOf(pnl, p.margin)} of margin</small></div>
<div class="card"><small>margin · leverage</small><b>${amount(p.margin)}</b><small>${p.leverage ?? '—'}x</small></div>
<div class="card"><small>entry → ${open ? 'mark' : 'close'}</small><b>${price(p.openingPrice, places)}</b><small>${open ? price(mark, places) : price(p.closingPrice, places)}</small></div>
<div class="card"><small>break-even</small><b>${price(p.breakEvenPrice, places)}</b></div>
<div class="card"><small>worst-case loss</small><b>${money(p.worstCaseLoss === null ? null : toDecimalString(dec(p.worstCaseLoss).abs().negated()))}</b></div>
<div class="card"><small>gross · fees · funding</small><b>${money(p.grossPnl)}</b><small>${money(p.fees === null ? null : toDecimalString(dec(p.fees).negated()))} · ${money(p.funding)}</small></div>
<div class="card"><small>exit reason</small><b>${p.exitReason ?? '—'}</b><small>${p.statusReason ?? ''}</small></div>
<div class="card"><small>opened · duration</small><b class="num">${utc(p.openedAt)}</b><small>${duration(p.openedAt === null ? null : (p.closedAt ?? now) - p.openedAt)}</small></div>
</div>
${open ? html`<form method="get" action="/positions/${p.id}/close"><button type="submit">Close now…</button> <small class="muted">asks for confirmation; market-closes the exposure and cancels our orders</small></form>` : ''}</section>
<section id="position-chart" data-live class="panel"><h2>${p.symbol} price</h2>
${chart('candles', `${p.symbol} candles with entry, rungs, break-even, take-profit and stop-loss`, series, { lines, markers: fillMarkers(orders, candles), attrs: { 'expected-lines': String(lines.length) }, size: 'tall' })}
<p class="muted">${lines.map((l) => `${l.title} ${l.price}`).join(' · ')}</p></section>
<section id="position-ladder" data-live><h2>Ladder</h2><table><thead><tr><th>order</th><th>status</th><th>price</th><th>quantity</th><th>cumulative</th><th>average entry</th></tr></thead><tbody>${ladder}</tbody>
<tfoot><tr class="totals"><td colspan="4">worst-case loss if every rung fills and the stop triggers</td><td colspan="2">${money(p.worstCaseLoss === null ? null : toDecimalString(dec(p.worstCaseLoss).abs().negated()))}</td></tr></tfoot></table>
<h2>Fills</h2>${fills.length ? html`<table><thead><tr><th>order</th><th>side</th><th>filled</th><th>avg price</th><th>fee</th><th>at (UTC)</th></tr></thead><tbody>
${fills.map((o) => html`<tr><td>${o.role}${o.rung !== null ? ` ${o.rung}` : ''}</td><td>${o.side}</td><td class="num">${o.executedQty}</td><td>${price(o.avgPrice, places)}</td><td>${money(o.commission === null ? null : toDecimalString(dec(o.commission).negated()), { places: 4 })}</td><td class="num">${utc(fillTime(o))}</td></tr>`)}</tbody>
<tfoot><tr class="totals"><td colspan="4">fees</td><td>${money(toDecimalString(totalFees.negated()), { places: 4 })}</td><td></td></tr></tfoot></table>` : html`<p class="muted">No fills yet.</p>`}
<h2>Orders</h2><table><thead><tr><th>order</th><th>type</th><th>side</th><th>status</th><th>price</th><th>quantity</th><th>filled</th><th>avg price</th></tr></thead><tbody>
${orders.map((o) => html`<tr><td>${o.role}${o.rung !== null ? ` ${o.rung}` : ''}</td><td>${o.type}</td><td>${o.side}</td><td>${badge(o.status)}</td><td>${price(o.price, places)}</td><td class="num">${o.quantity ?? '—'}</td><td class="num">${o.executedQty ?? '—'}</td><td>${price(o.avgPrice, places)}</td></tr>`)}</tbody></table></section>`;
}

/** The confirmation step before a close: a plain form, so it works without JavaScript. */
export function closeConfirmBody(p: PositionRow, csrf: string, mark: string | null, places: number): Markup {
  return html`<h1>Close #${p.id} ${p.symbol} ${p.direction} now?</h1>
<p>This market-closes the whole exposure on the exchange (at about ${price(mark, places)}), cancels the take-profit, the stop-loss and every rung, and books the position with exit reason <b>operator</b>. It cannot be undone.</p>
<form method="post" action="/positions/${p.id}/close"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="confirm" value="yes">
<button type="submit">Yes, close it now</button> <a href="/positions/${p.id}">No, keep it open</a></form>`;
}
