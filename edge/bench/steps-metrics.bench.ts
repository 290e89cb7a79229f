// The metrics cost, a figure of the `steps` benchmark (`kraite bench steps-metrics`, or `steps
// --metrics`): BullMQ + MariaDB step throughput with the fleet process's instrumentation (every
// handler wrapped, per-hop histogram, a scrape of the registry every second — Prometheus scrapes
// every 15 s) against the same workload without, off and on runs interleaved in one process. Besides
// steps/s it reports this process's CPU per step, which other load on the machine barely moves.
import { cpus, loadavg } from 'node:os';
import { MemoryQueue } from '../../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../../core/adapters/memory/memory-step-store.ts';
import type { StepJob } from '../../core/queue/queue.port.ts';
import type { HandlerRegistry } from '../../core/steps/registry.ts';
import { redisOptions } from '../adapters/bullmq/redis-connection.ts';
import { BullMqQueue } from '../adapters/bullmq/bullmq-queue.ts';
import { dropKeys } from '../adapters/redis/drop-keys.ts';
import { openMySqlStepStore } from '../adapters/mysql/open-mysql-store.ts';
import type { CliIo } from '../cli/command.ts';
import { createFleetMetrics } from '../metrics/fleet-metrics.ts';
import { instrumentRegistry } from '../metrics/instrument-registry.ts';
import { BENCH_MYSQL as MYSQL, BENCH_REDIS as REDIS, scratchDatabase } from './bench-servers.ts';
import type { Benchmark } from './index.ts';
import { fmt, median, table, type Figure } from './stats.ts';
import { runStepWorkload } from './step-workload.ts';

// One registry for every metrics-on run, as a process has one: prom-client's default collectors
// (a GC observer, the event-loop delay monitor) cannot be switched off once started, so a registry
// per run would pile them up and slow every later run, on and off alike.
let shared: ReturnType<typeof createFleetMetrics> | null = null;

function instrumentation(metricsOn: boolean) {
  const metrics = metricsOn ? (shared ??= createFleetMetrics({ box: 'bench' })) : null;
  const scrape = metrics ? setInterval(() => void metrics.registry.metrics(), 1_000) : null;
  // As a fleet process: one histogram child per consumed queue, bound once.
  const hop = new Map<string, ReturnType<NonNullable<typeof metrics>['hopSeconds']['labels']>>();
  return {
    instrument: metrics ? {
      registry: (reg: HandlerRegistry) => instrumentRegistry(reg, metrics),
      onJob: (q: string, job: StepJob) => {
        let child = hop.get(q);
        if (!child) hop.set(q, (child = metrics.hopSeconds.labels(q)));
        child.observe(Math.max(0, Date.now() - job.dispatchedAt) / 1000);
      },
    } : undefined,
    stop: () => scrape && clearInterval(scrape),
  };
}

/** One run's figures: wall-clock throughput, and this process's CPU per step (which load from other processes barely moves). */
interface RunFigures {
  stepsPerSecond: number;
  cpuUsPerStep: number;
}

async function measured(work: () => Promise<{ steps: number; stepsPerSecond: number }>): Promise<RunFigures> {
  const cpu = process.cpuUsage();
  const r = await work();
  const used = process.cpuUsage(cpu);
  return { stepsPerSecond: r.stepsPerSecond, cpuUsPerStep: (used.user + used.system) / r.steps };
}

async function throughput(url: string, metricsOn: boolean, blocks: number): Promise<RunFigures> {
  const store = await openMySqlStepStore(url, { connectionLimit: 36 });
  const prefix = `kraite-bench-m-${Math.random().toString(36).slice(2, 8)}`;
  const queue = new BullMqQueue({ connection: redisOptions(REDIS), prefix });
  const m = instrumentation(metricsOn);
  try {
    return await measured(() => runStepWorkload({ store, queue, blocks, stepsPerBlock: 3, inFlight: 400, concurrency: 32, chain: true, instrument: m.instrument }));
  } finally {
    m.stop();
    await queue.close();
    await store.close();
    await dropKeys(REDIS, prefix);
  }
}

// The same on the embedded store and queue: no I/O, so the instrumentation's CPU shows undiluted.
async function embeddedThroughput(metricsOn: boolean): Promise<RunFigures> {
  const m = instrumentation(metricsOn);
  try {
    return await measured(() => runStepWorkload({ store: new MemoryStepStore(), queue: new MemoryQueue(), blocks: 3_334, stepsPerBlock: 3, inFlight: 1_000, concurrency: 64, chain: true, instrument: m.instrument }));
  } finally {
    m.stop();
  }
}

const load = () => loadavg().map((x) => fmt(x, 2)).join(' ');

/**
 * Off and on runs interleaved, the order alternating each round so a machine whose load drifts
 * favours neither; the figures are medians over rounds, and the per-round on/off ratio's median
 * (each ratio compares two runs made back to back, under about the same load).
 */
