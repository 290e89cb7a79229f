// Small display helpers shared by the admin pages: times, ages, durations, state badges.
import { html } from 'hono/html';
import type { Markup } from './layout.ts';

/** An epoch-ms time as `2026-01-01 12:00:00` UTC; an em dash for null. */
export function utc(at: number | null | undefined): string {
  if (at === null || at === undefined) return '—';
  return new Date(at).toISOString().replace('T', ' ').slice(0, 19);
}

/** A duration in ms as `850 ms`, `12.3 s`, `4 min`, `3.5 h` or `2.1 d`; an em dash for null. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

/** How long ago `at` was, relative to `now` (`never` for null). */
export function ago(at: number | null | undefined, now: number): string {
  return at === null || at === undefined ? 'never' : `${duration(Math.max(0, now - at))} ago`;
}

/** A step or position state as a coloured badge (classes in the stylesheet). */
export function badge(state: string): Markup {
  const tone = /^(completed|skipped|active|closed|filled|ok|allowed|tradable)$/.test(state) ? 'good'
    : /^(failed|cancelled|stopped|rejected|expired|refused|banned|blocked|drift)$/.test(state) ? 'bad'
      : /^(running|dispatched|opening|closing|syncing|waping|cancelling|working|partially_filled|paused)$/.test(state) ? 'busy' : 'idle';
  return html`<span class="badge ${tone}">${state}</span>`;
}

/** A panel for a figure another subsystem has not started reporting yet. */
export function notReported(title: string, what: string): Markup {
  return html`<section class="panel"><h2>${title}</h2><p class="muted">Not reported yet: ${what}</p></section>`;
}

/** A signed money figure with its asset, green above zero and red below (tabular figures in the stylesheet). */
export function money(value: string | null | undefined, asset = 'USDT'): Markup {
  if (value === null || value === undefined) return html`<span class="money">—</span>`;
  const n = Number(value);
  const tone = n > 0 ? ' up' : n < 0 ? ' down' : '';
  return html`<span class="money${tone}">${n > 0 ? '+' : ''}${value} ${asset}</span>`;
}
