// Benchmark `stream-wap` (spec/quality.md): a rung's fill frame, pushed by the simulator over a
// real loopback WebSocket, → the user-data daemon → the frame step → the order row updated → the
// WAP block created. Timed from the simulator emitting the TRADE frame to the WAP block's creation
// (both on the wall clock), one fill at a time, embedded and MariaDB + BullMQ. Target p99 ≤ 50 ms;
// the design budget of the whole push path is < 100 ms.
import { BinanceUsdmClient } from '../../core/exchange/binance/binance-client.ts';
import { systemClock } from '../../core/ports/clock.ts';
import { silentLogger } from '../../core/ports/logger.ts';
import type { QueuePort } from '../../core/queue/queue.port.ts';
import { identityRouter } from '../../core/queue/router.port.ts';
import { DispatchDaemon } from '../../core/steps/dispatch-daemon.ts';
import { StepEngine } from '../../core/steps/engine.ts';
import { HandlerRegistry } from '../../core/steps/registry.ts';
import type { StepStore } from '../../core/steps/step-store.port.ts';
import { TERMINAL_STATES } from '../../core/steps/step.ts';
import { DEFAULT_ALLOWLIST } from '../../core/streams/user-data-frames.ts';
import { importCredentialsKey } from '../../core/trading/credentials.ts';
import { credentialDirectory } from '../../core/trading/exchange-directory.ts';
import { toOrder } from '../../core/trading/order.ts';
import { seedPaperTrading } from '../../core/trading/paper-seed.ts';
import { toPosition } from '../../core/trading/position.ts';
import type { Direction } from '../../core/trading/statuses.ts';
import { TABLES } from '../../core/trading/tables.ts';
import { tradingHandlers } from '../../handlers/trading/index.ts';
import { egressFetch } from '../adapters/undici-fetch.ts';
import type { CliIo } from '../cli/command.ts';
import { startSimulator } from '../sim/index.ts';
import { systemTimers } from '../streams/user-data/timers.ts';
import { UserDataDaemon } from '../streams/user-data/user-data-daemon.ts';
import type { Benchmark } from './index.ts';
import { fmt, percentile, table } from './stats.ts';
import { RUNNERS } from './trading-bench-parts.ts';

const LANES = ['positions', 'orders', 'priority', 'user-data-stream'];
const SYMBOLS: Record<string, Direction> = { ETHUSDT: 'LONG', BNBUSDT: 'LONG', XRPUSDT: 'LONG', DOGEUSDT: 'LONG', ADAUSDT: 'LONG', LINKUSDT: 'LONG', AVAXUSDT: 'LONG', LTCUSDT: 'LONG' };

