// The queue dashboard behind the admin's login: with Redis, the bull-board app the runtime built
// (./node/queue-board.ts) is mounted under /queues, read-only, its JSON API at /queues/api/ (the
// session gate answers 401/403 there as JSON); in embedded mode a page explains why there is none
// and shows the dashboard's own gauges for the physical queues and the per-lane metrics (jobs per
// minute, runtime and wait over the last hour, from the steps table) as charts.
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { AdminDeps, AdminEnv } from './admin-deps.ts';
import { duration } from './format.ts';
import { page } from './layout.ts';
import { queueMetrics, queueMetricsPanel } from './queue-metrics.ts';
import { CHART_SCRIPTS } from '../assets/asset-routes.ts';

/** Where the board lives. */
export const QUEUE_BOARD_PATH = '/queues';

/** The /queues routes: the board when one is wired, else the explanation. */
export function queuesRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  if (deps.queueBoard) {
    // The board's entry is /queues (its <base> is /queues/); the trailing-slash form goes there.
    app.get(`${QUEUE_BOARD_PATH}/`, (c) => c.redirect(QUEUE_BOARD_PATH, 301));
    app.route(QUEUE_BOARD_PATH, deps.queueBoard);
    return app;
  }
  app.get(QUEUE_BOARD_PATH, async (c) => {
    const [queues, metrics] = await Promise.all([deps.fleet.queues(), queueMetrics(deps.fleet.store, deps.clock.now())]);
    const rows = queues.map((q) => html`<tr><td>${q.queue}</td><td>${q.waiting}</td><td>${q.active}</td><td>${q.delayed}</td><td>${duration(q.oldestWaitingMs)}</td></tr>`);
    return c.html(page({
      title: 'Queues', session: c.get('session'), current: QUEUE_BOARD_PATH, scripts: CHART_SCRIPTS,
      body: html`<h1>Queues</h1><p class="notice">This process runs the in-process queue (queue mode <code>${deps.fleet.info.mode.queue}</code>): jobs live in its memory, not in Redis, so there is no queue dashboard to open.
Set <code>REDIS_URL</code> to run on BullMQ; this page then shows the bull-board dashboard of every physical queue.</p>
<p>Depth and wait per physical queue are on the <a href="/#queues">dashboard's queue panel</a>; steps themselves are in the <a href="/steps">step browser</a>.</p>
<table><tr><th>physical queue</th><th>waiting</th><th>active</th><th>delayed</th><th>oldest job</th></tr>${rows}</table>
<div class="grid">${queueMetricsPanel(metrics)}</div>`,
    }));
  });
  return app;
}
