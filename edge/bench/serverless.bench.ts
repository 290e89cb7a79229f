// Benchmark `serverless` (issue 20): per-hop overhead and steps/s of 3-step no-op blocks run by the
// Queues consumer in workerd (Miniflare) on the PlanetScale store — the real @planetscale/database
// client over HTTP to the protocol shim in front of MariaDB — beside the same blocks on mysql2 + BullMQ
// from the same run (no chaining on either side: every hop is a queue message). Counters per step
// (HTTP round trips, commits, queue messages) do not depend on load; times do, so the load average is printed.
import { loadavg } from 'node:os';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { startPlanetScaleShim } from '../../test/support/planetscale-shim.ts';
import { BullMqQueue } from '../adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../adapters/bullmq/redis-connection.ts';
import { dropKeys } from '../adapters/redis/drop-keys.ts';
import { openMySqlStepStore } from '../adapters/mysql/open-mysql-store.ts';
import type { CliIo } from '../cli/command.ts';
import { BENCH_REDIS as REDIS, scratchDatabase } from './bench-servers.ts';
import type { Benchmark } from './index.ts';
import { fmt, median, percentile, table, type Figure } from './stats.ts';
import { runStepWorkload } from './step-workload.ts';

const LATENCY = { blocks: 60, inFlight: 1 };
const THROUGHPUT = { blocks: 200, inFlight: 40 };

interface WorkerResult {
  done: boolean;
  ran: number;
  total: number;
  seconds: number | null;
  hops: number[];
  messages: number;
  retries: number;
  statements: number;
  commits: number;
}

interface Measured {
  stepsPerSecond: number;
  hopP50Ms: number;
  hopP99Ms: number;
  roundTripsPerStep: number;
  commitsPerStep: number;
  messagesPerStep: number;
}

let bundled: string | null = null;
async function workerScript(): Promise<string> {
  bundled ??= (await build({
    entryPoints: [new URL('./serverless-bench-worker.ts', import.meta.url).pathname], bundle: true, format: 'esm', platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'], target: 'es2022', write: false, logLevel: 'silent',
  })).outputFiles[0]!.text;
  return bundled;
}

async function compatibilityDate(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const toml = await readFile(new URL('../../wrangler.toml', import.meta.url), 'utf8');
  return /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)![1]!;
}

