// Benchmark `taapi` (spec/quality.md): 300 indicator requests through the fake TAAPI server from
// several workers, each on its own Redis connection, all drawing on one fleet-wide limiter (68 per
// 15 s, 221 ms apart), in a child process as tyche is its own box. Must see no provider 429, reach ≥ 95 % of the allowed rate, and leave the
// trading per-hop p99 (embedded step workload in the same process) within 1.2× of its unloaded
// value measured in the same run: the fleet-mode hop (BullMQ on the limiter's Redis + MariaDB)
// is the figure; the embedded hop is printed beside it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MemoryQueue } from '../../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../../core/adapters/memory/memory-step-store.ts';
import { TAAPI_RATE_LIMIT } from '../../core/market/rate-limiter.port.ts';
import { BullMqQueue } from '../adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../adapters/bullmq/redis-connection.ts';
import { openMySqlStepStore } from '../adapters/mysql/open-mysql-store.ts';
import { dropKeys } from '../adapters/redis/drop-keys.ts';
import type { CliIo } from '../cli/command.ts';
import { scratchDatabase } from './bench-servers.ts';
import type { Benchmark } from './index.ts';
import { fmt, median, table } from './stats.ts';
import { runStepWorkload } from './step-workload.ts';

const WORKERS = 4;

/** What the load child reports. */
export interface TaapiRun {
  requests: number;
  seconds: number;
  /** First to last accepted request at the server. */
  spanSeconds: number;
  status429: number;
  throttleWaits: number;
  peakInWindow: number;
  minGapMs: number;
}
const CHILD = fileURLToPath(new URL('./taapi-load.child.ts', import.meta.url));

/**
 * Runs the indicator side in its own process, as tyche is its own box: the load and the fake
 * TAAPI. `ready` resolves once the child has started (its start-up is not the load measured).
 */
function taapiLoad(requests: number, redisUrl: string): { ready: Promise<void>; done: Promise<TaapiRun> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, String(requests), String(WORKERS), redisUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let markReady!: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8');
    if (out.includes('ready\n')) markReady();
  });
  const done = new Promise<TaapiRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      markReady();
      if (code === 0) resolve(JSON.parse(out.slice(out.indexOf('ready\n') + 6)) as TaapiRun);
      else reject(new Error(`taapi load exited ${code}`));
    });
  });
  return { ready, done };
}

const REDIS_DEFAULT = 'redis://127.0.0.1:6379';

/** One embedded hop measurement: p99 of 3,000 steps in 3-step blocks. */
const embeddedP99 = async () => (await runStepWorkload({
  store: new MemoryStepStore(), queue: new MemoryQueue(), blocks: 1_000, stepsPerBlock: 3, inFlight: 32, concurrency: 64, chain: true,
})).hopP99Ms;

