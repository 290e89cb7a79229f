// The Binance client against the simulator over real HTTP on loopback: the trading lifecycle's
// calls, signature and timestamp checks, the error taxonomy on real responses, reconcile after
// unknown outcomes, rate limits per egress IP (127.0.0.2 / 127.0.0.3) with the governor.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryWeightGovernor } from '../core/adapters/memory/memory-weight-governor.ts';
import { BinanceUsdmClient, type BinanceClientOptions } from '../core/exchange/binance/binance-client.ts';
import { ServerTimeSync } from '../core/exchange/binance/server-time.ts';
import { clientOrderId } from '../core/exchange/client-order-id.ts';
import { checkOrder, minQtyForNotional, passiveRounding, roundPrice, toDecimalString, dec } from '../core/exchange/precision.ts';
import { ManualClock } from '../core/ports/clock.ts';
import { egressPool } from '../edge/adapters/undici-fetch.ts';
import { startSimulator, type RunningSimulator, type StartSimulatorOptions } from '../edge/sim/index.ts';
import { caught } from './support/caught.ts';

const ACCOUNT = { apiKey: 'sim-key-1', secret: 'sim-secret-1', balance: '10000' };
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('Binance client on the simulator', () => {
  let clock: ManualClock;
  let sim: RunningSimulator;
  let closers: (() => Promise<void>)[];

  const start = async (options: StartSimulatorOptions = {}) => {
    sim = await startSimulator({ port: 0, seed: 7, accounts: [ACCOUNT], clock, ...options });
  };
  const client = (options: Partial<BinanceClientOptions> = {}) => {
    const pool = egressPool(['127.0.0.1']);
    closers.push(pool.close);
    return new BinanceUsdmClient({ baseUrl: sim.restUrl, apiKey: ACCOUNT.apiKey, secret: ACCOUNT.secret, clock, egress: pool.egress, ...options });
  };

  beforeEach(() => {
    clock = new ManualClock(T0);
    closers = [];
  });
  afterEach(async () => {
    for (const close of closers) await close();
    await sim?.close();
  });

  it('runs an open: settings, entry, DCA rung, stop before take-profit, modify, cancel', async () => {
    await start();
    const c = client();
    const info = await c.getExchangeInfo();
    const btc = info.symbols.find((s) => s.symbol === 'BTCUSDT')!;
    expect(btc.filters).toMatchObject({ tickSize: '0.1', stepSize: '0.001', minNotional: '100' });
    expect(info.rateLimits).toContainEqual({ type: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 });

    expect(await c.getPositionMode()).toBe('one-way');
    expect(await c.setPositionMode('one-way')).toMatchObject({ changed: false });
    expect(await c.setMarginType('BTCUSDT', 'ISOLATED')).toMatchObject({ changed: true });
    expect(await c.setMarginType('BTCUSDT', 'ISOLATED')).toMatchObject({ changed: false });
    expect(await c.setLeverage('BTCUSDT', 10)).toMatchObject({ symbol: 'BTCUSDT', leverage: 10 });
    const [bracket] = await c.getLeverageBrackets('BTCUSDT');
    expect(bracket!.brackets[0]!.initialLeverage).toBeGreaterThanOrEqual(10);

    const mark = (await c.getMarkPrice('BTCUSDT')).markPrice;
    const qty = minQtyForNotional(mark, btc.filters);
    const entry = await c.placeOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: qty, clientOrderId: clientOrderId({ positionId: 41, role: 'entry' }) });
    expect(entry).toMatchObject({ status: 'FILLED', executedQty: qty, clientOrderId: 'k-41-en' });

    const [position] = await c.getPositions('BTCUSDT');
    expect(position).toMatchObject({ symbol: 'BTCUSDT', positionSide: 'BOTH', positionAmt: qty });
    expect(dec(position!.breakEvenPrice).gt(dec(position!.entryPrice))).toBe(true); // opening commission included

    // DCA rung 2 % below, rounded to the tick on the passive side; checked locally first.
    const rungPrice = roundPrice(dec(mark).times('0.98'), btc.filters, passiveRounding('BUY'));
    const rungQty = toDecimalString(dec(qty).times(2));
    expect(checkOrder(btc.filters, { side: 'BUY', type: 'LIMIT', price: rungPrice, quantity: rungQty, markPrice: mark })).toEqual([]);
    const rungId = clientOrderId({ positionId: 41, role: 'rung', rung: 1 });
    const rung = await c.placeOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: rungQty, price: rungPrice, clientOrderId: rungId });
    expect(rung).toMatchObject({ status: 'NEW', price: rungPrice, origQty: rungQty, timeInForce: 'GTC' });

    // Stop first (algo API, closePosition), then take-profit.
    const stop = await c.placeAlgoOrder({
      symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', clientAlgoId: clientOrderId({ positionId: 41, role: 'stop' }),
      triggerPrice: roundPrice(dec(mark).times('0.95'), btc.filters, 'down'), closePosition: true, workingType: 'MARK_PRICE',
    });
    expect(stop).toMatchObject({ clientAlgoId: 'k-41-sl', status: 'NEW', closePosition: true, type: 'STOP_MARKET' });
    const tpId = clientOrderId({ positionId: 41, role: 'profit' });
    const tp = await c.placeOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', quantity: qty, price: roundPrice(dec(mark).times('1.01'), btc.filters, 'up'), clientOrderId: tpId, reduceOnly: true });
    expect(tp.reduceOnly).toBe(true);

    expect((await c.getOpenOrders('BTCUSDT')).map((o) => o.clientOrderId).sort()).toEqual([rungId, tpId].sort());
    expect((await c.getOpenAlgoOrders()).map((o) => o.clientAlgoId)).toEqual(['k-41-sl']);

    // WAP: modify the TP in place — same exchange order id.
    const newTpPrice = roundPrice(dec(mark).times('1.02'), btc.filters, 'up');
    const modified = await c.modifyOrder({ symbol: 'BTCUSDT', clientOrderId: tpId, side: 'SELL', quantity: qty, price: newTpPrice });
    expect(modified).toMatchObject({ orderId: tp.orderId, price: newTpPrice, status: 'NEW' });
    expect(await c.findOrder({ symbol: 'BTCUSDT', clientOrderId: tpId })).toMatchObject({ price: newTpPrice, avgPrice: expect.any(String) });

    // Cancel the rung; a second cancel is Binance's -2011.
    expect(await c.cancelOrder({ symbol: 'BTCUSDT', clientOrderId: rungId })).toMatchObject({ status: 'CANCELED' });
    expect(await caught(c.cancelOrder({ symbol: 'BTCUSDT', clientOrderId: rungId }))).toMatchObject({ code: 'UNKNOWN_ORDER', vendorCode: -2011, disposition: 'final' });
    expect(await c.findOrder({ symbol: 'BTCUSDT', clientOrderId: 'k-41-dca9' })).toBeNull();

    expect(await c.cancelAlgoOrder({ clientAlgoId: 'k-41-sl' })).toMatchObject({ clientAlgoId: 'k-41-sl' });
    expect(await c.findAlgoOrder({ clientAlgoId: 'k-41-sl' })).toMatchObject({ status: 'CANCELED' });
    const balances = await c.getBalances();
    expect(balances.find((b) => b.asset === 'USDT')?.balance).toMatch(/^\d+(\.\d+)?$/);
  });

  it('maps the simulator\'s rejections to the taxonomy', async () => {
    await start();
    const c = client();
    // Reduce-only with no position, min notional, a GTE stop with nothing open.
    expect(await caught(c.placeOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.01', clientOrderId: 'k-1-cl', reduceOnly: true })))
      .toMatchObject({ code: 'REDUCE_ONLY_REJECTED', vendorCode: -2022, disposition: 'final' });
    expect(await caught(c.placeOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '90000', clientOrderId: 'k-1-dca1' })))
      .toMatchObject({ code: 'MIN_NOTIONAL', vendorCode: -4164 });
    expect(await caught(c.placeAlgoOrder({ symbol: 'ETHUSDT', side: 'SELL', type: 'STOP_MARKET', clientAlgoId: 'k-1-sl', triggerPrice: '3000', closePosition: true })))
      .toMatchObject({ code: 'NO_OPEN_POSITION', vendorCode: -4509 });
    expect(await caught(c.getOrder({ symbol: 'BTCUSDT', clientOrderId: 'k-404-en' }))).toMatchObject({ code: 'ORDER_NOT_FOUND', vendorCode: -2013 });
    expect(await caught(c.getMarkPrice('NOPEUSDT'))).toMatchObject({ code: 'BAD_REQUEST', vendorCode: -1121 });
    // A wrong secret fails Binance's signature check.
    const forged = client({ secret: 'not-the-secret' });
    expect(await caught(forged.getBalances())).toMatchObject({ code: 'AUTH_REJECTED', vendorCode: -1022 });
  });

  it('re-syncs server time on -1021 and retries with a fresh signature', async () => {
    await start();
    const timeSync = new ServerTimeSync();
    const c = client({ timeSync });
    await c.getBalances();
    sim.engine.faults.setClockSkew(30_000); // the server's clock jumps ahead
    expect(await c.getBalances()).toHaveLength(1);
    expect(timeSync.offsetMs).toBe(30_000);
  });

  it('treats a 5xx on an order as ambiguous, then reconciles by client id', async () => {
    await start();
    const c = client();
    sim.engine.faults.serverError({ applied: true }, { path: '/fapi/v1/order', method: 'POST' });
    const place = { symbol: 'ETHUSDT', side: 'BUY' as const, type: 'LIMIT' as const, quantity: '0.01', price: '3400', clientOrderId: 'k-7-dca1' };
    const error = await caught(c.placeOrder(place));
    expect(error).toMatchObject({ code: 'AMBIGUOUS_MUTATION', disposition: 'reconcile', httpStatus: 503, vendorCode: -1008 });
    expect(await c.findOrder({ symbol: 'ETHUSDT', clientOrderId: 'k-7-dca1' })).toMatchObject({ status: 'NEW', price: '3400' });

    sim.engine.faults.serverError({ applied: false }, { path: '/fapi/v1/order', method: 'POST' });
    expect(await caught(c.placeOrder({ ...place, clientOrderId: 'k-7-dca2' }))).toMatchObject({ code: 'AMBIGUOUS_MUTATION' });
    expect(await c.findOrder({ symbol: 'ETHUSDT', clientOrderId: 'k-7-dca2' })).toBeNull();
  });

  it('treats a lost response as ambiguous; the order is there', async () => {
    await start();
    const c = client();
    sim.engine.faults.loseResponse({ path: '/fapi/v1/algoOrder', method: 'POST' });
    await c.placeOrder({ symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01', clientOrderId: 'k-8-en' });
    const stop = { symbol: 'ETHUSDT', side: 'SELL' as const, type: 'STOP_MARKET' as const, clientAlgoId: 'k-8-sl', triggerPrice: '3000', closePosition: true };
    expect(await caught(c.placeAlgoOrder(stop))).toMatchObject({ code: 'AMBIGUOUS_MUTATION', httpStatus: undefined });
    expect(await c.findAlgoOrder({ clientAlgoId: 'k-8-sl' })).toMatchObject({ status: 'NEW' });
  });

  it('throttles on 429 until Retry-After, then a 418 ban carries its end', async () => {
    await start({ rateLimits: { weightPerMinute: 12, rejectionsBeforeBan: 1, banMs: 120_000 } });
    const c = client();
    await c.getOpenOrders('BTCUSDT'); // time sync 1 + weight 1
    expect(await caught(c.getOpenOrders())).toMatchObject({ code: 'RATE_LIMITED', httpStatus: 429, vendorCode: -1003, retryAfterMs: 60_000, disposition: 'throttle' });
    expect(await caught(c.getOpenOrders())).toMatchObject({ code: 'IP_BANNED', httpStatus: 418, vendorCode: -1003, retryAfterMs: 120_000, disposition: 'throttle' });
    clock.advance(60_000);
    expect(await caught(c.getOpenOrders('BTCUSDT'))).toMatchObject({ code: 'IP_BANNED', retryAfterMs: 60_000 });
  });

  it('keeps a governed client from provoking the 418: after one 429 it waits locally', async () => {
    await start({ rateLimits: { weightPerMinute: 12, rejectionsBeforeBan: 1 } });
    const governor = new MemoryWeightGovernor({ clock });
    const c = client({ governor });
    await c.getOpenOrders('BTCUSDT');
    expect(await caught(c.getOpenOrders())).toMatchObject({ code: 'RATE_LIMITED', httpStatus: 429, retryAfterMs: 60_000 });
    expect(await caught(c.getOpenOrders())).toMatchObject({ code: 'RATE_LIMITED', httpStatus: undefined, retryAfterMs: 60_000 });
    clock.advance(60_000);
    expect(await c.getOpenOrders('BTCUSDT')).toEqual([]);
  });

  it('meters 127.0.0.2 and 127.0.0.3 separately and steers work between them', async () => {
    await start({ host: '127.0.0.1', rateLimits: { weightPerMinute: 90 } });
    const pool = egressPool(['127.0.0.2', '127.0.0.3']);
    closers.push(pool.close);
    const governor = new MemoryWeightGovernor({ clock, limits: { weightPerMinute: 90, safety: 1 } });
    const c = new BinanceUsdmClient({ baseUrl: sim.restUrl, apiKey: ACCOUNT.apiKey, secret: ACCOUNT.secret, clock, egress: pool.egress, governor });
    await c.syncTime(); // weight 1 on .2
    await c.getOpenOrders(); // weight 40: .3 has more headroom
    await c.getOpenOrders(); // .2
    await c.getOpenOrders(); // .3
    // Each IP's header-reported weight proves the simulator counted them apart.
    expect((await governor.state()).ips.map((s) => [s.ip, s.used])).toEqual([['127.0.0.2', 41], ['127.0.0.3', 80]]);
    await c.getOpenOrders(); // .2 → 81
    // Neither IP can take another 40 this minute: a local wait, no request, no 429.
    expect(await caught(c.getOpenOrders())).toMatchObject({ code: 'WEIGHT_BUDGET', retryAfterMs: 60_000 });
    clock.advance(60_000);
    expect(await c.getOpenOrders()).toEqual([]);
  });

  it('manages listen keys', async () => {
    await start();
    const c = client();
    const key = await c.createListenKey();
    expect(key).toMatch(/^[A-Za-z0-9]{20,}$/);
    await c.keepAliveListenKey(key);
    await c.closeListenKey(key);
    expect(await caught(c.keepAliveListenKey(key))).toMatchObject({ code: 'LISTEN_KEY_NOT_FOUND', vendorCode: -1125 });
  });
});
