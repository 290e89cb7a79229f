// `kraite stream:mark-price`: the mark-price daemon as its own supervised process (systemd unit
// kraite-mark-price-stream). Exits 1 after 5 silent minutes so the supervisor starts a fresh one.
// The "mark price stale" alert is raised by the fleet health check, so a dead daemon is caught too;
// with Redis it also publishes its own fleet heartbeat.
import { processLogger } from '../../runtime/process-logger.ts';
import { ValidationError } from '../../../core/errors.ts';
import { defineCommand } from '../../cli/command.ts';
import { waitForStop } from '../../cli/wait-for-stop.ts';
import { loadConfig } from '../../runtime/config.ts';
import { startDaemonHeartbeat } from '../../heartbeat/daemon-heartbeat.ts';
import { markPriceWsUrl, startMarkPriceDaemon } from './start-mark-price.ts';
import { loadTopology } from '../../fleet/load-topology.ts';
import { daemonBox, serveDaemonObservability } from '../../metrics/daemon-observability.ts';
import { createFleetMetrics } from '../../metrics/fleet-metrics.ts';
import { markPriceCheck, pingCheck } from '../../metrics/readiness.ts';
import { scrapeCollector } from '../../metrics/scrape-collectors.ts';

/** Runs the mark-price daemon until stopped (exit 0) or silent for 5 minutes (exit 1). */
export const markPriceCommand = defineCommand({
  name: 'stream:mark-price',
  group: 'operate',
  env: ['DATABASE_URL', 'KRAITE_MARK_PRICE_WS_URL or KRAITE_EXCHANGE_URL (optional)', 'KRAITE_METRICS, KRAITE_METRICS_PORT, KRAITE_METRICS_HOST (optional)'],
  example: 'stream:mark-price',
  flags: { url: 'the WebSocket base URL (default: KRAITE_MARK_PRICE_WS_URL, else derived from KRAITE_EXCHANGE_URL, else Binance)' },
  summary: 'the mark-price daemon: !markPrice@arr@1s into exchange_symbols in bulk; exits 1 after 5 silent minutes',
  usage: 'stream:mark-price [--url WS_BASE_URL]   (default: KRAITE_MARK_PRICE_WS_URL, else derived from KRAITE_EXCHANGE_URL, else Binance)',
  options: { url: { type: 'string' } },
  async run({ values }, io) {
    const config = loadConfig(io.env);
    if (!config.DATABASE_URL) throw new ValidationError('stream:mark-price writes exchange_symbols: set DATABASE_URL', 'NO_DATABASE');
    const logger = processLogger(config, { daemon: 'mark-price' }, io.out);
    let onSilent!: (reason: string) => void;
    const silent = new Promise<string>((r) => (onSilent = r));
    const running = startMarkPriceDaemon({ databaseUrl: config.DATABASE_URL, base: String(values.url ?? markPriceWsUrl(config)), logger, onSilent });
    // With Redis, the fleet panel and the heartbeat check see this process beside athena's main one.
    const heartbeat = await startDaemonHeartbeat({ config, env: io.env, daemon: 'mark-price-stream', logger });
    // Its own /metrics and /health on the port the topology gives the process (the box's + 100).
    const topology = await loadTopology(config.KRAITE_TOPOLOGY);
    const metrics = config.KRAITE_METRICS === 'off' ? null : createFleetMetrics({ box: daemonBox(topology, 'mark-price-stream') });
    const observability = await serveDaemonObservability({
      config, topology, daemon: 'mark-price-stream', metrics, logger,
      checks: { database: pingCheck(() => running.ping()), 'mark-price-stream': markPriceCheck(running.daemon.stats, config.KRAITE_MARK_PRICE_STALE_MS) },
      collect: metrics ? scrapeCollector(metrics, { queue: null, queues: [], daemon: null, governor: null, rows: null, markPrice: running.daemon.stats, now: Date.now }) : undefined,
    });
    io.out(`kraite: mark-price daemon on ${running.url}`);
    if (observability.server) io.out(`  metrics: ${metrics ? `${observability.server.url}/metrics` : 'off (KRAITE_METRICS=off)'}  (ready: ${observability.server.url}/health/ready)`);
    const why = await waitForStop(io.signal, silent.then((reason) => `silent: ${reason}`));
    await observability.close();
    await heartbeat.stop();
    await running.stop();
    io.out(`kraite: mark-price daemon stopped (${why})`);
    return why.startsWith('silent') ? 1 : 0;
  },
});
