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
  'steps-metrics': {
    summary: 'metrics cost: steps/s on BullMQ + MariaDB with the fleet instrumentation on vs off in the same run (--runs N, --blocks N)',
    load: async () => (await import('./steps-metrics.bench.ts')).stepsMetricsBenchmark,
  },
  'paper-state': {
    summary: 'kept embedded state (KRAITE_DATA_DIR): steps/s journaled vs in-memory (peer), journal bytes and fdatasyncs per commit, replay and snapshot at restart',
    load: async () => (await import('./paper-state.bench.ts')).paperStateBenchmark,
  },
  'open-block': {
    summary: 'open block (market + 4 rungs + SL + TP) on the loopback simulator, dispatch → active: embedded and MariaDB + BullMQ',
    load: async () => (await import('./open-block.bench.ts')).openBlockBenchmark,
  },
  'stream-wap': {
    summary: 'rung fill frame over a loopback WebSocket → order row updated → WAP block created (p50/p99), embedded and MariaDB + BullMQ',
    load: async () => (await import('./stream-wap.bench.ts')).streamWapBenchmark,
  },
  governor: {
    summary: 'weight governor: a burst of 3× one IP\'s minute weight over four egress IPs, against the loopback simulator',
    load: async () => (await import('./governor.bench.ts')).governorBenchmark,
  },
  'stream-latency': {
    summary: 'user-data frame received → step enqueued (p50/p99), embedded and MariaDB + BullMQ, over loopback sockets',
    load: async () => (await import('./stream-latency.bench.ts')).streamLatencyBenchmark,
  },
  'user-data-soak': {
    summary: 'user-data daemon with 200 simulated accounts: RSS over a soak (--minutes N, default 2; README figure: 10)',
    load: async () => (await import('./user-data-soak.bench.ts')).userDataSoakBenchmark,
  },
  taapi: {
    summary: 'TAAPI throttle: 300 requests from 4 workers through one Redis limiter against the fake TAAPI; 429s, rate, trading hop p99',
    load: async () => (await import('./taapi.bench.ts')).taapiBenchmark,
  },
  drills: {
    summary: 'the seeds\' failure table on the eight processes (MariaDB + Redis + loopback simulator): recovery, unprotected window, missed slots, duplicates, pages, invariants',
    load: async () => (await import('./drills.bench.ts')).drillsBenchmark,
  },
  soak: {
    summary: 'seeded fault soak of the trading lifecycle: invariant violations per class (--seeds 1-1000, --runner embedded|mysql, --repro, --shrink)',
    load: async () => (await import('./soak.bench.ts')).soakBenchmark,
  },
  'mark-price': {
    summary: 'mark-price frame of 700 symbols → all rows updated in MariaDB: bulk (500-row chunks) vs one UPDATE per symbol',
    load: async () => (await import('./mark-price.bench.ts')).markPriceBenchmark,
  },
  'drill-hyperion': {
    summary: 'hyperion lost: drop the database, restore the latest encrypted backup from a loopback S3, reconcile every account with the simulator',
    load: async () => (await import('./drill-hyperion.bench.ts')).drillHyperionBenchmark,
  },
  serverless: {
    summary: 'per-hop overhead and steps/s of 3-step blocks through the Queues consumer on the PlanetScale store in Miniflare, beside mysql2 + BullMQ (--runs N)',
    load: async () => (await import('./serverless.bench.ts')).serverlessBenchmark,
  },
  backtest: {
    summary: 'backtest: a symbol-month of 1-minute candles through the fleet\'s handlers and engine (candles/s) vs a plain loop over them; sweep runs/min',
    load: async () => (await import('./backtest.bench.ts')).backtestBenchmark,
  },
  'bundle-start': {
    summary: 'kraite help: wall time and peak RSS from the esbuild bundle (npm run build) vs the sources through tsx (medians)',
    load: async () => (await import('./bundle-start.bench.ts')).bundleStartBenchmark,
  },
};
