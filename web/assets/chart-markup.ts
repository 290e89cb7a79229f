// The server side of the one chart mechanism shared by the console and the admin: an element
// carrying its data as attributes, drawn by the shared chart script (client-scripts.ts CHARTS_JS)
// with TradingView lightweight-charts served from 'self'. No inline script, so the CSP stays strict.
import { html } from 'hono/html';
import type { Markup } from '../admin/layout.ts';

/** How a series draws: a line, histogram bars or candles. */
export type ChartKind = 'line' | 'bars' | 'candles';

/** A point: [unix seconds, value] (a line point may name a colour variable third), or [t, open, high, low, close]. */
export type ChartPoint = readonly (number | string)[];

/** A further line on the same chart (runtime p95 beside p50). */
export interface ExtraLine {
  title: string;
  series: ChartPoint[];
}

/** A horizontal price line: its value, its label and its tone (entry, rung, breakeven, tp, sl, guide). */
export interface PriceLine {
  price: number;
  title: string;
  kind: string;
}

/** What a chart may carry besides its main series. */
export interface ChartOptions {
  lines?: PriceLine[];
  extra?: ExtraLine[];
  markers?: unknown[];
  /** Further data-* attributes. */
  attrs?: Record<string, string>;
  /** A taller box (candles) or a shorter one (small multiples). */
  size?: 'tall' | 'short';
}

/** A chart element, or a line saying there is no data yet. */
export function chart(kind: ChartKind, label: string, series: readonly ChartPoint[], options: ChartOptions = {}): Markup {
  if (!series.length) return html`<p class="muted">${label}: no data yet.</p>`;
  const attrs: Record<string, string> = { ...options.attrs };
  if (options.lines) attrs.lines = JSON.stringify(options.lines);
  if (options.extra?.length) attrs.extra = JSON.stringify(options.extra);
  if (options.markers?.length) attrs.markers = JSON.stringify(options.markers);
  const more = Object.entries(attrs).map(([k, v]) => html` data-${k}="${v}"`);
  return html`<figure class="chart"><div class="lwc${options.size ? ` ${options.size}` : ''}" role="img" aria-label="${label}" data-kind="${kind}" data-series="${JSON.stringify(series)}"${more}></div><figcaption>${label}</figcaption></figure>`;
}

/** Epoch milliseconds to the charts' unix seconds. */
export const chartTime = (ms: number): number => Math.floor(ms / 1000);

/**
 * [epoch ms, value] points, ascending, as a series the library accepts: unix seconds, each second
 * once, holding that second's last value (lightweight-charts refuses a repeated time).
 */
export function perSecond(points: ReadonlyArray<readonly [number, number]>): ChartPoint[] {
  const out: Array<[number, number]> = [];
  for (const [ms, value] of points) {
    const t = chartTime(ms);
    if (out.length && out.at(-1)![0] === t) out[out.length - 1] = [t, value];
    else out.push([t, value]);
  }
  return out;
}
