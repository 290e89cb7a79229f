// `npm run bench -- backtest`: one symbol-month of 1-minute candles (43,200, synthesised from the
// fixture week of real XRPUSDT 5-minute candles) through the fleet's own handlers and step engine
// — candles per second — beside a plain loop over the same candles' price path with no engine (the
// peer: what replaying prices alone costs); then a sweep's runs per minute on worker threads.
import { join } from 'node:path';
import { candlePath } from '../../core/sim/candle-replay.ts';
import type { Benchmark } from './index.ts';
import { loadKlines, type Candle } from '../backtest/kline-files.ts';
import { DEFAULT_DIRECTION_SETTINGS } from '../../core/trading/account.ts';
import { runBacktest } from '../backtest/run-backtest.ts';
import { runSweep } from '../backtest/sweep.ts';
import { fmt, median } from './stats.ts';

const FIXTURE = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'klines');

/**
 * 1-minute candles from 5-minute ones: each 5-minute candle's path (open → nearer extreme → farther
 * extreme → close) spread over five minutes, the week repeated — each repetition rescaled to start
 * at the previous close — until `count` candles. Deterministic.
 */
export function minuteCandles(week: readonly Candle[], count: number): Candle[] {
  const out: Candle[] = [];
  let t = week[0]!.openTime;
  let scale = 1;
  for (;;) {
    for (const c of week) {
      const [o, h, l, cl] = [c.open, c.high, c.low, c.close].map((x) => Number(x) * scale) as [number, number, number, number];
      const [near, far] = h - o < o - l ? [h, l] : [l, h];
      const marks = [o, (o + near) / 2, near, (near + far) / 2, far, cl];
      for (let k = 0; k < 5; k++) {
        const a = marks[k]!;
        const b = marks[k + 1]!;
        const p = (x: number) => x.toFixed(4);
        out.push({ openTime: t, open: p(a), high: p(Math.max(a, b)), low: p(Math.min(a, b)), close: p(b), volume: '0' });
        t += 60_000;
        if (out.length === count) return out;
      }
    }
    scale *= Number(week[0]!.open) / Number(week.at(-1)!.close);
  }
}

// The peer: the same price path walked by a plain loop that keeps a 4-rung ladder's arithmetic
// (fills at rung prices, a take-profit) in floats — no simulator, no store, no engine.
function plainLoop(candles: Candle[]): number {
  const path = candlePath({ X: candles }, 60_000);
  let entry = 0;
  let qty = 0;
  let pnl = 0;
  let next = 0;
  for (const p of path) {
    const price = Number(p.price);
    if (qty === 0) {
      entry = price;
      qty = 1;
      next = price * 0.99;
    } else if (price <= next && qty < 16) {
      entry = (entry * qty + next * qty) / (qty * 2);
      qty *= 2;
      next *= 0.99;
    } else if (price >= entry * 1.005) {
      pnl += (price - entry) * qty;
      qty = 0;
    }
  }
  return pnl;
}

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : fallback;
}

/** The benchmark. */
export const backtestBenchmark: Benchmark = {
  name: 'backtest',
  summary: 'backtest: 43,200 1-minute candles through the fleet (candles/s) vs a plain loop over them; sweep runs/min',
  async run(io, args) {
    const count = arg(args, 'candles', 43_200);
    const runs = arg(args, 'runs', 1);
    const sweepRuns = arg(args, 'sweep-runs', 8);
    const week = (await loadKlines(FIXTURE, ['XRPUSDT'])).XRPUSDT!;
    const candles = minuteCandles(week, count);
    const settings = { ...DEFAULT_DIRECTION_SETTINGS, margin: '50', gapPct: '1', rungs: 4, profitPct: '0.5' };
    io.out(`backtest bench: ${candles.length} 1-minute XRPUSDT candles (${(candles.length / 1440).toFixed(1)} days), ${runs} run(s); load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);

    const engineMs: number[] = [];
    const engineCpuMs: number[] = [];
    let trades = 0;
    let steps = 0;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const run = await runBacktest({ candles: { XRPUSDT: candles }, intervalMs: 60_000, directions: { XRPUSDT: 'LONG' }, settings: { LONG: settings, SHORT: settings }, balance: '10000' });
      engineMs.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      engineCpuMs.push((used.user + used.system) / 1000);
      trades = run.positions.length;
      steps = run.steps;
    }
    const peerMs: number[] = [];
    for (let i = 0; i < Math.max(3, runs); i++) {
      const started = performance.now();
      plainLoop(candles);
      peerMs.push(performance.now() - started);
    }
    const engine = median(engineMs);
    const peer = median(peerMs);
    io.out(`  fleet replay: ${fmt(engine / 1000)} s median, ${fmt(candles.length / (engine / 1000), 0)} candles/s (${trades} positions, ${steps} steps: ${fmt(steps / candles.length, 3)} steps per candle); CPU ${fmt(median(engineCpuMs) / 1000)} s (${fmt(candles.length / (median(engineCpuMs) / 1000), 0)} candles per CPU-second); target ≤ 30 s for 43,200`);
    io.out(`  peer, plain loop over the same path (no engine): ${fmt(peer, 1)} ms median, ${fmt(candles.length / (peer / 1000), 0)} candles/s`);

    if (sweepRuns > 0) {
      const slice = { XRPUSDT: week.slice(0, 288) };
      const started = performance.now();
      const gaps = Array.from({ length: sweepRuns }, (_, i) => (0.3 + i * 0.1).toFixed(1));
      const results = await runSweep({ klines: FIXTURE, symbols: ['XRPUSDT'], to: slice.XRPUSDT[287]!.openTime + 1, directions: { XRPUSDT: 'LONG' }, overrides: { margin: '50' }, balance: '10000' }, [['gap', gaps]]);
      const minutes = (performance.now() - started) / 60_000;
      io.out(`  sweep: ${results.length} runs of one day of 5-minute candles on worker threads: ${fmt(results.length / minutes, 1)} runs/min (${results.filter((r) => r.error).length} failed)`);
    }
    return 0;
  },
};
