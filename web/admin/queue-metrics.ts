// Horizon-style queue metrics read from the steps table, so they exist in every mode (embedded
// too, where no Redis keeps job history): per lane over the last hour, jobs per minute, runtime
// p50/p95 and the wait from dispatch to start, as numbers and per-minute charts.
import { html } from 'hono/html';
import type { StepStore } from '../../core/steps/step-store.port.ts';
import { STEP_SETS } from '../../core/steps/step.ts';
import { duration } from './format.ts';
import type { Markup } from './layout.ts';
import { chart } from '../assets/chart-markup.ts';
import { percentile, percentilePerMinute, perMinute, toChart } from './minute-series.ts';

/** One lane's last hour. */
export interface LaneMetrics {
  lane: string;
  jobs: number;
  failed: number;
  runtimeP50: number | null;
  runtimeP95: number | null;
  waitP50: number | null;
  waitP95: number | null;
  /** Finish times and runtimes, for the per-minute charts. */
  finished: { at: number; runtimeMs: number; waitMs: number | null }[];
}

export { percentile };

/** Reads the last hour's finished steps of both sets and groups them by lane (busiest first). */
export async function queueMetrics(store: Pick<StepStore, 'listSteps'>, now: number, limit = 5_000): Promise<{ at: number; lanes: LaneMetrics[] }> {
  const from = now - 3_600_000;
  const byLane = new Map<string, LaneMetrics>();
  for (const set of STEP_SETS) {
    for (const s of await store.listSteps(set, { state: ['completed', 'failed'], createdFrom: from - 600_000, limit })) {
      if (s.completedAt === null || s.completedAt < from) continue;
      const m = byLane.get(s.lane) ?? { lane: s.lane, jobs: 0, failed: 0, runtimeP50: null, runtimeP95: null, waitP50: null, waitP95: null, finished: [] };
      m.jobs++;
      if (s.state === 'failed') m.failed++;
      const runtimeMs = s.durationMs ?? (s.startedAt !== null ? s.completedAt - s.startedAt : 0);
      const waitMs = s.startedAt !== null && s.dispatchedAt !== null ? Math.max(0, s.startedAt - s.dispatchedAt) : null;
      m.finished.push({ at: s.completedAt, runtimeMs, waitMs });
      byLane.set(s.lane, m);
    }
  }
  const lanes = [...byLane.values()].map((m) => {
    const runtimes = m.finished.map((f) => f.runtimeMs).sort((a, b) => a - b);
    const waits = m.finished.flatMap((f) => (f.waitMs === null ? [] : [f.waitMs])).sort((a, b) => a - b);
    return { ...m, runtimeP50: percentile(runtimes, 50), runtimeP95: percentile(runtimes, 95), waitP50: percentile(waits, 50), waitP95: percentile(waits, 95) };
  }).sort((a, b) => b.jobs - a.jobs || a.lane.localeCompare(b.lane));
  return { at: now, lanes };
}

/** Runtime or wait p50 per minute with p95 beside it, as one chart. */
function percentileChart(label: string, entries: { at: number; value: number }[], now: number): Markup {
  return chart('line', label, toChart(percentilePerMinute(entries, 50, now)), { extra: [{ title: 'p95', series: toChart(percentilePerMinute(entries, 95, now)) }], size: 'short' });
}

/** The panel: a table of every lane and, for the busiest four, jobs per minute and runtime and wait (p50, p95) per minute as charts. */
export function queueMetricsPanel(m: { at: number; lanes: LaneMetrics[] }): Markup {
  if (!m.lanes.length) return html`<section class="panel wide" id="queue-metrics"><h2>Queue metrics (last hour)</h2><p class="muted">No step finished in the last hour.</p></section>`;
  const rows = m.lanes.map((l) => html`<tr><td>${l.lane}</td><td class="num">${l.jobs}</td><td class="num">${(l.jobs / 60).toFixed(1)}</td><td class="num">${l.failed ? html`<a href="/steps?state=failed">${l.failed}</a>` : 0}</td><td class="num">${duration(l.runtimeP50)}</td><td class="num">${duration(l.runtimeP95)}</td><td class="num">${duration(l.waitP50)}</td><td class="num">${duration(l.waitP95)}</td></tr>`);
  const charts = m.lanes.slice(0, 4).map((l) => html`<div class="lane-charts"><h3>${l.lane}</h3>
${chart('bars', `${l.lane}: jobs per minute`, toChart(perMinute(l.finished.map((f) => f.at), m.at)), { attrs: { tone: '--accent' }, size: 'short' })}
${percentileChart(`${l.lane}: runtime p50 and p95 per minute (ms)`, l.finished.map((f) => ({ at: f.at, value: f.runtimeMs })), m.at)}
${percentileChart(`${l.lane}: wait p50 and p95 per minute (ms)`, l.finished.flatMap((f) => (f.waitMs === null ? [] : [{ at: f.at, value: f.waitMs }])), m.at)}</div>`);
  return html`<section class="panel wide" id="queue-metrics"><h2>Queue metrics (last hour, by lane)</h2>
<table><tr><th>lane</th><th>jobs</th><th>jobs/min</th><th>failed</th><th>runtime p50</th><th>runtime p95</th><th>wait p50</th><th>wait p95</th></tr>${rows}</table>
<div class="lane-grid">${charts}</div></section>`;
}