async function interleaved(io: CliIo, label: string, rounds: number, run: (metricsOn: boolean) => Promise<RunFigures>): Promise<Figure[]> {
  const off: RunFigures[] = [];
  const on: RunFigures[] = [];
  const loadBefore = load();
  for (let i = 0; i < rounds; i++) {
    for (const m of i % 2 === 0 ? [false, true] : [true, false]) (m ? on : off).push(await run(m));
    io.out(`  ${label} round ${i + 1}: off ${fmt(off[i]!.stepsPerSecond, 0)} steps/s ${fmt(off[i]!.cpuUsPerStep, 1)} µs CPU/step; on ${fmt(on[i]!.stepsPerSecond, 0)} steps/s ${fmt(on[i]!.cpuUsPerStep, 1)} µs CPU/step (load ${load()})`);
  }
  const rate = { off: median(off.map((r) => r.stepsPerSecond)), on: median(on.map((r) => r.stepsPerSecond)) };
  const cpu = { off: median(off.map((r) => r.cpuUsPerStep)), on: median(on.map((r) => r.cpuUsPerStep)) };
  const slower = median(on.map((r, i) => 1 - r.stepsPerSecond / off[i]!.stepsPerSecond)) * 100;
  const costlier = median(on.map((r, i) => r.cpuUsPerStep / off[i]!.cpuUsPerStep - 1)) * 100;
  const loadNote = `load average ${loadBefore} → ${load()}`;
  return [
    { name: `${label} throughput, metrics off (peer)`, value: `${fmt(rate.off, 0)} steps/s`, note: `median of ${rounds}` },
    { name: `${label} throughput, metrics on`, value: `${fmt(rate.on, 0)} steps/s`, target: '≤ 3 % slower', note: `${fmt(((rate.off - rate.on) / rate.off) * 100, 1)} % slower (medians); per-round median ${fmt(slower, 1)} %; ${loadNote}` },
    { name: `${label} process CPU per step, metrics off (peer)`, value: `${fmt(cpu.off, 1)} µs` },
    { name: `${label} process CPU per step, metrics on`, value: `${fmt(cpu.on, 1)} µs`, note: `+${fmt(cpu.on - cpu.off, 1)} µs (${fmt(((cpu.on - cpu.off) / cpu.off) * 100, 1)} %; per-round median ${fmt(costlier, 1)} %)` },
  ];
}

/** What one scrape of the (now filled) registry costs this process: Prometheus asks every 15 s, the runs above every second. */
async function scrapeCost(): Promise<Figure> {
  const registry = (shared ??= createFleetMetrics({ box: 'bench' })).registry;
  await registry.metrics();
  const cpu = process.cpuUsage();
  for (let i = 0; i < 50; i++) await registry.metrics();
  const used = process.cpuUsage(cpu);
  const us = (used.user + used.system) / 50;
  return { name: 'one scrape of the registry, process CPU', value: `${fmt(us / 1000, 2)} ms`, note: `every 15 s: ${fmt((us / 15_000_000) * 100, 3)} % of a core` };
}

/** Metrics on vs off, `runs` interleaved rounds of `blocks` 3-step blocks each, embedded then on BullMQ + MariaDB. */
export async function metricsCostFigures(io: CliIo, runs: number, blocks = 2_000): Promise<Figure[]> {
  io.out(`metrics cost: MariaDB (${MYSQL}) + BullMQ on Redis (${REDIS}), metrics off vs on, interleaved; load average ${load()} (${cpus().length} CPUs)`);
  await embeddedThroughput(false); // warm-up
  const embedded = await interleaved(io, 'embedded', runs, embeddedThroughput);
  const db = await scratchDatabase();
  try {
    await throughput(db.url, false, 100); // warm-up
    const distributed = await interleaved(io, 'BullMQ+MariaDB', runs, (m) => throughput(db.url, m, blocks));
    return [...embedded, ...distributed, await scrapeCost()];
  } finally {
    await db.drop();
  }
}

/** `kraite bench steps-metrics [--runs N] [--blocks N]`. */
export const stepsMetricsBenchmark: Benchmark = {
  name: 'steps-metrics',
  summary: 'metrics cost: steps/s and CPU per step on BullMQ + MariaDB with the fleet instrumentation on vs off, interleaved in the same run',
  async run(io, args) {
    const flag = (name: string, fallback: number) => {
      const i = args.indexOf(name);
      return i >= 0 && args[i + 1] ? Math.max(1, Number(args[i + 1])) : fallback;
    };
    const figures = await metricsCostFigures(io, flag('--runs', 7), flag('--blocks', 2_000));
    io.out('');
    for (const line of table(figures)) io.out(line);
    return 0;
  },
};
