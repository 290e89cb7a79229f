// Every generated infrastructure file for a topology: the systemd units per box, the Redis config
// and the MySQL config, at the paths `kraite deploy:units` writes them (relative to its --out).
import type { Topology } from '../../core/fleet/topology.schema.ts';
import { renderMysqlCnf } from '../mysql/render-mysql-cnf.ts';
import { renderRedisConf } from '../redis/render-redis-conf.ts';
import { renderUnits, type RenderedFile, type UnitOptions } from './render-units.ts';
import { dashboards } from '../monitoring/render-dashboards.ts';
import { renderAlertRules, renderPrometheusConfig } from '../monitoring/render-prometheus.ts';

/** Units under `units/<box>/`, `redis/redis.conf`, `mysql/kraite.cnf`, and monitoring/ (Prometheus scrape config, alert rules, Grafana dashboards). */
export function renderInfra(topology: Topology, options: UnitOptions = {}): RenderedFile[] {
  return [
    ...renderUnits(topology, options).map((f) => ({ path: `units/${f.path}`, content: f.content })),
    { path: 'redis/redis.conf', content: renderRedisConf(topology) },
    { path: 'mysql/kraite.cnf', content: renderMysqlCnf(topology) },
    { path: 'monitoring/prometheus.yml', content: renderPrometheusConfig(topology) },
    { path: 'monitoring/kraite-alerts.yml', content: renderAlertRules() },
    ...Object.entries(dashboards()).map(([name, d]) => ({ path: `monitoring/grafana/${name}`, content: `${JSON.stringify(d, null, 2)}
` })),
  ];
}
