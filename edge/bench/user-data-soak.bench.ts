// Benchmark `user-data-soak` (spec/quality.md): the user-data daemon with 200 simulated accounts
// for `--minutes N` (default 2; the README figure uses 10), while orders fill on random accounts.
// The simulator runs in a child process (`kraite sim`) so this process's RSS is the daemon's:
// its sockets, listen-key client, sink and engine over MariaDB + BullMQ (or --store memory).
// Prints RSS at the start and end of the soak, its maximum and slope, against 250 MB and the
// daemon's own ceiling for 200 accounts; the original crash-looped at ~43 accounts under 512 MB.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { memoryCeilingBytes } from '../../core/streams/reconnect-policy.ts';
import { intOption, type CliIo } from '../cli/command.ts';
import { simClient } from '../sim/sim-client.ts';
import { seedAccounts } from '../streams/user-data/sim-accounts.ts';
import { UserDataDaemon } from '../streams/user-data/user-data-daemon.ts';
import type { Benchmark } from './index.ts';
import { fmt, median, table } from './stats.ts';
import { benchArgs, benchBackends } from './stream-latency-setup.ts';

const MB = 1024 * 1024;

/** Starts `kraite sim` with the accounts and resolves with its REST and WebSocket URLs. */
async function childSimulator(accounts: readonly { apiKey: string; secret: string }[]): Promise<{ restUrl: string; wsUrl: string; child: ChildProcess }> {
  const bin = fileURLToPath(new URL('../../bin/kraite.js', import.meta.url));
  const args = [bin, 'sim', '--port', '0', '--tick-ms', '0', ...accounts.flatMap((a) => ['--account', `${a.apiKey}:${a.secret}:100000`])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`kraite sim did not start: ${out}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`kraite sim exited with ${code}: ${out}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const rest = /REST:\s+(\S+)/.exec(out)?.[1];
      const ws = /WebSocket:\s+(\S+)/.exec(out)?.[1];
      if (rest && ws) {
        clearTimeout(timer);
        resolve({ restUrl: rest, wsUrl: ws, child });
      }
    });
  });
}

/** Least-squares slope of (t minutes, MB) samples. */
function slopePerMinute(samples: readonly { t: number; rss: number }[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const mt = samples.reduce((s, x) => s + x.t, 0) / n;
  const mr = samples.reduce((s, x) => s + x.rss, 0) / n;
  const num = samples.reduce((s, x) => s + (x.t - mt) * (x.rss - mr), 0);
  const den = samples.reduce((s, x) => s + (x.t - mt) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/** The `user-data-soak` benchmark. */
export const userDataSoakBenchmark: Benchmark = {
  name: 'user-data-soak',
  summary: 'user-data daemon, 200 simulated accounts: RSS over a soak (≤ 250 MB, flat)',
  async run(io: CliIo, args: string[]) {
    const { values } = benchArgs(args, { minutes: { type: 'string' }, accounts: { type: 'string' }, 'orders-per-second': { type: 'string' }, store: { type: 'string' } },
      'user-data-soak [--minutes N] [--accounts N] [--orders-per-second N] [--store mysql|memory]');
    const minutes = intOption(values, 'minutes', 2, 1);
    const count = intOption(values, 'accounts', 200, 1);
    const rate = intOption(values, 'orders-per-second', 10, 0);
    const kind = values.store === 'memory' ? 'embedded' : 'distributed';
    const refs = Array.from({ length: count }, (_, i) => ({ apiKey: `soak-key-${i}`, secret: `soak-secret-${i}` }));
    const sim = await childSimulator(refs);
    const backends = await benchBackends(kind, { consume: true });
    const raw = crypto.getRandomValues(new Uint8Array(32));
    const { importCredentialsKey } = await import('../../core/trading/credentials.ts');
    const credentialsKey = await importCredentialsKey(btoa(String.fromCharCode(...raw)));
    await seedAccounts(backends.store, credentialsKey, refs);
    let frames = 0;
    let enqueued = 0;
    const daemon = new UserDataDaemon({
      engine: backends.engine, credentialsKey, restUrl: sim.restUrl, wsUrl: sim.wsUrl,
      onFrame: (_a, r) => {
        frames++;
        if (r.enqueued) enqueued++;
      },
    });
    const samples: { t: number; rss: number }[] = [];
    const t0 = performance.now();
    const sample = () => samples.push({ t: (performance.now() - t0) / 60_000, rss: process.memoryUsage.rss() / MB });
    let orders = 0;
    let failedOrders = 0;
    try {
      io.out(`user-data-soak: ${count} accounts, ${minutes} min, ${rate} market orders/s on random accounts; store ${backends.label}; simulator in a child process`);
      await daemon.start();
      const boot = performance.now();
      while (daemon.status().open < count) {
        if (performance.now() - boot > 120_000) throw new Error(`only ${daemon.status().open} of ${count} streams connected after 2 min`);
        await new Promise((r) => setTimeout(r, 250));
      }
      io.out(`  all ${count} streams open after ${fmt((performance.now() - boot) / 1000, 1)} s (staggered 100 ms apart)`);
      const clients = refs.map((r) => simClient({ restUrl: sim.restUrl, apiKey: r.apiKey, secret: r.secret }));
      const end = performance.now() + minutes * 60_000;
      let nextSample = performance.now();
      let n = 0;
      while (performance.now() < end) {
        if (performance.now() >= nextSample) {
          sample();
          nextSample += 5_000;
        }
        for (let i = 0; i < rate; i++) {
          const client = clients[Math.floor(Math.random() * clients.length)]!;
          const side = n++ % 2 === 0 ? 'BUY' : 'SELL';
          client.signed('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side, type: 'MARKET', quantity: '0.010' })
            .then((res) => (res.status === 200 ? orders++ : failedOrders++), () => failedOrders++);
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
      sample();
    } finally {
      await daemon.stop();
      await backends.close();
      sim.child.kill('SIGTERM');
    }
    // The first 20 % of the soak is warm-up (JIT, pools, first steps); "flat" compares what follows.
    const steady = samples.filter((s) => s.t >= minutes * 0.2);
    const head = median(steady.slice(0, 3).map((s) => s.rss));
    const tail = median(steady.slice(-3).map((s) => s.rss));
    const max = Math.max(...samples.map((s) => s.rss));
    const slope = slopePerMinute(steady);
    const ceiling = memoryCeilingBytes(count) / MB;
    for (const line of table([
      { name: 'RSS after warm-up / at the end', value: `${fmt(head, 0)} / ${fmt(tail, 0)} MB`, target: 'flat (end ≤ 1.10 × start)', note: `ratio ${fmt(tail / head, 3)}` },
      { name: 'RSS maximum', value: `${fmt(max, 0)} MB`, target: '≤ 250 MB', note: `ratio ${fmt(max / 250, 2)}; daemon ceiling for ${count} accounts ${fmt(ceiling, 0)} MB` },
      { name: 'RSS slope after warm-up', value: `${fmt(slope, 2)} MB/min` },
      { name: 'orders filled / failed', value: `${orders} / ${failedOrders}` },
      { name: 'frames handled / enqueued', value: `${frames} / ${enqueued}` },
    ])) io.out(line);
    io.out('original: a fixed 512 MB ceiling crash-looped at ~43 accounts');
    return max <= 250 && tail <= head * 1.1 ? 0 : 1;
  },
};
