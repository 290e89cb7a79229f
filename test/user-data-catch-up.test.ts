// Reconnect means catch up (issue 14): a rung fills while the account's user-data stream is down
// (its listen key cannot be had), so its frame reaches nobody and Binance never replays it. When the
// stream comes back, the account is reconciled at once — the fill lands and WAP re-prices the
// take-profit within seconds, not at the next 5-minute poll (none runs here). MariaDB + BullMQ on
// Redis, the simulator over loopback HTTP + WebSocket, real trading handlers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinanceUsdmClient } from '../core/exchange/binance/binance-client.ts';
import { compareDecimal } from '../core/exchange/precision.ts';
import { systemClock } from '../core/ports/clock.ts';
import { silentLogger } from '../core/ports/logger.ts';
import type { Consumer } from '../core/queue/queue.port.ts';
import { DispatchDaemon } from '../core/steps/dispatch-daemon.ts';
import { StepEngine } from '../core/steps/engine.ts';
import { HandlerRegistry } from '../core/steps/registry.ts';
import { DEFAULT_ALLOWLIST } from '../core/streams/user-data-frames.ts';
import { importCredentialsKey } from '../core/trading/credentials.ts';
import { toExchangeEvent } from '../core/trading/audit.ts';
import { credentialDirectory } from '../core/trading/exchange-directory.ts';
import { toOrder } from '../core/trading/order.ts';
import { seedPaperTrading } from '../core/trading/paper-seed.ts';
import { toPosition } from '../core/trading/position.ts';
import { TABLES } from '../core/trading/tables.ts';
import { egressFetch } from '../edge/adapters/undici-fetch.ts';
import { startSimulator, type RunningSimulator } from '../edge/sim/index.ts';
import { systemTimers } from '../edge/streams/user-data/timers.ts';
import { UserDataDaemon } from '../edge/streams/user-data/user-data-daemon.ts';
import { tradingHandlers } from '../handlers/trading/index.ts';
import { mysqlBullMqParts } from './support/mysql-bullmq.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { until } from './support/wait-until.ts';

const LANES = ['positions', 'orders', 'priority', 'user-data-stream'];
const ACCOUNT = { apiKey: 'catch-up-key', secret: 'catch-up-secret', balance: '100000' };
const LISTEN_KEY = { method: 'POST', path: '/fapi/v1/listenKey', apiKey: ACCOUNT.apiKey };

let db: TestDatabase;
let parts: Awaited<ReturnType<typeof mysqlBullMqParts>>;
let sim: RunningSimulator;
let daemon: UserDataDaemon;
let engine: StepEngine;
let accountId: number;
let key: CryptoKey;
let dispatch: DispatchDaemon;
let consumers: Consumer[];
const http = egressFetch();

beforeAll(async () => {
  db = await freshDatabase();
  parts = await mysqlBullMqParts(db.url);
  sim = await startSimulator({ accounts: [ACCOUNT], clock: systemClock });
  key = await importCredentialsKey(btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))));
  const connect = (apiKey: string, secret: string) => new BinanceUsdmClient({ baseUrl: sim.restUrl, apiKey, secret, clock: systemClock, fetch: http.fetch });
  accountId = await seedPaperTrading(parts.store, connect(ACCOUNT.apiKey, ACCOUNT.secret), {
    key, now: Date.now(), directions: { ETHUSDT: 'LONG' }, account: { name: 'catch-up', apiKey: ACCOUNT.apiKey, secret: ACCOUNT.secret, tradingEnabled: true },
  });
  engine = new StepEngine({
    store: parts.store, queue: parts.queue, logger: silentLogger, worker: 'catch-up-test', chain: (lane) => LANES.includes(lane),
    registry: new HandlerRegistry(tradingHandlers({ exchanges: credentialDirectory(key, (c) => connect(c.apiKey, c.apiSecret)) })),
  });
  consumers = LANES.map((lane) => parts.queue.consume(lane, 4, async (job) => void (await engine.execute(job))));
  dispatch = new DispatchDaemon(engine, { tickMs: 50 });
  dispatch.start();
  // Reconnect attempts at most a second apart, so the test waits on the catch-up, not on backoff.
  daemon = new UserDataDaemon({ engine, credentialsKey: key, restUrl: sim.restUrl, wsUrl: sim.wsUrl, allowlist: DEFAULT_ALLOWLIST, timers: systemTimers(), logger: silentLogger, staggerMs: 0, backoffCapMs: 1_000, downSyncMs: 600_000 });
  await daemon.start();
});
afterAll(async () => {
  await daemon?.stop();
  await dispatch?.stop();
  await Promise.all((consumers ?? []).map((c) => c.close(5_000)));
  await http.close();
  await sim?.close();
  await parts?.cleanup();
  await db?.drop();
});

