// `kraite run --box <name>` runs one box's share of the topology; `kraite run --all` (npm start)
// runs every role in one process. SIGTERM/SIGINT stop it gracefully.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { allInOne, findBox, queuesForBox } from '../../../core/fleet/topology.ts';
import type { Topology } from '../../../core/fleet/topology.schema.ts';
import { createRegistry } from '../../../handlers/index.ts';
import { createStatusApp, type StatusLinks } from '../../../web/status/status-app.ts';
import { checkEgress, missingEgress } from '../../fleet/egress-check.ts';
import { meteredRegistry, processMetrics, serveObservability } from '../../metrics/start-observability.ts';
import { startOperatorChannels } from '../../notify/start-operator-channels.ts';
import { startControlEndpoint } from '../../runtime/control-endpoint.ts';
import { controlFilePath } from '../../runtime/control-file.ts';
import { startFirstRun } from '../../runtime/first-run.ts';
import { markPriceWsUrl, startMarkPriceDaemon } from '../../streams/mark-price/start-mark-price.ts';
import { openBackends } from '../../runtime/backends.ts';
import type { PaperState } from '../../runtime/paper-state.ts';
import { startFleetProcess, type ProcessPlan } from '../../runtime/fleet-process.ts';
import { serveWeb, serveWebApps } from '../../runtime/serve-web.ts';
import { processLogger } from '../../runtime/process-logger.ts';
import { recoveryDaemonOptions, recoveryLimits, stableWorkerId } from '../../runtime/recovery-config.ts';
import { startupBlock } from '../../runtime/startup-banner.ts';
import { statusReporter } from '../../runtime/status-report.ts';
import { tradingRuntime } from '../../runtime/trading-runtime.ts';
import { defineCommand, UsageError } from '../command.ts';
import { waitForStop } from '../wait-for-stop.ts';

/** What `--box` or `--all` asks this process to run. */
export function planFor(topology: Topology, target: { box?: string; all?: boolean }): ProcessPlan & { web: boolean } {
  if (target.all) {
    const all = allInOne(topology);
    return { boxes: topology.boxes.filter((b) => b.roles.some((r) => r !== 'storage')).map((b) => b.name), consumers: all.consumers, dispatch: all.daemons.includes('dispatcher'), web: true };
  }
  const box = findBox(topology, target.box!);
  if (box.roles.every((r) => r === 'storage')) throw new UsageError(`box ${box.name} is a storage box: it runs MySQL and Redis, no Kraite process`);
  return { boxes: [box.name], consumers: queuesForBox(topology, box.name), dispatch: box.daemons.includes('dispatcher'), web: box.roles.includes('web') };
}

/** The start-up block's line on where this process serves its metrics and readiness. */
function metricsNote(at: string | undefined, on: boolean): string[] {
  if (!at) return [];
  return [`metrics: ${on ? `${at}/metrics` : 'off (KRAITE_METRICS=off)'}  (ready: ${at}/health/ready)`];
}

/** Where the embedded state lives and what this start resumed. */
function paperWhere(paper: PaperState, dataDir: string): string {
  const { snapshot, records, droppedBytes } = paper.loaded;
  const resumed = snapshot ? `resumed${records ? ` (${records} journal records replayed)` : ''}${droppedBytes ? `, a torn tail of ${droppedBytes} bytes dropped` : ''}` : 'new';
  return `${resolve(dataDir)} (${resumed}; kraite reset-paper starts over)`;
}