// Polls gently: the figures come from the rows' own timestamps, so a busy poll would only load the
// store (and, embedded, the event loop) it is measuring.
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (performance.now() > deadline) throw new Error('stream-wap: timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function measure(store: StepStore, queue: QueuePort, accountCount: number): Promise<number[]> {
  const accounts = Array.from({ length: accountCount }, (_, i) => ({ apiKey: `sw-key-${i}`, secret: `sw-secret-${i}`, balance: '1000000' }));
  const sim = await startSimulator({ accounts, clock: systemClock, rateLimits: { weightPerMinute: 1e9, ordersPer10s: 1e9, ordersPerMinute: 1e9 } });
  const key = await importCredentialsKey(btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))));
  const http = egressFetch();
  const connect = (apiKey: string, secret: string) => new BinanceUsdmClient({ baseUrl: sim.restUrl, apiKey, secret, clock: systemClock, fetch: http.fetch });
  for (const [i, a] of accounts.entries()) {
    await seedPaperTrading(store, connect(a.apiKey, a.secret), {
      key, now: Date.now(), directions: SYMBOLS, account: { name: `sw-${i}`, apiKey: a.apiKey, secret: a.secret, tradingEnabled: true, settings: { LONG: { slots: 8 } } },
    });
  }
  const engine = new StepEngine({
    store, queue, registry: new HandlerRegistry(tradingHandlers({ exchanges: credentialDirectory(key, (c) => connect(c.apiKey, c.apiSecret)) })),
    router: identityRouter, logger: silentLogger, worker: 'bench', chain: (lane) => LANES.includes(lane),
  });
  const consumers = LANES.map((lane) => queue.consume(lane, 8, async (job) => void (await engine.execute(job))));
  const dispatch = new DispatchDaemon(engine, {});
  dispatch.start();
  const daemon = new UserDataDaemon({ engine, credentialsKey: key, restUrl: sim.restUrl, wsUrl: sim.wsUrl, allowlist: DEFAULT_ALLOWLIST, timers: systemTimers(), logger: silentLogger, staggerMs: 5 });
  const samples: number[] = [];
  try {
    await daemon.start();
    await until(async () => daemon.status().open, (n) => n === accountCount);
    await engine.start([{ handler: 'trading.open-positions' }], { set: 'trading' });
    const positions = await until(async () => (await store.findRows(TABLES.positions, {})).map(toPosition),
      (ps) => ps.length === accountCount * Object.keys(SYMBOLS).length && ps.every((p) => p.status === 'active'));
    // One fill at a time: each symbol's first rung on every account at once is one price move, so
    // move each symbol once and time every account's fill frame on it.
    for (const symbol of Object.keys(SYMBOLS)) {
      const mine = positions.filter((p) => p.symbol === symbol);
      const rungs = await Promise.all(mine.map(async (p) => (await store.findRows(TABLES.orders, { position_id: p.id, role: 'rung', rung: 1 })).map(toOrder)[0]!));
      const emitted = new Map<string, number>();
      const off = sim.engine.subscribe((e) => {
        if (e.kind !== 'user' || e.frame.e !== 'ORDER_TRADE_UPDATE') return;
        const o = e.frame.o as { c: string; x: string };
        if (o.x === 'TRADE' && !emitted.has(o.c)) emitted.set(o.c, Date.now());
      });
      sim.engine.setMark(symbol, rungs[0]!.price!);
      for (const [i, p] of mine.entries()) {
        const wap = await until(async () => (await store.listSteps('trading', { handler: 'trading.wap.begin', limit: 1000 })).find((s) => s.args.position === p.uuid), (s) => s !== undefined);
        const t0 = emitted.get(rungs[i]!.clientOrderId);
        if (t0 !== undefined) samples.push(wap!.createdAt - t0);
      }
      off();
      // Let this round's WAP blocks finish (their take-profit amendments come back as frames on the
      // same accounts' streams) before the next price move, so each round times its own fills.
      await until(async () => (await store.listSteps('trading', { limit: 100_000 })).filter((st) => !TERMINAL_STATES.has(st.state)).length, (n) => n === 0);
    }
  } finally {
    await daemon.stop();
    await dispatch.stop();
    await Promise.all(consumers.map((c) => c.close(5_000)));
    await http.close();
    await sim.close();
  }
  return samples;
}

function figures(label: string, samples: number[]): string[] {
  const p99 = percentile(samples, 99);
  return table([
    { name: `${label}: fill frame → WAP block created p50`, value: `${fmt(percentile(samples, 50), 1)} ms` },
    { name: `${label}: fill frame → WAP block created p99`, value: `${fmt(p99, 1)} ms`, target: '≤ 50 ms', note: `ratio ${fmt(p99 / 50)} of the target (${samples.length} fills)` },
  ]);
}

/** The stream → WAP benchmark: isolated fills (one account, one fill at a time), then bursts of three simultaneous fills. */
export const streamWapBenchmark: Benchmark = {
  name: 'stream-wap',
  summary: 'rung fill frame over a loopback WebSocket → order row updated → WAP block created (p50/p99), embedded and MariaDB + BullMQ',
  async run(io: CliIo) {
    for (const [label, parts] of RUNNERS) {
      for (const [shape, accounts] of [['isolated fills', 1], ['bursts of 3 fills', 3]] as const) {
        const p = await parts();
        try {
          for (const line of figures(`${label}, ${shape}`, await measure(p.store, p.queue, accounts))) io.out(line);
        } finally {
          await p.close();
        }
      }
    }
    return 0;
  },
};
