// Inline SVG bar charts for trends (steps per minute, dispatches per minute): no script, no library,
// allowed by the CSP (images from 'self' and inline SVG markup in the page).
import { html } from 'hono/html';
import type { Markup } from './layout.ts';

/** One bar: its value and the label its tooltip shows. */
export interface ChartPoint {
  label: string;
  value: number;
}

/** Bars scaled to the largest value, with a title (and a tooltip per bar). */
export function barChart(title: string, points: ChartPoint[], options: { width?: number; height?: number } = {}): Markup {
  const width = options.width ?? 480;
  const height = options.height ?? 80;
  const max = Math.max(1, ...points.map((p) => p.value));
  const step = points.length ? width / points.length : width;
  const bars = points.map((p, i) => {
    const h = Math.round((p.value / max) * (height - 4));
    return html`<rect x="${(i * step).toFixed(1)}" y="${height - h}" width="${Math.max(1, step - 1).toFixed(1)}" height="${h}"><title>${p.label}: ${p.value}</title></rect>`;
  });
  return html`<figure class="chart"><svg role="img" aria-label="${title}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${bars}</svg>
<figcaption>${title} (max ${max})</figcaption></figure>`;
}

/** Sums `value` per minute over the `minutes` minutes ending at `now`, oldest first. */
export function minuteSeries(entries: { at: number; value: number }[], now: number, minutes = 60): ChartPoint[] {
  const end = Math.floor(now / 60_000);
  const sums = new Array<number>(minutes).fill(0);
  for (const e of entries) {
    const i = minutes - 1 - (end - Math.floor(e.at / 60_000));
    if (i >= 0 && i < minutes) sums[i]! += e.value;
  }
  return sums.map((value, i) => ({ label: new Date((end - (minutes - 1 - i)) * 60_000).toISOString().slice(11, 16), value }));
}

/** Counts epoch-ms times per minute over the `minutes` minutes ending at `now`, oldest first. */
export function perMinute(times: number[], now: number, minutes = 60): ChartPoint[] {
  return minuteSeries(times.map((at) => ({ at, value: 1 })), now, minutes);
}

/** A line over time on a fixed 0..max scale, with labelled horizontal guides (the regime's band floors). */
export function lineChart(title: string, points: { at: number; value: number; label: string }[], options: { max: number; guides?: { value: number; label: string }[]; width?: number; height?: number }): Markup {
  const width = options.width ?? 720;
  const height = options.height ?? 160;
  const left = points[0]?.at ?? 0;
  const span = Math.max(1, (points.at(-1)?.at ?? 1) - left);
  const x = (at: number) => (points.length === 1 ? width / 2 : ((at - left) / span) * (width - 8) + 4);
  const y = (v: number) => height - 4 - (Math.min(options.max, Math.max(0, v)) / options.max) * (height - 8);
  const guides = (options.guides ?? []).map((g) => html`<line x1="0" x2="${width}" y1="${y(g.value).toFixed(1)}" y2="${y(g.value).toFixed(1)}" class="guide"></line><text x="4" y="${(y(g.value) - 3).toFixed(1)}" class="guide-label">${g.label}</text>`);
  const line = points.map((p) => `${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const dots = points.map((p) => html`<circle cx="${x(p.at).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3"><title>${p.label}</title></circle>`);
  return html`<figure class="chart"><svg role="img" aria-label="${title}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${guides}<polyline points="${line}"></polyline>${dots}</svg>
<figcaption>${title} (${points.length} snapshots)</figcaption></figure>`;
}
