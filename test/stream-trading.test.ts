// The user-data daemon feeding the real trading handlers: a rung fill the simulator pushes over a
// real WebSocket reaches the order row and triggers WAP, with no poll involved; the frame is in
// the audit table. Simulator over loopback HTTP + WebSocket, embedded store and queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../core/adapters/memory/memory-step-store.ts';
import { BinanceUsdmClient } from '../core/exchange/binance/binance-client.ts';
import { compareDecimal } from '../core/exchange/precision.ts';
import { MARKET_UNIQUE_KEYS } from '../core/market/tables.ts';
import { systemClock } from '../core/ports/clock.ts';
import { silentLogger } from '../core/ports/logger.ts';
import type { Consumer } from '../core/queue/queue.port.ts';
import { DispatchDaemon } from '../core/steps/dispatch-daemon.ts';
import { StepEngine } from '../core/steps/engine.ts';
import { HandlerRegistry } from '../core/steps/registry.ts';
import { DEFAULT_ALLOWLIST } from '../core/streams/user-data-frames.ts';
import { importCredentialsKey } from '../core/trading/credentials.ts';
import { credentialDirectory } from '../core/trading/exchange-directory.ts';
import { toOrder } from '../core/trading/order.ts';
import { seedPaperTrading } from '../core/trading/paper-seed.ts';
import { toPosition } from '../core/trading/position.ts';
import { TABLES, TRADING_UNIQUE_KEYS } from '../core/trading/tables.ts';
import { egressFetch } from '../edge/adapters/undici-fetch.ts';
import { startSimulator, type RunningSimulator } from '../edge/sim/index.ts';
import { systemTimers } from '../edge/streams/user-data/timers.ts';
import { UserDataDaemon } from '../edge/streams/user-data/user-data-daemon.ts';
import { tradingHandlers } from '../handlers/trading/index.ts';

const LANES = ['positions', 'orders', 'priority', 'user-data-stream'];
const ACCOUNT = { apiKey: 'stream-key', secret: 'stream-secret', balance: '100000' };

let sim: RunningSimulator;
let store: MemoryStepStore;
let daemon: UserDataDaemon;
let engine: StepEngine;
let dispatch: DispatchDaemon;
let consumers: Consumer[];
const http = egressFetch();

beforeAll(async () => {
  sim = await startSimulator({ accounts: [ACCOUNT], clock: systemClock });
  store = new MemoryStepStore({ uniqueKeys: { ...TRADING_UNIQUE_KEYS, ...MARKET_UNIQUE_KEYS } });
  const queue = new MemoryQueue({ logger: silentLogger });
  const key = await importCredentialsKey(btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))));
  const connect = (apiKey: string, secret: string) => new BinanceUsdmClient({ baseUrl: sim.restUrl, apiKey, secret, clock: systemClock, fetch: http.fetch });
  await seedPaperTrading(store, connect(ACCOUNT.apiKey, ACCOUNT.secret), {
    key, now: Date.now(), directions: { ETHUSDT: 'LONG' }, account: { name: 'stream', apiKey: ACCOUNT.apiKey, secret: ACCOUNT.secret, tradingEnabled: true },
  });
  engine = new StepEngine({
    store, queue, registry: new HandlerRegistry(tradingHandlers({ exchanges: credentialDirectory(key, (c) => connect(c.apiKey, c.apiSecret)) })),
    logger: silentLogger, worker: 'stream-test', chain: (lane) => LANES.includes(lane),
  });
  consumers = LANES.map((lane) => queue.consume(lane, 4, async (job) => void (await engine.execute(job))));
  dispatch = new DispatchDaemon(engine, { tickMs: 50 });
  dispatch.start();
  daemon = new UserDataDaemon({ engine, credentialsKey: key, restUrl: sim.restUrl, wsUrl: sim.wsUrl, allowlist: DEFAULT_ALLOWLIST, timers: systemTimers(), logger: silentLogger, staggerMs: 0 });
  await daemon.start();
});
afterAll(async () => {
  await daemon.stop();
  await dispatch.stop();
  await Promise.all(consumers.map((c) => c.close(5_000)));
  await http.close();
  await sim.close();
});

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('user-data stream into the trading lifecycle', () => {
  it('a rung fill pushed over the socket updates the order row and triggers WAP', async () => {
    await until('the stream to connect', async () => daemon.status().open, (n) => n === 1);
    await engine.start([{ handler: 'trading.open-positions' }], { set: 'trading' });
    const position = await until('the position to be active', async () => (await store.findRows(TABLES.positions, {})).map(toPosition)[0], (p) => p?.status === 'active');
    const orders = (await store.findRows(TABLES.orders, { position_id: position!.id })).map(toOrder);
    const rung = orders.find((o) => o.rung === 1)!;
    const profit = orders.find((o) => o.role === 'profit')!;

    const fillAt = Date.now();
    sim.engine.setMark('ETHUSDT', rung.price!);
    const filled = await until('the rung fill to be applied by WAP', async () => (await store.findRows(TABLES.orders, { id: rung.id })).map(toOrder)[0]!, (o) => o.fillAppliedAt !== null);
    expect(filled.status).toBe('filled');
    const tp = (await store.findRows(TABLES.orders, { id: profit.id })).map(toOrder)[0]!;
    expect(compareDecimal(tp.quantity!, profit.quantity!)).toBe(1);
    const audit = await store.findRows(TABLES.exchangeEvents, { client_order_id: rung.clientOrderId, source: 'ws' });
    expect(audit.length).toBeGreaterThan(0);
    const steps = await store.listSteps('trading', { limit: 1000 });
    // Only the connect's catch-up sync ran, before the fill: the frame alone carried it.
    expect(steps.filter((s) => s.handler === 'trading.sync-orders').map((s) => s.createdAt < fillAt)).toEqual([true]);
    expect(steps.filter((s) => s.handler === 'trading.wap.reprice' && s.state === 'completed')).toHaveLength(1);
  }, 30_000);
});
