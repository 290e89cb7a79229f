// The simulator's Node face on loopback: signatures, timestamps, weights per source IP, listen keys,
// user-data and mark-price streams, spoken to with undici fetch and ws as a third-party client would.
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/ports/clock.ts';
import { startSimulator, type RunningSimulator } from '../edge/sim/index.ts';
import WebSocket from 'ws';
import { FrameCollector, simClient } from '../edge/sim/sim-client.ts';

const KEY = 'sim-test-key';
const SECRET = 'sim-test-secret';
const BTC = { symbol: 'BTCUSDT' };

describe('simulator server', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 12, 0, 0));
  let sim: RunningSimulator;
  let client: ReturnType<typeof simClient>;
  const sockets: FrameCollector[] = [];
  const connect = async (path: string) => {
    const c = new FrameCollector(`${sim.wsUrl}${path}`);
    sockets.push(c);
    await c.opened;
    return c;
  };

  beforeAll(async () => {
    sim = await startSimulator({ clock, seed: 7, accounts: [{ apiKey: KEY, secret: SECRET, balance: '100000' }], markPriceIntervalMs: 50, housekeepingMs: 20, pingIntervalMs: 50, pongTimeoutMs: 300 });
    client = simClient({ restUrl: sim.restUrl, apiKey: KEY, secret: SECRET, now: () => clock.now() });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await sim.close();
  });

  it('serves public endpoints with Binance bodies and a weight header', async () => {
    const time = await client.request('GET', '/fapi/v1/time');
    expect(time.body).toEqual({ serverTime: clock.now() });
    expect(time.headers.get('x-mbx-used-weight-1m')).toMatch(/^\d+$/);
    const info = await client.request('GET', '/fapi/v1/exchangeInfo');
    const btc = info.body.symbols.find((s: any) => s.symbol === 'BTCUSDT');
    expect(btc.filters).toContainEqual({ filterType: 'PRICE_FILTER', minPrice: '261.10', maxPrice: '809484', tickSize: '0.10' });
    expect(info.body.rateLimits[0]).toEqual({ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 });
    const missing = await client.request('GET', '/fapi/v1/nothing');
    expect(missing.status).toBe(404);
  });

  it('accepts a correct signature and rejects a wrong one with -1022', async () => {
    const ok = await client.signed('GET', '/fapi/v3/balance');
    expect(ok.status).toBe(200);
    expect(ok.body[0]).toMatchObject({ asset: 'USDT', balance: '100000.00000000' });
    const wrong = simClient({ restUrl: sim.restUrl, apiKey: KEY, secret: 'not-the-secret', now: () => clock.now() });
    const bad = await wrong.signed('GET', '/fapi/v3/balance');
    expect(bad).toMatchObject({ status: 400, body: { code: -1022, msg: 'Signature for this request is not valid.' } });
    const unsigned = await client.request('GET', '/fapi/v3/balance', { timestamp: clock.now() });
    expect(unsigned.body).toMatchObject({ code: -1102 });
  });

  it('answers -1021 when the timestamp is outside recvWindow or ahead of the server', async () => {
    const stale = await client.signed('GET', '/fapi/v3/balance', {}, clock.now() - 6000);
    expect(stale.body).toEqual({ code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' });
    expect((await client.signed('GET', '/fapi/v3/balance', { recvWindow: 10000 }, clock.now() - 6000)).status).toBe(200);
    const ahead = await client.signed('GET', '/fapi/v3/balance', {}, clock.now() + 1500);
    expect(ahead.body).toMatchObject({ code: -1021 });
  });

  it('pushes NEW, TRADE and ACCOUNT_UPDATE on the user stream when a resting order fills', async () => {
    const { body } = await client.request('POST', '/fapi/v1/listenKey');
    const user = await connect(`/ws/${body.listenKey}`);
    const placed = await client.signed('POST', '/fapi/v1/order', { ...BTC, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.010', price: '94000.0', newClientOrderId: 'k-1-rung-1' });
    expect(placed.status).toBe(200);
    expect(placed.headers.get('x-mbx-order-count-10s')).toBe('1');
    expect(placed.headers.get('x-mbx-order-count-1m')).toBe('1');
    await user.waitFor((f) => f.e === 'ORDER_TRADE_UPDATE' && f.o.x === 'NEW' && f.o.c === 'k-1-rung-1');
    sim.engine.setMark('BTCUSDT', '93900');
    const trade = await user.waitFor((f) => f.e === 'ORDER_TRADE_UPDATE' && f.o.x === 'TRADE');
    expect(trade.o).toMatchObject({ c: 'k-1-rung-1', X: 'FILLED', l: '0.01', L: '94000', m: true, i: placed.body.orderId });
    const account = await user.waitFor((f) => f.e === 'ACCOUNT_UPDATE');
    expect(account.a.P[0]).toMatchObject({ s: 'BTCUSDT', pa: '0.01', ep: '94000', ps: 'BOTH' });
    const combined = await connect(`/stream?streams=${body.listenKey}`);
    await client.signed('POST', '/fapi/v1/order', { ...BTC, side: 'SELL', type: 'MARKET', quantity: '0.010', reduceOnly: 'true' });
    const wrapped = await combined.waitFor((f) => f.data?.e === 'ORDER_TRADE_UPDATE' && f.data.o.x === 'TRADE');
    expect(wrapped.stream).toBe(body.listenKey);
  });

  it('runs the listen key lifecycle and pushes listenKeyExpired after 60 minutes without keepalive', async () => {
    const first = (await client.request('POST', '/fapi/v1/listenKey')).body.listenKey;
    expect((await client.request('POST', '/fapi/v1/listenKey')).body.listenKey).toBe(first);
    expect((await client.request('PUT', '/fapi/v1/listenKey')).status).toBe(200);
    const user = await connect(`/ws/${first}`);
    expect((await client.request('DELETE', '/fapi/v1/listenKey')).body).toEqual({});
    await user.closed;
    expect((await client.request('PUT', '/fapi/v1/listenKey')).body).toEqual({ code: -1125, msg: 'This listenKey does not exist.' });
    const refused = new FrameCollector(`${sim.wsUrl}/ws/${first}`);
    await expect(refused.opened).rejects.toThrow(/400/);

    const key = (await client.request('POST', '/fapi/v1/listenKey')).body.listenKey;
    expect(key).not.toBe(first);
    const stream = await connect(`/ws/${key}`);
    clock.advance(59 * 60_000);
    await client.request('PUT', '/fapi/v1/listenKey');
    clock.advance(59 * 60_000);
    expect(stream.frames.some((f) => f.e === 'listenKeyExpired')).toBe(false);
    clock.advance(2 * 60_000);
    const expired = await stream.waitFor((f) => f.e === 'listenKeyExpired');
    expect(expired).toEqual({ e: 'listenKeyExpired', E: clock.now(), listenKey: key });
    await stream.closed;
  });

  it('streams !markPrice@arr@1s in raw and combined form with the current marks', async () => {
    const raw = await connect('/ws/!markPrice@arr@1s');
    const combined = await connect('/stream?streams=!markPrice@arr@1s/ethusdt@markPrice@1s');
    sim.engine.setMark('BTCUSDT', '96000');
    const frame = await raw.waitFor((f) => Array.isArray(f) && f.some((m: any) => m.s === 'BTCUSDT' && m.p === '96000.00000000'));
    expect(frame.find((m: any) => m.s === 'BTCUSDT')).toMatchObject({ e: 'markPriceUpdate', r: '0.00010000', T: expect.any(Number) });
    expect(frame).toHaveLength(sim.engine.state.markets.size);
    await combined.waitFor((f) => f.stream === '!markPrice@arr@1s' && Array.isArray(f.data));
    const eth = await combined.waitFor((f) => f.stream === 'ethusdt@markPrice@1s');
    expect(eth.data).toMatchObject({ e: 'markPriceUpdate', s: 'ETHUSDT' });
    raw.ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 7 }));
    expect(await raw.waitFor((f) => f.id === 7)).toEqual({ result: ['!markPrice@arr@1s'], id: 7 });
  });

  it('pings every connection and drops one that never answers with a pong', async () => {
    const polite = await connect('/ws/!markPrice@arr');
    await new Promise<void>((resolve) => polite.ws.once('ping', () => resolve()));
    const deaf = new WebSocket(`${sim.wsUrl}/ws/!markPrice@arr`, { autoPong: false });
    const code = await new Promise<number>((resolve) => deaf.once('close', (c) => resolve(c)));
    expect(code).toBe(1006);
    expect(polite.ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe('request weight per source IP', () => {
  let sim: RunningSimulator;
  const agents: Agent[] = [];
  const from = (ip: string) => {
    // undici 7 takes the source address as a top-level Client option: `connect: { localAddress }`
    // is overridden by the client's own (null) localAddress and silently ignored.
    const agent = new Agent({ localAddress: ip });
    agents.push(agent);
    return simClient({ restUrl: sim.restUrl, dispatcher: agent });
  };

  beforeAll(async () => {
    // A manual clock so a minute boundary cannot reset the window mid-test.
    sim = await startSimulator({ clock: new ManualClock(Date.UTC(2026, 0, 5, 12, 0, 0)), rateLimits: { weightPerMinute: 25, rejectionsBeforeBan: 1, banMs: 120_000 } });
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await sim.close();
  });

  it('meters two local addresses separately, answers 429 with Retry-After, then bans with 418', async () => {
    const a = from('127.0.0.2');
    const b = from('127.0.0.3');
    const first = await a.request('GET', '/fapi/v1/premiumIndex');
    expect(first.headers.get('x-mbx-used-weight-1m')).toBe('10');
    expect((await a.request('GET', '/fapi/v1/premiumIndex')).headers.get('x-mbx-used-weight-1m')).toBe('20');
    const limited = await a.request('GET', '/fapi/v1/premiumIndex');
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe(-1003);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('x-mbx-used-weight-1m')).toBe('20');
    const other = await b.request('GET', '/fapi/v1/premiumIndex');
    expect(other.status).toBe(200);
    expect(other.headers.get('x-mbx-used-weight-1m')).toBe('10');
    const banned = await a.request('GET', '/fapi/v1/premiumIndex');
    expect(banned.status).toBe(418);
    expect(banned.body.msg).toMatch(/^Way too many requests; IP\(127\.0\.0\.2\) banned until \d+/);
    expect(Number(banned.headers.get('retry-after'))).toBeGreaterThanOrEqual(119);
    expect((await a.request('GET', '/fapi/v1/ping')).status).toBe(418);
    expect((await b.request('GET', '/fapi/v1/ping')).status).toBe(200);
  });
});