/** One run in workerd over a fresh database behind a fresh shim. */
async function workerdRun(blocks: number, inFlight: number): Promise<Measured> {
  const db = await scratchDatabase();
  const shim = await startPlanetScaleShim(db.url);
  const mf = new Miniflare({
    modules: true, script: await workerScript(), compatibilityDate: await compatibilityDate(),
    queueProducers: { STEPS: { queueName: 'kraite-steps' } },
    queueConsumers: { 'kraite-steps': { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 3 } },
  });
  try {
    await mf.ready;
    const start = await mf.dispatchFetch('http://bench/start', { method: 'POST', body: JSON.stringify({ url: shim.url, blocks, inFlight }) });
    if (!start.ok) throw new Error(`bench worker did not start: ${await start.text()}`);
    const requests0 = shim.counters.requests;
    let r: WorkerResult;
    const deadline = Date.now() + 600_000;
    for (;;) {
      r = await (await mf.dispatchFetch('http://bench/result')).json() as WorkerResult;
      if (r.done) break;
      if (Date.now() > deadline) throw new Error(`serverless run stuck at ${r.ran}/${r.total} steps`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const steps = r.total;
    return {
      stepsPerSecond: steps / r.seconds!, hopP50Ms: percentile(r.hops, 50), hopP99Ms: percentile(r.hops, 99),
      // The shim's own requests, minus the result polls (those do not reach the shim), per step.
      roundTripsPerStep: (shim.counters.requests - requests0) / steps, commitsPerStep: r.commits / steps, messagesPerStep: r.messages / steps,
    };
  } finally {
    await mf.dispose();
    await shim.close();
    await db.drop();
  }
}

/** The peer: the same blocks on mysql2 + BullMQ, each hop through the queue. */
async function mysqlBullRun(blocks: number, inFlight: number): Promise<Measured> {
  const db = await scratchDatabase();
  const store = await openMySqlStepStore(db.url, { connectionLimit: 24 });
  const prefix = `kraite-bench-sls-${Math.random().toString(36).slice(2, 8)}`;
  const queue = new BullMqQueue({ connection: redisOptions(REDIS), prefix });
  try {
    const commits0 = store.stats.commits;
    const r = await runStepWorkload({ store, queue, blocks, stepsPerBlock: 3, inFlight, concurrency: 16, chain: false });
    return { stepsPerSecond: r.stepsPerSecond, hopP50Ms: r.hopP50Ms, hopP99Ms: r.hopP99Ms, roundTripsPerStep: Number.NaN, commitsPerStep: (store.stats.commits - commits0) / r.steps, messagesPerStep: Number.NaN };
  } finally {
    await queue.close();
    await store.close();
    await dropKeys(REDIS, prefix);
    await db.drop();
  }
}

const med = (runs: Measured[], f: (m: Measured) => number) => median(runs.map(f));

async function figures(io: CliIo, runs: number): Promise<Figure[]> {
  const sls: Measured[] = [];
  const slsT: Measured[] = [];
  const peer: Measured[] = [];
  const peerT: Measured[] = [];
  for (let i = 0; i < runs; i++) {
    io.out(`run ${i + 1}/${runs}: workerd + Queues + PlanetScale (shim → MariaDB), then mysql2 + BullMQ`);
    sls.push(await workerdRun(LATENCY.blocks, LATENCY.inFlight));
    slsT.push(await workerdRun(THROUGHPUT.blocks, THROUGHPUT.inFlight));
    peer.push(await mysqlBullRun(LATENCY.blocks, LATENCY.inFlight));
    peerT.push(await mysqlBullRun(THROUGHPUT.blocks, THROUGHPUT.inFlight));
  }
  return [
    { name: 'workerd + Queues + PlanetScale: per-hop p50', value: `${fmt(med(sls, (m) => m.hopP50Ms), 1)} ms` },
    { name: 'workerd + Queues + PlanetScale: per-hop p99', value: `${fmt(med(sls, (m) => m.hopP99Ms), 1)} ms` },
    { name: `workerd + Queues + PlanetScale: steps/s (${THROUGHPUT.blocks} blocks, ${THROUGHPUT.inFlight} in flight)`, value: `${fmt(med(slsT, (m) => m.stepsPerSecond), 0)} steps/s` },
    { name: 'workerd: PlanetScale HTTP round trips per step', value: fmt(med(slsT, (m) => m.roundTripsPerStep), 2) },
    { name: 'workerd: commits per step', value: fmt(med(slsT, (m) => m.commitsPerStep), 2) },
    { name: 'workerd: queue messages per step', value: fmt(med(slsT, (m) => m.messagesPerStep), 2) },
    { name: 'peer mysql2 + BullMQ (no chaining): per-hop p50', value: `${fmt(med(peer, (m) => m.hopP50Ms), 1)} ms` },
    { name: 'peer mysql2 + BullMQ (no chaining): per-hop p99', value: `${fmt(med(peer, (m) => m.hopP99Ms), 1)} ms` },
    { name: 'peer mysql2 + BullMQ (no chaining): steps/s', value: `${fmt(med(peerT, (m) => m.stepsPerSecond), 0)} steps/s` },
    { name: 'peer mysql2 + BullMQ: commits per step', value: fmt(med(peerT, (m) => m.commitsPerStep), 2) },
  ];
}

/** The `serverless` benchmark. */
export const serverlessBenchmark: Benchmark = {
  name: 'serverless',
  summary: 'per-hop overhead and steps/s through the Queues consumer on the PlanetScale store in Miniflare, beside mysql2 + BullMQ',
  async run(io, args) {
    const at = args.indexOf('--runs');
    const runs = at >= 0 ? Math.max(1, Number(args[at + 1]) || 3) : 3;
    const [l1, l5] = loadavg();
    io.out(`load average at start: ${fmt(l1!, 2)} (1 min), ${fmt(l5!, 2)} (5 min)`);
    const list = await figures(io, runs);
    const [e1] = loadavg();
    io.out(`load average at end: ${fmt(e1!, 2)} (1 min)`);
    io.out('');
    for (const line of table(list)) io.out(line);
    return 0;
  },
};