describe('a user-data stream that reconnects', () => {
  it('reconciles a fill it missed while it was down within seconds: the rung is filled and WAP re-prices the take-profit', async () => {
    await until('the stream to connect', () => daemon.status().open === 1, 15_000);
    await engine.start([{ handler: 'trading.open-positions' }], { set: 'trading' });
    let position = null;
    await until('the position to be active', async () => (position = (await parts.store.findRows(TABLES.positions, {})).map(toPosition)[0])?.status === 'active', 30_000, 50);
    const orders = (await parts.store.findRows(TABLES.orders, { position_id: position!.id })).map(toOrder);
    const rung = orders.find((o) => o.rung === 1)!;
    const profit = orders.find((o) => o.role === 'profit')!;

    // Down: the socket drops and no listen key can be had, so every reconnect attempt fails.
    sim.engine.faults.failNext({ status: 503, code: -1001, msg: 'Internal error; unable to process your request. Please try again.' }, LISTEN_KEY, Number.POSITIVE_INFINITY);
    const connects = daemon.stream(accountId)!.stats.connects;
    sim.engine.faults.dropConnections('user', ACCOUNT.apiKey);
    await until('the stream to be down', () => daemon.status().open === 0 && daemon.stream(accountId)!.stats.failures >= 2, 15_000);
    sim.engine.setMark('ETHUSDT', rung.price!);
    expect(sim.engine.account(ACCOUNT.apiKey)!.orders.get(Number(rung.exchangeOrderId))!.status).toBe('FILLED');

    // Up again: the next attempt connects, and the account is reconciled at once.
    sim.engine.faults.clear();
    await until('the stream to reconnect', () => daemon.stream(accountId)!.stats.connects > connects, 15_000);
    const reconnectedAt = Date.now();
    await expect.poll(async () => toOrder((await parts.store.findRows(TABLES.orders, { id: rung.id }))[0]!).fillAppliedAt, { timeout: 10_000, interval: 50 }).not.toBeNull();
    const caughtUpMs = Date.now() - reconnectedAt;
    expect(caughtUpMs).toBeLessThan(10_000);

    const filled = toOrder((await parts.store.findRows(TABLES.orders, { id: rung.id }))[0]!);
    expect(filled.status).toBe('filled');
    const tp = toOrder((await parts.store.findRows(TABLES.orders, { id: profit.id }))[0]!);
    expect(compareDecimal(tp.quantity!, profit.quantity!)).toBe(1);
    const syncs = await parts.store.listSteps('trading', { handler: 'trading.sync-orders', limit: 100 });
    // One catch-up per connect (the first one and this one), each scoped to the account; no poll runs here.
    expect(syncs).toHaveLength(2);
    expect(syncs.map((s) => [s.state, (s.args as { accountId?: number }).accountId])).toEqual([['completed', accountId], ['completed', accountId]]);
    // The fill came from the catch-up, not from a frame: no TRADE frame of the rung was ever received.
    const frames = (await parts.store.findRows(TABLES.exchangeEvents, { client_order_id: rung.clientOrderId, source: 'ws' })).map(toExchangeEvent);
    expect(frames.filter((e) => (e.payload as { o?: { x?: string } }).o?.x === 'TRADE')).toEqual([]);
  }, 60_000);

  it('reconciles the account while it stays down: a fill made during a long outage lands without waiting for the reconnect', async () => {
    // The same fleet, with a daemon that reconciles a down account every 500 ms.
    await daemon.stop();
    daemon = new UserDataDaemon({ engine, credentialsKey: key, restUrl: sim.restUrl, wsUrl: sim.wsUrl, allowlist: DEFAULT_ALLOWLIST, timers: systemTimers(), logger: silentLogger, staggerMs: 0, backoffCapMs: 1_000, downSyncMs: 500 });
    await daemon.start();
    await until('the stream to connect', () => daemon.status().open === 1, 15_000);
    const position = (await parts.store.findRows(TABLES.positions, {})).map(toPosition).find((p) => p.status === 'active')!;
    const rung = (await parts.store.findRows(TABLES.orders, { position_id: position.id })).map(toOrder).find((o) => o.rung === 2)!;

    sim.engine.faults.failNext({ status: 503, code: -1001, msg: 'Internal error; unable to process your request. Please try again.' }, LISTEN_KEY, Number.POSITIVE_INFINITY);
    const connects = daemon.stream(accountId)!.stats.connects;
    sim.engine.faults.dropConnections('user', ACCOUNT.apiKey);
    await until('the stream to be down', () => daemon.status().open === 0, 15_000);
    sim.engine.setMark('ETHUSDT', rung.price!);
    await expect.poll(async () => toOrder((await parts.store.findRows(TABLES.orders, { id: rung.id }))[0]!).fillAppliedAt, { timeout: 15_000, interval: 50 }).not.toBeNull();
    // Still down: the fill came from the reconcile while down, not from a reconnect.
    expect(daemon.stream(accountId)!.stats.connects).toBe(connects);
    sim.engine.faults.clear();
  }, 60_000);
});
