// Faithfulness: Binance's own Node connector (@binance/futures-connector, dev dependency only),
// pointed at the simulator's base URL, works unchanged for the endpoints the simulator implements.
import connector from '@binance/futures-connector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../edge/sim/index.ts';

const { UMFutures } = connector;
const ACCOUNT = { apiKey: 'third-party-key', secret: 'third-party-secret', balance: '10000' };
/** Funded, never traded. */
const IDLE = { apiKey: 'idle-key', secret: 'idle-secret', balance: '2500' };
let sim: RunningSimulator;
let startedAt = 0;

beforeAll(async () => {
  startedAt = Date.now();
  // The connector signs with Date.now(), so the simulator runs on the system clock.
  sim = await startSimulator({ accounts: [ACCOUNT, IDLE] });
  sim.engine.setMark('BTCUSDT', '60000');
});
afterAll(async () => {
  await sim.close();
});

describe('@binance/futures-connector against the simulator', () => {
  const client = () => new UMFutures(ACCOUNT.apiKey, ACCOUNT.secret, { baseURL: sim.restUrl });

  it('reads public market data and server time', async () => {
    const c = client();
    const info = await c.getExchangeInfo();
    expect(info.data.symbols.map((s: { symbol: string }) => s.symbol)).toContain('BTCUSDT');
    expect(Number((await c.getTime()).data.serverTime)).toBeGreaterThan(0);
    expect((await c.getPremiumIndex('BTCUSDT')).data.markPrice).toMatch(/^60000/);
    expect(info.headers['x-mbx-used-weight-1m']).toBeDefined();
  });

  it('trades through signed endpoints: leverage, market entry, position, limit, query, cancel', async () => {
    const c = client();
    expect((await c.changeInitialLeverage('BTCUSDT', 10)).data.leverage).toBe(10);
    const entry = await c.newOrder('BTCUSDT', 'BUY', 'MARKET', { quantity: 0.01, newClientOrderId: 'tp-entry-1' });
    expect(entry.data.clientOrderId).toBe('tp-entry-1');
    const positions = (await c.getPositionInformationV3({ symbol: 'BTCUSDT' })).data;
    expect(Number(positions[0].positionAmt)).toBeCloseTo(0.01);
    const rung = await c.newOrder('BTCUSDT', 'BUY', 'LIMIT', { quantity: 0.01, price: 55000, timeInForce: 'GTC', newClientOrderId: 'tp-rung-1' });
    expect(rung.data.status).toBe('NEW');
    expect((await c.queryOrder('BTCUSDT', { origClientOrderId: 'tp-rung-1' })).data.orderId).toBe(rung.data.orderId);
    expect((await c.cancelOrder('BTCUSDT', { origClientOrderId: 'tp-rung-1' })).data.status).toBe('CANCELED');
    const account = (await c.getAccountInformationV3()).data;
    expect(Number(account.totalWalletBalance)).toBeLessThan(10000); // the taker commission was charged
  });

  it('gets Binance error bodies back as the connector expects them', async () => {
    const c = client();
    const error = await c.cancelOrder('BTCUSDT', { origClientOrderId: 'never-placed' }).catch((e: { response: { status: number; data: { code: number } } }) => e);
    expect((error as { response: { data: { code: number } } }).response.data.code).toBe(-2011);
    const wrong = new UMFutures(ACCOUNT.apiKey, 'wrong-secret', { baseURL: sim.restUrl });
    const bad = await wrong.getPositionInformationV3({}).catch((e: unknown) => e);
    expect((bad as { response: { data: { code: number } } }).response.data.code).toBe(-1022);
  });

  it('stamps a funded account that never traded with the time it was funded (ccxt reads 0 as no balance)', async () => {
    const c = new UMFutures(IDLE.apiKey, IDLE.secret, { baseURL: sim.restUrl });
    const [asset] = (await c.getAccountInformationV3()).data.assets.filter((a: { asset: string }) => a.asset === 'USDT');
    const [balance] = (await c.getFuturesAccountBalanceV3()).data.filter((a: { asset: string }) => a.asset === 'USDT');
    for (const row of [asset, balance]) {
      expect(Number(row.walletBalance ?? row.balance)).toBe(2500);
      expect(row.updateTime).toBeGreaterThanOrEqual(startedAt);
      expect(row.updateTime).toBeLessThanOrEqual(Date.now());
    }
  });

  it('manages a listen key', async () => {
    const c = client();
    const key = (await c.createListenKey()).data.listenKey;
    expect(key).toMatch(/^\w{20,}$/);
    await expect(c.renewListenKey(key)).resolves.toBeDefined();
    await expect(c.closeListenKey(key)).resolves.toBeDefined();
  });
});
