// The benchmarks `kraite bench <name>` (and `npm run bench -- <name>`) can run.
import type { CliIo } from '../cli/command.ts';

/** One benchmark: prints its figures through io; returns an exit code. */
export interface Benchmark {
  name: string;
  summary: string;
  run(io: CliIo, args: string[]): Promise<number>;
}

/** Every benchmark, loaded lazily so the CLI starts fast. */
export const benchmarks: Record<string, { summary: string; load: () => Promise<Benchmark> }> = {
  steps: {
    summary: 'per-hop overhead and step throughput: embedded and BullMQ + MariaDB, raw BullMQ and commit peers, daemon idle CPU',
    load: async () => (await import('./steps.bench.ts')).stepsBenchmark,
  },
  governor: {
    summary: 'weight governor: a burst of 3× one IP\'s minute weight over four egress IPs, against the loopback simulator',
    load: async () => (await import('./governor.bench.ts')).governorBenchmark,
  },
};
