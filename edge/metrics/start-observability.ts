// Wires metrics and health into a fleet process: the registry before the engine starts (its
// handlers are instrumented), then the endpoints once the process runs.
import { findBox, queuesForBox } from '../../core/fleet/topology.ts';
import { metricsPortOf, type Topology } from '../../core/fleet/topology.schema.ts';
import type { ExchangeGovernor } from '../../core/governor/weight-governor.port.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { HandlerRegistry } from '../../core/steps/registry.ts';
import type { Backends } from '../runtime/backends.ts';
import type { KraiteConfig } from '../runtime/config.ts';
import type { FleetProcess, ProcessPlan } from '../runtime/fleet-process.ts';
import { serveWeb, type WebServer } from '../runtime/serve-web.ts';
import { createFleetMetrics, type FleetMetrics } from './fleet-metrics.ts';
import { instrumentRegistry } from './instrument-registry.ts';
import { createObservabilityApp } from './observability-app.ts';
import { databaseCheck, dispatcherCheck, markPriceCheck, redisCheck, userDataCheck, type Check } from './readiness.ts';
import { scrapeCollector } from './scrape-collectors.ts';
import type { MarkPriceStats } from '../streams/mark-price/mark-price-daemon.ts';

/** The process's metrics, or null when KRAITE_METRICS=off. */
export function processMetrics(config: Pick<KraiteConfig, 'KRAITE_METRICS'>, plan: ProcessPlan): FleetMetrics | null {
  return config.KRAITE_METRICS === 'off' ? null : createFleetMetrics({ box: plan.boxes.length === 1 ? plan.boxes[0]! : 'all' });
}

/** The registry with its handlers feeding `metrics`, or as it is when metrics are off. */
export function meteredRegistry(registry: HandlerRegistry, metrics: FleetMetrics | null): HandlerRegistry {
  return metrics ? instrumentRegistry(registry, metrics) : registry;
}

/** What serveObservability needs. */
export interface ObservabilityOptions {
  backends: Backends;
  plan: ProcessPlan;
  fleet: FleetProcess;
  metrics: FleetMetrics | null;
  governor: ExchangeGovernor | null;
  /** The mark-price stream run inside this process (`run --all` against an exchange). */
  markPrice?: MarkPriceStats | null;
  /** Serve on the box's own metrics port (false: the caller mounts `app` on its status server). */
  listen: boolean;
  logger: Logger;
}

/** A running observability endpoint. */
export interface Observability {
  app: ReturnType<typeof createObservabilityApp>;
  server: WebServer | null;
  close(): Promise<void>;
}

function reportedQueues(topology: Topology, plan: ProcessPlan): string[] {
  // The dispatcher's box reports every queue of the fleet; a worker the ones it consumes.
  if (!plan.dispatch) return plan.consumers.map((c) => c.queue);
  return [...new Set(plan.boxes.length > 1 ? plan.consumers.map((c) => c.queue) : topology.boxes.flatMap((b) => queuesForBox(topology, b.name).map((q) => q.queue)))];
}

/** Builds the checks and the app, and listens on the box's metrics port when asked. */
export async function serveObservability(o: ObservabilityOptions): Promise<Observability> {
  const { config, topology } = o.backends;
  const checks: Record<string, Check> = { database: databaseCheck(o.backends.store) };
  const redis = config.REDIS_URL ? redisCheck(config.REDIS_URL) : null;
  if (redis) checks.redis = redis;
  if (o.fleet.daemon) checks.dispatcher = dispatcherCheck(o.fleet.daemon, config.KRAITE_DISPATCHER_LAG_MS);
  if (o.fleet.userData) checks['user-data-stream'] = userDataCheck(o.fleet.userData);
  if (o.markPrice) checks['mark-price-stream'] = markPriceCheck(o.markPrice, config.KRAITE_MARK_PRICE_STALE_MS);
  const ownsBooks = o.plan.boxes.length > 1 || o.plan.boxes.some((name) => findBox(topology, name).daemons.includes('scheduler'));
  const collect = o.metrics
    ? scrapeCollector(o.metrics, { queue: o.backends.queue, queues: reportedQueues(topology, o.plan), daemon: o.fleet.daemon, governor: o.governor, rows: ownsBooks ? o.backends.store : null, userData: o.fleet.userData, markPrice: o.markPrice, now: Date.now })
    : undefined;
  const app = createObservabilityApp({ metrics: o.metrics, collect, checks });
  const box = findBox(topology, o.plan.boxes[0]!);
  const server = o.listen
    ? await listenObservability(app, { host: config.KRAITE_METRICS_HOST ?? box.privateAddress ?? '127.0.0.1', port: config.KRAITE_METRICS_PORT ?? metricsPortOf(topology, box.name), logger: o.logger })
    : null;
  return {
    app, server,
    async close() {
      await server?.close();
      await redis?.close();
    },
  };
}

/** Serves `app` on host:port; a taken port is logged, not thrown: a trading box must not stop trading for want of its metrics. */
export async function listenObservability(app: Observability['app'], at: { host: string; port: number; logger: Logger }): Promise<WebServer | null> {
  try {
    return await serveWeb(app, at.host, at.port);
  } catch (error) {
    at.logger.error('metrics and health endpoints not served: the port is unavailable (set metricsPort in the topology or KRAITE_METRICS_PORT)', { port: at.port, error });
    return null;
  }
}
