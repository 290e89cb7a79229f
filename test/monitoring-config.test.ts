// `kraite deploy:units` writes the monitoring: a Prometheus scrape config with a target per Kraite
// box (its private address and metrics port), alert rules and Grafana dashboards whose every query
// names a series the processes really export. promtool checks the config and rules when present.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricsPortOf, processMetricsPortOf } from '../core/fleet/topology.schema.ts';
import { createFleetMetrics } from '../edge/metrics/fleet-metrics.ts';
import { loadTopology } from '../edge/fleet/load-topology.ts';
import { dashboards } from '../infra/monitoring/render-dashboards.ts';
import { alertRules, renderAlertRules, renderPrometheusConfig } from '../infra/monitoring/render-prometheus.ts';

const PROMTOOL = [process.env.PROMTOOL, '/usr/bin/promtool'].find((p) => p && existsSync(p));

describe('monitoring as code', () => {
  it('scrapes every box that runs Kraite at its private address and metrics port', async () => {
    const topology = await loadTopology();
    const config = renderPrometheusConfig(topology);
    const targets = [...config.matchAll(/targets: \['([^']+)'\]\n\s+labels: \{ box: ([a-z-]+), role: [a-z+]+(?:, process: ([a-z-]+))? \}/g)].map((m) => [m[2], m[1], m[3] ?? 'main']);
    // Each box's main process, and the mark-price stream's own process on its port (the box's + 100).
    expect(targets).toEqual(topology.boxes.filter((b) => b.name !== 'hyperion').flatMap((b) => [
      [b.name, `${b.privateAddress}:${metricsPortOf(topology, b.name)}`, 'main'],
      ...(b.daemons.includes('mark-price-stream') ? [[b.name, `${b.privateAddress}:${processMetricsPortOf(topology, b.name, 'mark-price-stream')}`, 'mark-price-stream']] : []),
    ]));
    expect(targets.find((t) => t[2] === 'mark-price-stream')).toEqual(['athena', '10.0.0.3:9565', 'mark-price-stream']);
  });

  it('every dashboard and alert query names a series the registry exports', async () => {
    const metrics = createFleetMetrics();
    const exported = new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name));
    const exprs = [
      ...Object.values(dashboards()).flatMap((d) => (d as { panels: { targets: { expr: string }[] }[] }).panels.flatMap((p) => p.targets.map((t) => t.expr))),
      ...alertRules().map((r) => r.expr),
    ];
    const named = new Set(exprs.flatMap((e) => [...e.matchAll(/\bkraite_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, ''))));
    expect([...named].filter((n) => !exported.has(n))).toEqual([]);
    expect(Object.keys(dashboards()).sort()).toEqual(['kraite-exchange.json', 'kraite-fleet.json', 'kraite-streams.json', 'kraite-trading.json']);
  });

  it.runIf(PROMTOOL)('promtool accepts the scrape config and the rules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kraite-monitoring-'));
    writeFileSync(join(dir, 'prometheus.yml'), renderPrometheusConfig(await loadTopology()));
    writeFileSync(join(dir, 'kraite-alerts.yml'), renderAlertRules());
    execFileSync(PROMTOOL!, ['check', 'config', join(dir, 'prometheus.yml')]);
    execFileSync(PROMTOOL!, ['check', 'rules', join(dir, 'kraite-alerts.yml')]);
  });
});
