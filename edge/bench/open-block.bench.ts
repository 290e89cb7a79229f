// Benchmark `open-block` (spec/quality.md): the 11-step open block — market entry, 4 rungs, stop,
// take-profit — against the simulator over loopback HTTP, measured from the block's dispatch to the
// position's `active`, one position at a time. Embedded (in-memory store and queue) and MariaDB +
// BullMQ. The time the block spends waiting on the exchange is printed beside it (its floor here),
// and the ratio to the 150 ms target; the original system took ≥ 10 s (one dispatcher tick per hop).
import { BinanceUsdmClient } from '../../core/exchange/binance/binance-client.ts';
import { systemClock } from '../../core/ports/clock.ts';
import { silentLogger } from '../../core/ports/logger.ts';
import type { QueuePort } from '../../core/queue/queue.port.ts';
import { identityRouter } from '../../core/queue/router.port.ts';
import { DispatchDaemon } from '../../core/steps/dispatch-daemon.ts';
import { StepEngine } from '../../core/steps/engine.ts';
import { HandlerRegistry } from '../../core/steps/registry.ts';
import type { StepStore } from '../../core/steps/step-store.port.ts';
import { applyRowEffects } from '../../core/trading/apply-row-effects.ts';
import { importCredentialsKey } from '../../core/trading/credentials.ts';
import { credentialDirectory } from '../../core/trading/exchange-directory.ts';
import { seedPaperTrading } from '../../core/trading/paper-seed.ts';
import { insertPosition } from '../../core/trading/position-effects.ts';
import { getAccount, getPositionByUuid } from '../../core/trading/reads.ts';
import type { Direction } from '../../core/trading/statuses.ts';
import { openBlock } from '../../handlers/trading/blocks.ts';
import { tradingHandlers } from '../../handlers/trading/index.ts';
import { egressFetch } from '../adapters/undici-fetch.ts';
import type { CliIo } from '../cli/command.ts';
import { startSimulator } from '../sim/index.ts';
import type { Benchmark } from './index.ts';
import { fmt, percentile, table } from './stats.ts';
import { RUNNERS } from './trading-bench-parts.ts';

const LANES = ['positions', 'orders', 'priority', 'user-data-stream'];
const SYMBOLS: Record<string, Direction> = { ETHUSDT: 'LONG', BNBUSDT: 'LONG', XRPUSDT: 'SHORT', DOGEUSDT: 'LONG', ADAUSDT: 'SHORT', LINKUSDT: 'LONG', AVAXUSDT: 'SHORT', LTCUSDT: 'LONG' };
const ACCOUNTS = 4;

interface Run {
  totalMs: number[];
  exchangeMs: number[];
}

async function openSequentially(store: StepStore, queue: QueuePort): Promise<Run> {
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({ apiKey: `bench-key-${i}`, secret: `bench-secret-${i}`, balance: '1000000' }));
  const sim = await startSimulator({ accounts, rateLimits: { weightPerMinute: 1e9, ordersPer10s: 1e9, ordersPerMinute: 1e9 } });
  const key = await importCredentialsKey(btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))));
  const http = egressFetch();
  let exchangeMs = 0;
  const exchanges = credentialDirectory(key, (c) => new BinanceUsdmClient({
    baseUrl: sim.restUrl, apiKey: c.apiKey, secret: c.apiSecret, clock: systemClock, fetch: http.fetch, onCall: (e) => { exchangeMs += e.durationMs; },
  }));
  const engine = new StepEngine({
    store, queue, registry: new HandlerRegistry(tradingHandlers({ exchanges })), router: identityRouter, logger: silentLogger, worker: 'bench',
    chain: (lane) => LANES.includes(lane),
  });
  const consumers = LANES.map((lane) => queue.consume(lane, 8, async (job) => { await engine.execute(job); }));
  const daemon = new DispatchDaemon(engine, {});
  daemon.start();
  const run: Run = { totalMs: [], exchangeMs: [] };
  try {
    for (const [i, a] of accounts.entries()) {
      const client = new BinanceUsdmClient({ baseUrl: sim.restUrl, apiKey: a.apiKey, secret: a.secret, clock: systemClock, fetch: http.fetch });
      const id = await seedPaperTrading(store, client, {
        key, now: Date.now(), directions: SYMBOLS, account: { name: `bench-${i}`, apiKey: a.apiKey, secret: a.secret, tradingEnabled: true },
      });
      const account = (await getAccount(store, id))!;
      await exchanges.forAccount(account);
      for (const [symbol, direction] of Object.entries(SYMBOLS)) {
        const uuid = crypto.randomUUID();
        await store.transaction((tx) => applyRowEffects(tx, [insertPosition({ uuid, account, symbol, direction }, Date.now())]));
        exchangeMs = 0;
        const t0 = performance.now();
        await engine.start(openBlock(uuid), { set: 'trading' });
        for (;;) {
          const p = await getPositionByUuid(store, uuid);
          if (p?.status === 'active') break;
          if (p && p.status !== 'new' && p.status !== 'opening') throw new Error(`position ${symbol} ended ${p.status}`);
          await new Promise((r) => setTimeout(r, 1));
        }
        run.totalMs.push(performance.now() - t0);
        run.exchangeMs.push(exchangeMs);
      }
    }
  } finally {
    await daemon.stop();
    await Promise.all(consumers.map((c) => c.close(5_000)));
    await http.close();
    await sim.close();
  }
  return run;
}

function figures(label: string, run: Run): string[] {
  const p50 = percentile(run.totalMs, 50);
  return table([
    { name: `${label}: dispatch → active p50`, value: `${fmt(p50, 1)} ms`, target: '≤ 150 ms', note: `ratio ${fmt(p50 / 150)} of the target; original ≥ 10,000 ms` },
    { name: `${label}: dispatch → active p99`, value: `${fmt(percentile(run.totalMs, 99), 1)} ms` },
    { name: `${label}: time on the exchange p50`, value: `${fmt(percentile(run.exchangeMs, 50), 1)} ms`, note: `(${run.totalMs.length} positions, REST over loopback)` },
  ]);
}

/** The open-block benchmark. */
export const openBlockBenchmark: Benchmark = {
  name: 'open-block',
  summary: 'open block (market + 4 rungs + SL + TP) on the loopback simulator, dispatch → active: embedded and MariaDB + BullMQ',
  async run(io: CliIo) {
    io.out(`open-block: ${ACCOUNTS * Object.keys(SYMBOLS).length} positions, one at a time, per runner`);
    for (const [label, parts] of RUNNERS) {
      const p = await parts();
      try {
        for (const line of figures(label, await openSequentially(p.store, p.queue))) io.out(line);
      } finally {
        await p.close();
      }
    }
    return 0;
  },
};
