// Money as traders read it: a sign, green or red, the currency, tabular figures, and prices at the
// symbol's tick-size decimals. Every figure is formatted from its decimal string, never a float.
import { html } from 'hono/html';
import { dec } from '../../core/exchange/precision.ts';
import type { Markup } from '../admin/layout.ts';

/** Thousands separators on the integer part only (`1234567.8901` → `1,234,567.8901`). */
function grouped(fixed: string): string {
  const [int, frac] = fixed.split('.');
  return `${int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac !== undefined ? `.${frac}` : ''}`;
}

/** `+1,234.56` / `-0.30` / `0.00` with `places` decimals (half away from zero). */
export function signed(value: string, places = 2): string {
  const d = dec(value).toDecimalPlaces(places);
  const text = grouped(d.abs().toFixed(places));
  return d.isZero() ? text : `${d.isNegative() ? '-' : '+'}${text}`;
}

/** Signed money with currency, coloured by sign; an em dash for null. */
export function money(value: string | null, options: { places?: number; currency?: string } = {}): Markup {
  if (value === null) return html`<span class="money muted">—</span>`;
  const d = dec(value);
  const tone = d.isZero() ? '' : d.isNegative() ? ' down' : ' up';
  return html`<span class="money${tone}" data-value="${value}">${signed(value, options.places ?? 2)} ${options.currency ?? 'USDT'}</span>`;
}

/** An unsigned amount (balances, margin, exposure) with currency. */
export function amount(value: string | null, places = 2, currency = 'USDT'): Markup {
  if (value === null) return html`<span class="money muted">—</span>`;
  const text = grouped(dec(value).toFixed(places));
  return html`<span class="money">${text} ${currency}</span>`;
}

/** How many decimals a tick size has (`0.01` → 2, `1` → 0). */
export function tickPlaces(tickSize: string | null | undefined): number {
  if (!tickSize) return 4;
  return Math.max(0, dec(tickSize).decimalPlaces());
}

/** A price at the symbol's tick decimals. */
export function price(value: string | null, places: number): Markup {
  if (value === null) return html`<span class="num muted">—</span>`;
  return html`<span class="num">${dec(value).toFixed(places)}</span>`;
}

/** `value` as a signed percentage of `base` (PnL as % of margin). */
export function percentOf(value: string | null, base: string | null): Markup {
  if (value === null || base === null || dec(base).isZero()) return html``;
  const pct = dec(value).div(base).times(100);
  return html`<span class="num ${pct.isNegative() ? 'down' : pct.isZero() ? '' : 'up'}">${signed(pct.toString(), 2)}%</span>`;
}