/** Runs a box, or the whole fleet, until stopped. */
export const runCommand = defineCommand({
  name: 'run',
  group: 'operate',
  env: ['DATABASE_URL and REDIS_URL (optional: embedded without them)', 'KRAITE_EXCHANGE_URL (optional: the built-in simulator without it)', 'KRAITE_PAPER_MARKET_URL (optional: the built-in simulator follows that market\'s prices)'],
  example: 'run --all',
  flags: { box: 'run this box of the topology (kraite topology lists them)', all: 'run every role in one process (what npm start does)' },
  summary: 'run one box of the topology (--box NAME) or every role in one process (--all, what npm start does)',
  usage: 'run (--box NAME | --all)',
  options: { box: { type: 'string' }, all: { type: 'boolean' } },
  async run({ values }, io) {
    if (Boolean(values.box) === Boolean(values.all)) throw new UsageError('run needs exactly one of --box NAME or --all');
    // The embedded fleet keeps its store and paper venue in KRAITE_DATA_DIR; a single box never does.
    const backends = await openBackends(io.env, { persist: Boolean(values.all) });
    const { config, topology } = backends;
    const plan = planFor(topology, { box: values.box as string | undefined, all: values.all as boolean | undefined });
    // Box-stable (no pid): a restarted process takes back the steps its previous life was running.
    const worker = stableWorkerId(plan.boxes, hostname());
    // Log lines written while starting wait until the banner is out: the banner comes first, the
    // block of URLs and sign-ins last, and no log line splits either.
    const held: string[] = [];
    let holding = true;
    const release = () => {
      holding = false;
      for (const line of held.splice(0)) io.out(line);
    };
    const logger = processLogger(config, { worker }, (line) => (holding ? held.push(line) : io.out(line)));
    try {
      // A single trading box leaves from its own egress IPs; `--all` (development) from the default route.
      const egressIps = plan.boxes.length === 1 ? findBox(topology, plan.boxes[0]!).egressIps : undefined;
      if (egressIps?.length && config.KRAITE_EXCHANGE_URL) {
        // An address this host lacks fails every signed call (EADDRNOTAVAIL): refuse to start instead.
        const missing = missingEgress(await checkEgress(topology, plan.boxes), topology.name);
        if (missing) {
          await backends.close();
          throw missing;
        }
      }
      const metrics = processMetrics(config, plan);
      const trading = await tradingRuntime({ config, store: backends.store, embedded: backends.mode.store === 'memory', logger, egressIps, metrics, paper: backends.paper });
      const registry = meteredRegistry(createRegistry(trading.handlers), metrics);
      const fleet = startFleetProcess({ plan, store: backends.store, queue: backends.queue, router: backends.router, registry, logger, worker, metrics,
        limits: recoveryLimits(config), daemon: recoveryDaemonOptions(config),
      });
      const runs = (daemon: string) => topology.boxes.some((b) => plan.boxes.includes(b.name) && (b.daemons as string[]).includes(daemon));
      // Opens and closes announced, and the Telegram commands, where the scheduler runs (once per fleet);
      // started before paper trading so its first look precedes the first open.
      const operator = runs('scheduler') && fleet.edge ? await startOperatorChannels({ config, store: backends.store, notifier: fleet.edge.notifier, logger }) : null;
      if (plan.consumers.some((c) => c.lane === 'positions')) trading.start(fleet.engine);
      // Against an exchange, the scheduler's box fetches what a fresh install lacks at once (paper trading seeds its own).
      const firstRun = config.KRAITE_EXCHANGE_URL && runs('scheduler') ? await startFirstRun(fleet.engine, logger) : null;
      // One process for the whole fleet runs the mark-price stream too; a fleet of boxes runs it as its own unit.
      const markPrice = values.all && config.KRAITE_EXCHANGE_URL && config.DATABASE_URL && runs('mark-price-stream')
        ? startMarkPriceDaemon({ databaseUrl: config.DATABASE_URL, base: markPriceWsUrl(config), logger: logger.child({ daemon: 'mark-price' }), onSilent: (reason) => logger.error('mark-price stream silent', { reason }) })
        : null;
      // Metrics and health: the box's own port; the whole fleet in one process mounts them on its status server.
      const observability = await serveObservability({ backends, plan, fleet, metrics, governor: trading.governor, markPrice: markPrice?.daemon.stats, listen: !values.all, logger });
      io.out([
        `kraite: running ${values.all ? 'the whole fleet in one process' : `box ${plan.boxes[0]}`} (topology ${topology.name})`,
        `  store: ${backends.mode.store === 'mysql' ? 'MySQL (DATABASE_URL)' : backends.paper ? `in-memory, kept in ${paperWhere(backends.paper, config.KRAITE_DATA_DIR)}` : 'in-memory (embedded; set DATABASE_URL for MySQL)'}`,
        `  queue: ${backends.mode.queue === 'bullmq' ? 'BullMQ (REDIS_URL)' : 'in-process (embedded; set REDIS_URL for BullMQ)'}`,
        `  consuming: ${plan.consumers.map((c) => `${c.queue}×${c.concurrency}`).join(', ') || 'nothing'}`,
        `  dispatch daemon: ${plan.dispatch ? 'running' : 'not on this box'}`,
        `  egress: ${!config.KRAITE_EXCHANGE_URL ? 'none (embedded simulator)' : egressIps?.length ? `${egressIps.join(', ')} (box ${plan.boxes[0]})` : 'default route'}`,
        ...trading.lines,
        ...(firstRun ? [`  first run: step ${firstRun.id} fetches missing exchange symbols and klines, then runs an open tick`] : []),
        ...(markPrice ? [`  mark prices: ${markPrice.url}`] : []),
        ...(operator?.lines ?? []),
        ...(observability.server ? metricsNote(observability.server.url, Boolean(metrics)).map((line) => `  ${line}`) : []),
      ].join('\n'));
      const links: StatusLinks = {};
      const web = plan.web ? await serveWeb(createStatusApp(statusReporter(backends, plan, fleet), () => links).route('/', observability.app), config.KRAITE_HOST, config.KRAITE_PORT) : null;
      const apps = plan.web ? await serveWebApps({ backends, plan, fleet, governor: trading.governor, paperAccount: trading.paperAccount }) : null;
      Object.assign(links, apps && { admin: apps.admin.url, console: apps.console.url, docs: apps.docs.url });
      // The embedded store lives only in this process (npm start): the CLI's read and operator commands reach it here.
      const control = values.all && backends.mode.store === 'memory'
        ? await startControlEndpoint({ dataDir: config.KRAITE_DATA_DIR, store: backends.store, env: io.env, run: async (argv, cio) => (await import('../main.ts')).main(argv, cio) })
        : null;

      release();
      const block = startupBlock({
        links: { status: web?.url, ...(apps && { admin: apps.admin.url, console: apps.console.url, docs: apps.docs.url, site: apps.site.url }) },
        admin: apps?.firstRun.admin, console: apps?.firstRun.console,
        notes: [...(observability.server ? [] : metricsNote(web?.url, Boolean(metrics))), ...(apps?.notes ?? []), ...(control ? [`cli: kraite positions, orders, steps, regime, accounts:trading … reach this process (${controlFilePath(config.KRAITE_DATA_DIR)})`] : [])],
      });
      // Listening before the block goes out: whoever reads it may stop us at once, and until Node has a
      // SIGTERM listener the signal's default action kills the process without a graceful stop.
      const stopped = waitForStop(io.signal);
      // One write: nothing the fleet logs meanwhile can land inside the block.
      if (block.length) io.out(block.join('\n'));

      const why = await stopped;
      io.out(`kraite: ${why}: stopping; in-flight steps get ${config.KRAITE_SHUTDOWN_DEADLINE_MS} ms to finish`);
      await control?.stop();
      await web?.close();
      await observability.close();
      await apps?.close();
      await operator?.stop();
      await markPrice?.stop();
      await trading.stop();
      await fleet.stop(config.KRAITE_SHUTDOWN_DEADLINE_MS);
      await backends.close();
      io.out('kraite: stopped');
      return 0;
    } finally {
      release();
    }
  },
});
