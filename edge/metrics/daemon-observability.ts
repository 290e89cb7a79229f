// Metrics and health for a daemon that runs as its own process beside its box's main one (the
// mark-price stream's unit, a user-data stream shard): the same app as the fleet processes, on the
// port the topology gives that process (processMetricsPortOf), so Prometheus and the units reach it.
import { boxRunning, processMetricsPortOf, type ProcessDaemon, type Topology } from '../../core/fleet/topology.schema.ts';
import { ValidationError } from '../../core/errors.ts';
import type { Logger } from '../../core/ports/logger.ts';
import type { KraiteConfig } from '../runtime/config.ts';
import type { FleetMetrics } from './fleet-metrics.ts';
import { createObservabilityApp } from './observability-app.ts';
import type { Check } from './readiness.ts';
import { listenObservability, type Observability } from './start-observability.ts';

/** What a daemon process serves. */
export interface DaemonObservabilityOptions {
  config: Pick<KraiteConfig, 'KRAITE_METRICS_HOST' | 'KRAITE_METRICS_PORT'>;
  topology: Topology;
  daemon: ProcessDaemon;
  /** A user-data shard's index: each shard serves on its own port. */
  shardIndex?: number;
  metrics: FleetMetrics | null;
  checks: Record<string, Check>;
  /** Refreshes the scrape-time gauges. */
  collect?: () => Promise<void>;
  /** Released on close (the checks' own connections). */
  onClose?: () => Promise<void>;
  logger: Logger;
}

/** The box a daemon process belongs to: the one whose topology entry lists the daemon. */
export function daemonBox(topology: Topology, daemon: ProcessDaemon): string {
  const box = boxRunning(topology, daemon);
  if (!box) throw new ValidationError(`no box of topology ${topology.name} lists the ${daemon} daemon`, 'INVALID_CONFIG');
  return box.name;
}

/** Serves /metrics, /health/live and /health/ready for a daemon process; `server` is null when the port was taken. */
export async function serveDaemonObservability(o: DaemonObservabilityOptions): Promise<Observability> {
  const name = daemonBox(o.topology, o.daemon);
  const box = o.topology.boxes.find((b) => b.name === name)!;
  const app = createObservabilityApp({ metrics: o.metrics, collect: o.collect, checks: o.checks });
  const server = await listenObservability(app, {
    host: o.config.KRAITE_METRICS_HOST ?? box.privateAddress ?? '127.0.0.1',
    port: o.config.KRAITE_METRICS_PORT ?? processMetricsPortOf(o.topology, name, o.daemon, o.shardIndex ?? 0),
    logger: o.logger,
  });
  return {
    app, server,
    async close() {
      await server?.close();
      await o.onClose?.();
    },
  };
}
