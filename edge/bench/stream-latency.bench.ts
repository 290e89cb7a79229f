// Benchmark `stream-latency` (spec/quality.md): user-data frame received → job enqueued. The
// simulator pushes fill frames over real loopback sockets to the daemon's accounts at a steady
// rate; each frame is timed from the socket's message event to the moment its step is committed
// and its job pushed. Embedded and MariaDB + BullMQ; peer: one MariaDB single-row commit, timed
// the same way in the same run (the floor every enqueue pays once).
import { createPool } from 'mysql2/promise';
import { intOption, type CliIo } from '../cli/command.ts';
import { simAccounts } from '../streams/user-data/sim-accounts.ts';
import { UserDataDaemon } from '../streams/user-data/user-data-daemon.ts';
import type { Benchmark } from './index.ts';
import { fmt, percentile, table, type Figure } from './stats.ts';
import { benchArgs, benchBackends } from './stream-latency-setup.ts';
import { streamWapBenchmark } from './stream-wap.bench.ts';

const ACCOUNTS = 10;

interface LatencyRun {
  label: string;
  latencies: number[];
  enqueued: number;
  sent: number;
  commitPeer: number[];
}

// A TRADE frame for order `order` of an account; trade ids and cumulative quantities keep every frame distinct.
function fillFrame(n: number): Record<string, unknown> {
  const E = Date.now();
  return {
    e: 'ORDER_TRADE_UPDATE', E, T: E,
    o: { s: 'ETHUSDT', c: `bench-${n}`, S: 'BUY', o: 'LIMIT', f: 'GTC', q: '1', p: '3000', ap: '3000', sp: '0', x: 'TRADE', X: 'PARTIALLY_FILLED', i: 1_000_000 + n, l: '0.001', z: '0.001', L: '3000', T: E, t: n, m: true, R: false, ps: 'BOTH', rp: '0' },
  };
}

async function run(kind: 'embedded' | 'distributed', frames: number, intervalMs: number): Promise<LatencyRun> {
  const backends = await benchBackends(kind);
  const fleet = await simAccounts(backends.store, ACCOUNTS, { prefix: 'bench-ud' });
  const latencies: number[] = [];
  let enqueued = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  let handled = 0;
  const daemon = new UserDataDaemon({
    engine: backends.engine, credentialsKey: fleet.credentialsKey, restUrl: fleet.sim.restUrl, wsUrl: fleet.sim.wsUrl, staggerMs: 5,
    onFrame: (_account, result, arrived) => {
      if (result.enqueued) {
        latencies.push(performance.now() - arrived);
        enqueued++;
      }
      if (++handled === frames) done();
    },
  });
  try {
    await daemon.start();
    const deadline = performance.now() + 10_000;
    while (daemon.status().open < ACCOUNTS) {
      if (performance.now() > deadline) throw new Error(`only ${daemon.status().open} of ${ACCOUNTS} streams connected`);
      await new Promise((r) => setTimeout(r, 20));
    }
    for (let n = 0; n < frames; n++) {
      const account = fleet.accounts[n % ACCOUNTS]!;
      fleet.sim.engine.state.emit({ kind: 'user', apiKey: account.apiKey, frame: fillFrame(n) });
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    await Promise.race([finished, new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${handled} of ${frames} frames handled`)), 30_000))]);
    const commitPeer = backends.databaseUrl ? await commitLatencies(backends.databaseUrl, 500) : [];
    return { label: backends.label, latencies, enqueued, sent: frames, commitPeer };
  } finally {
    await daemon.stop();
    await fleet.close();
    await backends.close();
  }
}

/** Latency of single-row autocommit inserts, one at a time (ms). */
async function commitLatencies(url: string, n: number): Promise<number[]> {
  const pool = createPool({ uri: url, connectionLimit: 1 });
  await pool.query('CREATE TABLE IF NOT EXISTS bench_commit_peer (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INT) ENGINE=InnoDB');
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await pool.query('INSERT INTO bench_commit_peer (v) VALUES (?)', [i]);
    out.push(performance.now() - t0);
  }
  await pool.end();
  return out;
}

/** The `stream-latency` benchmark. */
export const streamLatencyBenchmark: Benchmark = {
  name: 'stream-latency',
  summary: 'user-data frame received → step enqueued, p50/p99, embedded and MariaDB + BullMQ, over loopback sockets',
  async run(io: CliIo, args: string[]) {
    const { values } = benchArgs(args, { frames: { type: 'string' }, 'interval-ms': { type: 'string' }, only: { type: 'string' } }, 'stream-latency [--frames N] [--interval-ms MS] [--only embedded|distributed]');
    const frames = intOption(values, 'frames', 2000, 10);
    const intervalMs = intOption(values, 'interval-ms', 5, 0);
    const only = values.only as string | undefined;
    io.out(`stream-latency: ${frames} fill frames over ${ACCOUNTS} accounts' sockets, one every ${intervalMs} ms`);
    const figures: Figure[] = [];
    let worstP99 = 0;
    for (const kind of ['embedded', 'distributed'] as const) {
      if (only && only !== kind) continue;
      await run(kind, Math.min(200, frames), intervalMs); // warm-up: JIT, pools, sockets
      const r = await run(kind, frames, intervalMs);
      const p99 = percentile(r.latencies, 99);
      worstP99 = Math.max(worstP99, p99);
      figures.push({ name: `${r.label}: received → enqueued p50 / p99`, value: `${fmt(percentile(r.latencies, 50))} / ${fmt(p99)} ms`, target: 'p99 ≤ 10 ms', note: `ratio p99 / 10 ms = ${fmt(p99 / 10)}; max ${fmt(Math.max(...r.latencies))} ms; ${r.enqueued} of ${r.sent} enqueued` });
      if (r.commitPeer.length > 0) {
        figures.push({ name: '  peer: one MariaDB single-row commit p50 / p99', value: `${fmt(percentile(r.commitPeer, 50))} / ${fmt(percentile(r.commitPeer, 99))} ms`, note: `enqueue p50 = ${fmt(percentile(r.latencies, 50) / percentile(r.commitPeer, 50), 1)} × a commit` });
      }
    }
    for (const line of table(figures)) io.out(line);
    io.out('design budget: < 100 ms');
    // The rest of the push path: fill frame → order row updated → WAP block created (stream-wap).
    io.out('stream-latency: rung fill frame → order row → WAP block created');
    await streamWapBenchmark.run(io, []);
    return worstP99 <= 10 ? 0 : 1;
  },
};
