// Every injectable fault of the simulator, seen from a client on loopback: latency, a chosen error,
// 5xx with unknown outcome (applied and not), a lost response after acceptance, dropped and
// duplicated frames, a dropped connection, clock skew, and the per-account order limit.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/ports/clock.ts';
import { startSimulator, type RunningSimulator } from '../edge/sim/index.ts';
import { FrameCollector, simClient } from '../edge/sim/sim-client.ts';

const KEY = 'fault-key';
const SECRET = 'fault-secret';
const ORDER = { method: 'POST', path: '/fapi/v1/order' };
const market = (id: string) => ({ symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.010', newClientOrderId: id });

describe('fault injection', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 12, 0, 0));
  let sim: RunningSimulator;
  let client: ReturnType<typeof simClient>;
  const sockets: FrameCollector[] = [];
  const userStream = async () => {
    const { listenKey } = (await client.request('POST', '/fapi/v1/listenKey')).body;
    const c = new FrameCollector(`${sim.wsUrl}/ws/${listenKey}`);
    sockets.push(c);
    await c.opened;
    return c;
  };
  const lookup = (id: string) => client.signed('GET', '/fapi/v1/order', { symbol: 'ETHUSDT', origClientOrderId: id });

  beforeAll(async () => {
    sim = await startSimulator({ clock, accounts: [{ apiKey: KEY, secret: SECRET, balance: '100000' }], rateLimits: { ordersPer10s: 30 }, markPriceIntervalMs: 100 });
    client = simClient({ restUrl: sim.restUrl, apiKey: KEY, secret: SECRET, now: () => clock.now() });
  });
  afterEach(() => {
    sim.engine.faults.clear();
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(async () => {
    await sim.close();
  });

  it('delays matching responses', async () => {
    // One delayed answer of a second, then none: margins wide enough for a loaded box.
    sim.engine.faults.latency(1_000, { path: '/fapi/v1/time' }, 1);
    const started = performance.now();
    await client.request('GET', '/fapi/v1/time');
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    const quick = performance.now();
    await client.request('GET', '/fapi/v1/time');
    expect(performance.now() - quick).toBeLessThan(900);
  });

  it('answers the next matching request with a chosen error code, without executing it', async () => {
    sim.engine.faults.failNext({ code: -2022, msg: 'ReduceOnly Order is rejected.' }, ORDER);
    const failed = await client.signed('POST', '/fapi/v1/order', market('f-err-1'));
    expect(failed).toMatchObject({ status: 400, body: { code: -2022, msg: 'ReduceOnly Order is rejected.' } });
    expect((await lookup('f-err-1')).body.code).toBe(-2013);
    expect((await client.signed('POST', '/fapi/v1/order', market('f-err-2'))).status).toBe(200);
  });

  it('answers 503 with unknown outcome: not applied', async () => {
    sim.engine.faults.serverError({ applied: false }, ORDER);
    const res = await client.signed('POST', '/fapi/v1/order', market('f-5xx-no'));
    expect(res).toMatchObject({ status: 503, body: { code: -1008 } });
    expect((await lookup('f-5xx-no')).body.code).toBe(-2013);
  });

  it('answers 503 with unknown outcome: applied', async () => {
    sim.engine.faults.serverError({ applied: true }, ORDER);
    const res = await client.signed('POST', '/fapi/v1/order', market('f-5xx-yes'));
    expect(res).toMatchObject({ status: 503, body: { code: -1008 } });
    expect((await lookup('f-5xx-yes')).body).toMatchObject({ status: 'FILLED', clientOrderId: 'f-5xx-yes' });
  });

  it('loses the response after accepting the order: the connection dies, the order exists', async () => {
    const user = await userStream();
    sim.engine.faults.loseResponse(ORDER);
    await expect(client.signed('POST', '/fapi/v1/order', market('f-lost'))).rejects.toThrow();
    expect((await lookup('f-lost')).body).toMatchObject({ status: 'FILLED' });
    await user.waitFor((f) => f.e === 'ORDER_TRADE_UPDATE' && f.o.c === 'f-lost' && f.o.X === 'FILLED');
  });

  it('drops and duplicates user-stream frames', async () => {
    const user = await userStream();
    sim.engine.faults.dropFrames(1, { event: 'ORDER_TRADE_UPDATE' });
    sim.engine.faults.duplicateFrames(1, { event: 'ACCOUNT_UPDATE' });
    await client.signed('POST', '/fapi/v1/order', market('f-frames'));
    await user.waitFor((f) => f.e === 'ORDER_TRADE_UPDATE' && f.o.c === 'f-frames' && f.o.x === 'TRADE');
    await user.waitFor((f) => f.e === 'TRADE_LITE' && f.c === 'f-frames');
    const mine = user.frames.filter((f) => f.o?.c === 'f-frames');
    expect(mine.map((f) => f.o.x)).toEqual(['TRADE']);
    const [first, second] = await user.waitForCount((f) => f.e === 'ACCOUNT_UPDATE', 2);
    expect(second).toEqual(first);
  });

  it('drops mark-price frames too', async () => {
    const mark = new FrameCollector(`${sim.wsUrl}/ws/!markPrice@arr@1s`);
    sockets.push(mark);
    await mark.opened;
    sim.engine.faults.dropFrames(2, { stream: 'market' });
    await mark.waitFor((f) => Array.isArray(f), 5000);
    expect(mark.frames).toHaveLength(1);
  });

  it('drops live connections on demand', async () => {
    const user = await userStream();
    const mark = new FrameCollector(`${sim.wsUrl}/ws/!markPrice@arr`);
    sockets.push(mark);
    await mark.opened;
    sim.engine.faults.dropConnections('user');
    expect(await user.closed).toBe(1006);
    expect(mark.ws.readyState).toBe(mark.ws.OPEN);
    sim.engine.faults.dropConnections('market');
    expect(await mark.closed).toBe(1006);
  });

  it('skews the server clock: -1021 until the client syncs from /fapi/v1/time', async () => {
    sim.engine.faults.setClockSkew(10_000);
    const skewed = await client.signed('GET', '/fapi/v3/balance');
    expect(skewed.body).toMatchObject({ code: -1021 });
    const { serverTime } = (await client.request('GET', '/fapi/v1/time')).body;
    expect(serverTime).toBe(clock.now() + 10_000);
    expect((await client.signed('GET', '/fapi/v3/balance', {}, serverTime)).status).toBe(200);
  });

  it('refuses orders past the per-account 10-second limit with 429 -1015', async () => {
    clock.advance(10_000);
    let last = await client.signed('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.010', price: '3000.00' });
    for (let i = 1; i < 30; i++) last = await client.signed('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.010', price: '3000.00' });
    expect(last.headers.get('x-mbx-order-count-10s')).toBe('30');
    const refused = await client.signed('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.010', price: '3000.00' });
    expect(refused).toMatchObject({ status: 429, body: { code: -1015 } });
    clock.advance(10_000);
    expect((await client.signed('DELETE', '/fapi/v1/allOpenOrders', { symbol: 'ETHUSDT' })).body.code).toBe(200);
  });
});
