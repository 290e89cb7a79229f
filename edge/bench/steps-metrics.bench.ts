// The metrics cost, a figure of the `steps` benchmark (`kraite bench steps-metrics`, or `steps
// --metrics`): BullMQ + MariaDB step throughput with the fleet process's instrumentation (every
// handler wrapped, per-hop histogram, a scrape of the registry every second — Prometheus scrapes
// every 15 s) against the same workload without, alternating off/on runs in one process.
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

function instrumentation(metricsOn: boolean) {
  const metrics = metricsOn ? createFleetMetrics({ box: 'bench' }) : null;
  const scrape = metrics ? setInterval(() => void metrics.registry.metrics(), 1_000) : null;
  return {
    instrument: metrics ? { registry: (reg: HandlerRegistry) => instrumentRegistry(reg, metrics), onJob: (q: string, job: StepJob) => metrics.hopSeconds.labels(q).observe(Math.max(0, Date.now() - job.dispatchedAt) / 1000) } : undefined,
    stop: () => scrape && clearInterval(scrape),
  };
}

async function throughput(url: string, metricsOn: boolean, blocks: number): Promise<number> {
  const store = await openMySqlStepStore(url, { connectionLimit: 36 });
  const prefix = `kraite-bench-m-${Math.random().toString(36).slice(2, 8)}`;
  const queue = new BullMqQueue({ connection: redisOptions(REDIS), prefix });
  const m = instrumentation(metricsOn);
  try {
    return (await runStepWorkload({ store, queue, blocks, stepsPerBlock: 3, inFlight: 400, concurrency: 32, chain: true, instrument: m.instrument })).stepsPerSecond;
  } finally {
    m.stop();
    await queue.close();
    await store.close();
    await dropKeys(REDIS, prefix);
  }
}

// The same on the embedded store and queue: no I/O, so the instrumentation's CPU shows undiluted.
async function embeddedThroughput(metricsOn: boolean): Promise<number> {
  const m = instrumentation(metricsOn);
  try {
    return (await runStepWorkload({ store: new MemoryStepStore(), queue: new MemoryQueue(), blocks: 3_334, stepsPerBlock: 3, inFlight: 1_000, concurrency: 64, chain: true, instrument: m.instrument })).stepsPerSecond;
  } finally {
    m.stop();
  }
}

/** Embedded figures: the CPU cost per step with nothing else in the way. */
async function embeddedCost(io: CliIo, runs: number): Promise<Figure[]> {
  const off: number[] = [];
  const on: number[] = [];
  await embeddedThroughput(false);
  for (let i = 0; i < runs; i++) {
    for (const m of i % 2 === 0 ? [false, true] : [true, false]) (m ? on : off).push(await embeddedThroughput(m));
  }
  const a = median(off);
  const b = median(on);
  io.out(`  embedded: off ${off.map((x) => fmt(x, 0)).join(', ')}; on ${on.map((x) => fmt(x, 0)).join(', ')} steps/s`);
  return [
    { name: 'embedded throughput, metrics off (peer)', value: `${fmt(a, 0)} steps/s` },
    { name: 'embedded throughput, metrics on', value: `${fmt(b, 0)} steps/s`, note: `${fmt(((a - b) / a) * 100, 1)} % slower: the CPU cost alone` },
  ];
}

/** Metrics on vs off, `runs` alternating pairs of `blocks` 3-step blocks. */
export async function metricsCostFigures(io: CliIo, runs: number, blocks = 3_334): Promise<Figure[]> {
  io.out(`metrics cost: MariaDB (${MYSQL}) + BullMQ on Redis (${REDIS}), metrics off vs on, alternating`);
  const embedded = await embeddedCost(io, runs);
  const db = await scratchDatabase();
  try {
    await throughput(db.url, false, 100); // warm-up
    const off: number[] = [];
    const on: number[] = [];
    for (let i = 0; i < runs; i++) {
      // Alternate which goes first so a drifting machine does not favour one side.
      const order = i % 2 === 0 ? [false, true] : [true, false];
      for (const m of order) (m ? on : off).push(await throughput(db.url, m, blocks));
      io.out(`  run ${i + 1}: off ${fmt(off[i]!, 0)} steps/s, on ${fmt(on[i]!, 0)} steps/s`);
    }
    const a = median(off);
    const b = median(on);
    return [
      ...embedded,
      { name: 'BullMQ+MariaDB throughput, metrics off (peer)', value: `${fmt(a, 0)} steps/s` },
      { name: 'BullMQ+MariaDB throughput, metrics on', value: `${fmt(b, 0)} steps/s`, target: '≤ 3 % slower', note: `${fmt(((a - b) / a) * 100, 1)} % slower (median of ${runs})` },
    ];
  } finally {
    await db.drop();
  }
}

/** `kraite bench steps-metrics [--runs N] [--blocks N]`. */
export const stepsMetricsBenchmark: Benchmark = {
  name: 'steps-metrics',
  summary: 'metrics cost: steps/s on BullMQ + MariaDB with the fleet instrumentation on vs off, in the same run',
  async run(io, args) {
    const flag = (name: string, fallback: number) => {
      const i = args.indexOf(name);
      return i >= 0 && args[i + 1] ? Math.max(1, Number(args[i + 1])) : fallback;
    };
    const figures = await metricsCostFigures(io, flag('--runs', 5), flag('--blocks', 3_334));
    io.out('');
    for (const line of table(figures)) io.out(line);
    return 0;
  },
};
