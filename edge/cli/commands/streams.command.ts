// `kraite streams:user-data [--shard i/n]`: the user-data stream daemon on its own, for athena or
// for one of several shard processes. It produces steps on the `user-data-stream` lane (the box's
// consumers run them) and exits 1 when it crosses its memory ceiling, so the supervisor restarts it.
import { hostname } from 'node:os';
import { ValidationError } from '../../../core/errors.ts';
import { processLogger } from '../../runtime/process-logger.ts';
import { StepEngine } from '../../../core/steps/engine.ts';
import { createRegistry } from '../../../handlers/index.ts';
import { openBackends } from '../../runtime/backends.ts';
import { tradingRuntime } from '../../runtime/trading-runtime.ts';
import { parseShard, type Shard } from '../../streams/user-data/shard.ts';
import { startUserDataDaemon } from '../../streams/user-data/start-user-data.ts';
import { startDaemonHeartbeat } from '../../heartbeat/daemon-heartbeat.ts';
import { daemonBox, serveDaemonObservability } from '../../metrics/daemon-observability.ts';
import { createFleetMetrics } from '../../metrics/fleet-metrics.ts';
import { databaseCheck, redisCheck, userDataCheck, type Check } from '../../metrics/readiness.ts';
import { scrapeCollector } from '../../metrics/scrape-collectors.ts';
import { defineCommand, UsageError } from '../command.ts';
import { waitForStop } from '../wait-for-stop.ts';

/** Runs the user-data streams of every trading account (or one shard of them) until stopped. */
export const streamsUserDataCommand = defineCommand({
  name: 'streams:user-data',
  group: 'operate',
  env: ['DATABASE_URL', 'KRAITE_EXCHANGE_URL', 'KRAITE_METRICS, KRAITE_METRICS_PORT, KRAITE_METRICS_HOST (optional)'],
  example: 'streams:user-data --shard 1/2',
  flags: { shard: 'stream only this share of the accounts, as index/count' },
  summary: 'run the user-data stream daemon: one socket per trading account (or per account of --shard i/n)',
  usage: 'streams:user-data [--shard i/n]',
  options: { shard: { type: 'string' } },
  async run({ values }, io) {
    let shard: Shard | undefined;
    try {
      shard = values.shard === undefined ? undefined : parseShard(String(values.shard));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const backends = await openBackends(io.env);
    const { config } = backends;
    try {
      if (backends.mode.store !== 'mysql') throw new ValidationError('streams:user-data reads the accounts table: set DATABASE_URL (npm start runs the streams inside its own process)', 'NO_DATABASE');
      if (!config.KRAITE_EXCHANGE_URL) throw new ValidationError('streams:user-data needs KRAITE_EXCHANGE_URL (https://fapi.binance.com, or a `kraite sim` URL)', 'INVALID_CONFIG');
    } catch (error) {
      await backends.close();
      throw error;
    }
    const worker = `user-data${shard ? `-${shard.index}of${shard.count}` : ''}@${hostname()}:${process.pid}`;
    const logger = processLogger(config, { worker }, io.out);
    const box = daemonBox(backends.topology, 'user-data-stream');
    const metrics = config.KRAITE_METRICS === 'off' ? null : createFleetMetrics({ box });
    const trading = await tradingRuntime({ config, store: backends.store, embedded: false, logger, metrics });
    const engine = new StepEngine({ store: backends.store, queue: backends.queue, router: backends.router, registry: createRegistry(trading.handlers), logger, worker });
    let onExceeded = () => {};
    const exceeded = new Promise<void>((resolve) => (onExceeded = resolve));
    const daemon = await startUserDataDaemon({ engine, config, logger, shard, memory: { onExceeded: () => onExceeded() },
      onEnqueued: metrics ? (eventTime) => metrics.userDataLag.observe(Math.max(0, Date.now() - eventTime) / 1000) : undefined,
    });
    // Its own /metrics and /health on the port the topology gives it (the box's + 200 + the shard index).
    const userData = { status: () => daemon?.status() ?? ('off' as const), stop: async () => undefined };
    const redis = config.REDIS_URL ? redisCheck(config.REDIS_URL) : null;
    const checks: Record<string, Check> = { database: databaseCheck(backends.store), ...(redis && { redis }), 'user-data-stream': userDataCheck(userData) };
    const observability = await serveDaemonObservability({
      config, topology: backends.topology, daemon: 'user-data-stream', shardIndex: shard?.index, metrics, checks, logger, onClose: async () => redis?.close(),
      collect: metrics ? scrapeCollector(metrics, { queue: backends.queue, queues: [backends.router.queueFor('user-data-stream')], daemon: null, governor: trading.governor, rows: null, userData, now: Date.now }) : undefined,
    });
    const heartbeat = await startDaemonHeartbeat({ config, env: io.env, daemon: 'user-data-stream', logger, worker });
    io.out(`kraite streams:user-data: ${daemon?.status().accounts ?? 0} account(s)${shard ? ` of shard ${shard.index}/${shard.count}` : ''} on ${config.KRAITE_EXCHANGE_URL}`);
    if (observability.server) io.out(`  metrics: ${metrics ? `${observability.server.url}/metrics` : 'off (KRAITE_METRICS=off)'}  (ready: ${observability.server.url}/health/ready)`);
    // The daemon's own timers are unref'd; this keeps the process up even with no account to stream.
    const alive = setInterval(() => {}, 3_600_000);
    const why = await waitForStop(io.signal, exceeded.then(() => 'memory ceiling'));
    clearInterval(alive);
    io.out(`kraite streams:user-data: ${why}: stopping`);
    await observability.close();
    await heartbeat.stop();
    await daemon?.stop();
    await trading.stop();
    await backends.close();
    return why === 'memory ceiling' ? 1 : 0;
  },
});
