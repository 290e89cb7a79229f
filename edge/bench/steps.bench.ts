// Benchmark `steps` (spec/quality.md): per-hop overhead and throughput of the step engine, embedded
// and on BullMQ + MariaDB, with raw BullMQ no-op jobs/s and MariaDB commits/s measured in the same
// run as peers, plus the dispatch daemon's idle CPU.
import { MemoryQueue } from '../../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../../core/adapters/memory/memory-step-store.ts';
import type { CliIo } from '../cli/command.ts';
import type { Benchmark } from './index.ts';
import { fmt, median, table, type Figure } from './stats.ts';
import { runStepWorkload, type WorkloadResult } from './step-workload.ts';

const RUNS = 3;

async function embedded(blocks: number, inFlight: number): Promise<WorkloadResult> {
  return runStepWorkload({ store: new MemoryStepStore(), queue: new MemoryQueue(), blocks, stepsPerBlock: 3, inFlight, concurrency: 64, chain: true });
}

/** Median of each field over runs. */
function medianOf(results: WorkloadResult[]): WorkloadResult {
  const pick = (f: (r: WorkloadResult) => number) => median(results.map(f));
  return { steps: results[0]!.steps, seconds: pick((r) => r.seconds), stepsPerSecond: pick((r) => r.stepsPerSecond), hopP50Ms: pick((r) => r.hopP50Ms), hopP99Ms: pick((r) => r.hopP99Ms) };
}

async function embeddedFigures(io: CliIo, runs: number): Promise<Figure[]> {
  io.out('embedded: in-memory store + in-process queue');
  const latency: WorkloadResult[] = [];
  const throughput: WorkloadResult[] = [];
  for (let i = 0; i < runs; i++) {
    latency.push(await embedded(500, 4));
    throughput.push(await embedded(3_334, 1_000));
  }
  const l = medianOf(latency);
  const t = medianOf(throughput);
  return [
    { name: 'embedded per-hop p50', value: `${fmt(l.hopP50Ms, 3)} ms`, target: '≤ 1 ms' },
    { name: 'embedded per-hop p99', value: `${fmt(l.hopP99Ms, 3)} ms` },
    { name: 'embedded throughput (10k steps, 3-step blocks)', value: `${fmt(t.stepsPerSecond, 0)} steps/s`, target: '≥ 20,000 steps/s' },
  ];
}

/** The `steps` benchmark. */
export const stepsBenchmark: Benchmark = {
  name: 'steps',
  summary: 'per-hop overhead and step throughput',
  async run(io, args) {
    // `--runs N` (default 3) and `--distributed` (skip the embedded half) shorten a development run.
    const at = args.indexOf('--runs');
    const runs = at >= 0 ? Math.max(1, Number(args[at + 1]) || RUNS) : RUNS;
    const figures = args.includes('--distributed') ? [] : await embeddedFigures(io, runs);
    const distributed = await import('./steps-distributed.bench.ts');
    figures.push(...(await distributed.distributedFigures(io, runs)));
    // --metrics: the metrics cost figure too (edge/bench/steps-metrics.bench.ts).
    if (args.includes('--metrics')) figures.push(...(await (await import('./steps-metrics.bench.ts')).metricsCostFigures(io, runs)));
    io.out('');
    for (const line of table(figures)) io.out(line);
    return 0;
  },
};