/** One fleet-mode hop measurement (BullMQ on the same Redis as the limiter + MariaDB): p99 of 600 steps. */
async function fleetP99(databaseUrl: string, redisUrl: string): Promise<number> {
  const store = await openMySqlStepStore(databaseUrl, { connectionLimit: 12 });
  const prefix = `kraite-bench-taapi-hop-${Math.random().toString(36).slice(2, 8)}`;
  const queue = new BullMqQueue({ connection: redisOptions(redisUrl), prefix });
  try {
    return (await runStepWorkload({ store, queue, blocks: 200, stepsPerBlock: 3, inFlight: 4, concurrency: 8, chain: true })).hopP99Ms;
  } finally {
    await queue.close();
    await store.close();
    await dropKeys(redisUrl, prefix);
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The `taapi` benchmark. */
export const taapiBenchmark: Benchmark = {
  name: 'taapi',
  summary: 'TAAPI throttle: 300 requests from 4 workers through one Redis limiter against the fake TAAPI; 429s, rate, trading hop p99',
  async run(io: CliIo, args: string[]) {
    const i = args.indexOf('--requests');
    const requests = i >= 0 ? Number(args[i + 1]) : 300;
    if (!Number.isInteger(requests) || requests < 2) {
      io.err('--requests must be an integer ≥ 2');
      return 2;
    }
    const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? REDIS_DEFAULT;
    io.out(`${requests} TAAPI bulk requests, ${WORKERS} workers, limiter ${TAAPI_RATE_LIMIT.limit}/${TAAPI_RATE_LIMIT.windowMs / 1000} s ≥ ${TAAPI_RATE_LIMIT.spacingMs} ms apart on ${redisUrl}; fake TAAPI plan 75/15 s`);
    const db = await scratchDatabase();
    try {
      // Both hop figures are taken with the same cadence, unloaded and then while the load runs.
      const sample = async (into: { embedded: number[]; fleet: number[] }) => {
        into.embedded.push(await embeddedP99());
        into.fleet.push(await fleetP99(db.url, redisUrl));
        await pause(50);
      };
      const warm = { embedded: [] as number[], fleet: [] as number[] };
      for (let k = 0; k < 2; k++) await sample(warm);
      const unloaded = { embedded: [] as number[], fleet: [] as number[] };
      for (let k = 0; k < 8; k++) await sample(unloaded);
      let loadDone = false;
      const { ready, done } = taapiLoad(requests, redisUrl);
      const load = done.finally(() => (loadDone = true));
      await ready;
      const loaded = { embedded: [] as number[], fleet: [] as number[] };
      while (!loadDone) await sample(loaded);
      const run = await load;
      // Unloaded samples on both sides of the load, so other activity on the box drifting during the
      // run does not bias the ratio one way.
      for (let k = 0; k < 8; k++) await sample(unloaded);
      // Allowed: the plan we run under (68 per 15 s); the 221 ms spacing caps it at 4.52/s.
      const allowed = TAAPI_RATE_LIMIT.limit / (TAAPI_RATE_LIMIT.windowMs / 1000);
      const achieved = (run.requests - 1) / run.spanSeconds;
      const ratio = (k: 'embedded' | 'fleet') => median(loaded[k]) / median(unloaded[k]);
      for (const line of table([
        { name: 'requests served', value: String(run.requests), note: `in ${fmt(run.seconds)} s, first to last ${fmt(run.spanSeconds)} s` },
        { name: 'provider 429 responses', value: String(run.status429), target: '0' },
        { name: 'achieved rate', value: `${fmt(achieved, 3)}/s`, note: `allowed ${fmt(allowed, 3)}/s` },
        { name: 'achieved / allowed', value: fmt(achieved / allowed, 3), target: '≥ 0.95' },
        { name: 'peak in any 15 s (server)', value: String(run.peakInWindow), note: 'plan 75, limiter 68' },
        { name: 'smallest gap between requests', value: `${fmt(run.minGapMs, 0)} ms`, note: '(server receive times: HTTP jitter)' },
        { name: 'throttle waits (reschedules)', value: String(run.throttleWaits) },
        { name: 'hop p99, BullMQ + MariaDB, unloaded', value: `${fmt(median(unloaded.fleet), 3)} ms`, note: `median of ${unloaded.fleet.length}, before and after` },
        { name: 'hop p99, BullMQ + MariaDB, under load', value: `${fmt(median(loaded.fleet), 3)} ms`, note: `median of ${loaded.fleet.length}` },
        { name: 'ratio loaded / unloaded (fleet)', value: fmt(ratio('fleet'), 3), target: '≤ 1.2' },
        { name: 'hop p99, embedded, unloaded', value: `${fmt(median(unloaded.embedded), 3)} ms`, note: `median of ${unloaded.embedded.length}, before and after` },
        { name: 'hop p99, embedded, under load', value: `${fmt(median(loaded.embedded), 3)} ms`, note: `median of ${loaded.embedded.length}` },
        { name: 'ratio loaded / unloaded (embedded)', value: fmt(ratio('embedded'), 3) },
      ])) io.out(line);
      return run.status429 === 0 ? 0 : 1;
    } finally {
      await db.drop();
    }
  },
};
