// /metrics, /health/live and /health/ready as one Hono app: served on the box's metrics port and
// mounted on the embedded fleet's status server.
import { Hono } from 'hono';
import type { FleetMetrics } from './fleet-metrics.ts';
import { readiness, type Check } from './readiness.ts';

/** What the app serves from. */
export interface ObservabilityAppOptions {
  metrics: FleetMetrics | null;
  /** Refreshes the scrape-time gauges before the registry is rendered. */
  collect?: () => Promise<void>;
  checks: Record<string, Check>;
}

/** The observability routes. */
export function createObservabilityApp(o: ObservabilityAppOptions): Hono {
  const app = new Hono();
  app.get('/health/live', (c) => c.json({ ok: true, pid: process.pid, uptimeS: Math.round(process.uptime()) }));
  app.get('/health/ready', async (c) => {
    const r = await readiness(o.checks);
    return c.json(r, r.ok ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    if (!o.metrics) return c.text('metrics are off (KRAITE_METRICS=off)\n', 404);
    await o.collect?.();
    return c.body(await o.metrics.registry.metrics(), 200, { 'Content-Type': o.metrics.registry.contentType });
  });
  return app;
}
