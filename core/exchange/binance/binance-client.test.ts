// The client against a scripted fetch: signing on the wire, server-time re-sync, rate-limit
// handling with the governor, error classification and response normalisation (doc examples).
import { describe, expect, it } from 'vitest';
import { MemoryWeightGovernor } from '../../adapters/memory/memory-weight-governor.ts';
import { dispositionOf } from '../../errors.ts';
import { ManualClock } from '../../ports/clock.ts';
import { AmbiguousMutationError, RetryableExchangeError, ThrottledExchangeError } from '../exchange-errors.ts';
import { BinanceUsdmClient, type BinanceClientOptions } from './binance-client.ts';
import type { CallEvent, FetchFn } from './request.ts';
import { hmacSigner } from './signing.ts';
import { caught } from '../../../test/support/caught.ts';

const API_KEY = 'dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83';
const SECRET = '2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9';
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

interface Seen {
  ip: string;
  method: string;
  path: string;
  query: string;
  body: string;
  headers: Record<string, string>;
}
type Reply = { status?: number; body?: unknown; headers?: Record<string, string> };
type Handler = (req: Seen, n: number) => Reply | Error;

/** A scripted exchange: `route` answers by "METHOD /path"; /fapi/v1/time answers from `serverTime`. */
function exchange(route: Record<string, Handler>, options: { serverTime?: () => number } = {}) {
  const seen: Seen[] = [];
  const counts = new Map<string, number>();
  const fetchFor = (ip: string): FetchFn => async (url, init) => {
    const u = new URL(url);
    const req: Seen = { ip, method: init.method, path: u.pathname, query: u.search.slice(1), body: init.body ?? '', headers: init.headers };
    seen.push(req);
    const key = `${init.method} ${u.pathname}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    const time: Handler = () => ({ body: { serverTime: options.serverTime?.() ?? T0 } });
    const handler = route[key] ?? (key === 'GET /fapi/v1/time' ? time : undefined);
    if (!handler) return { status: 404, headers: new Headers(), text: async () => '' };
    const reply = handler(req, n);
    if (reply instanceof Error) throw reply;
    return {
      status: reply.status ?? 200,
      headers: new Headers(reply.headers ?? {}),
      text: async () => (typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {})),
    };
  };
  return { seen, fetchFor, signed: () => seen.filter((r) => r.path !== '/fapi/v1/time') };
}

function client(ex: ReturnType<typeof exchange>, extra: Partial<BinanceClientOptions> = {}) {
  const clock = (extra.clock as ManualClock | undefined) ?? new ManualClock(T0);
  return new BinanceUsdmClient({ baseUrl: 'https://fapi.test', apiKey: API_KEY, secret: SECRET, clock, fetch: ex.fetchFor('default'), ...extra });
}

const NEW_ORDER_DOC = {
  clientOrderId: 'testOrder', cumQty: '0', executedQty: '0', orderId: 22542179, origQty: '10', price: '0', reduceOnly: false, side: 'SELL',
  positionSide: 'SHORT', status: 'NEW', stopPrice: '0', closePosition: false, symbol: 'BTCUSDT', timeInForce: 'GTD', type: 'LIMIT',
  origType: 'LIMIT', updateTime: 1566818724722, workingType: 'CONTRACT_PRICE', priceProtect: false, priceMatch: 'NONE',
  selfTradePreventionMode: 'NONE', goodTillDate: 1693207680000,
};
const ALGO_DOC = {
  algoId: 2146760, clientAlgoId: '6B2I9XVcJpCjqPAJ4YoFX7', algoType: 'CONDITIONAL', orderType: 'TAKE_PROFIT', symbol: 'BNBUSDT', side: 'SELL',
  positionSide: 'BOTH', timeInForce: 'GTC', quantity: '0.01', algoStatus: 'NEW', triggerPrice: '750.000', price: '750.000', icebergQuantity: 'null',
  selfTradePreventionMode: 'EXPIRE_MAKER', workingType: 'CONTRACT_PRICE', priceMatch: 'NONE', closePosition: false, priceProtect: false,
  reduceOnly: false, activatePrice: '', callbackRate: '', createTime: 1750485492076, updateTime: 1750485492076, triggerTime: 0, goodTillDate: 0,
};

describe('signed requests on the wire', () => {
  it('syncs server time first, then sends recvWindow, timestamp and a trailing signature over the exact query', async () => {
    const ex = exchange({ 'GET /fapi/v3/balance': () => ({ body: [] }) }, { serverTime: () => T0 + 2_500 });
    await client(ex).getBalances();
    expect(ex.seen.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /fapi/v1/time', 'GET /fapi/v3/balance']);
    const req = ex.seen[1]!;
    expect(req.headers['X-MBX-APIKEY']).toBe(API_KEY);
    const [unsigned, signature] = req.query.split('&signature=');
    expect(unsigned).toBe(`recvWindow=5000&timestamp=${T0 + 2_500}`);
    expect(signature).toBe(await hmacSigner(SECRET)(unsigned!));
  });

  it('can carry signed params in a form body instead, signing query + body', async () => {
    const ex = exchange({ 'POST /fapi/v1/order': () => ({ body: NEW_ORDER_DOC }) });
    await client(ex, { paramsIn: 'body' }).placeOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', quantity: '10', price: '100', clientOrderId: 'k-1-en' });
    const req = ex.signed()[0]!;
    expect(req.query).toBe('');
    expect(req.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    const [unsigned, signature] = req.body.split('&signature=');
    expect(signature).toBe(await hmacSigner(SECRET)(unsigned!));
  });

  it('sends unsigned market data without key or signature', async () => {
    const ex = exchange({ 'GET /fapi/v1/premiumIndex': () => ({ body: { symbol: 'BTCUSDT', markPrice: '1' } }) });
    await client(ex).getMarkPrice('BTCUSDT');
    expect(ex.seen).toHaveLength(1);
    expect(ex.seen[0]!.query).toBe('symbol=BTCUSDT');
    expect(ex.seen[0]!.headers['X-MBX-APIKEY']).toBeUndefined();
  });

  it('sends listen-key calls with the API key only', async () => {
    const ex = exchange({
      'POST /fapi/v1/listenKey': () => ({ body: { listenKey: 'pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1' } }),
      'PUT /fapi/v1/listenKey': () => ({ body: {} }),
      'DELETE /fapi/v1/listenKey': () => ({ body: {} }),
    });
    const c = client(ex);
    const key = await c.createListenKey();
    await c.keepAliveListenKey(key);
    await c.closeListenKey(key);
    expect(key).toMatch(/^pqia/);
    expect(ex.seen.map((r) => [r.method, r.query, r.headers['X-MBX-APIKEY']])).toEqual([
      ['POST', '', API_KEY], ['PUT', '', API_KEY], ['DELETE', '', API_KEY],
    ]);
  });
});

describe('server time', () => {
  it('re-syncs on -1021 and retries once with a fresh timestamp and signature', async () => {
    let server = T0;
    const ex = exchange({
      'GET /fapi/v1/openOrders': (_req, n) => (n === 1 ? { status: 400, body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' } } : { body: [] }),
    }, { serverTime: () => server });
    const c = client(ex);
    await c.syncTime();
    server = T0 + 7_000; // the exchange's clock moved (or ours drifted)
    expect(await c.getOpenOrders('BTCUSDT')).toEqual([]);
    const [first, second] = ex.signed();
    expect(first!.query).toMatch(new RegExp(`timestamp=${T0}&`));
    expect(second!.query).toMatch(new RegExp(`timestamp=${T0 + 7_000}&`));
    expect(first!.query.split('signature=')[1]).not.toBe(second!.query.split('signature=')[1]);
    expect(ex.seen.filter((r) => r.path === '/fapi/v1/time')).toHaveLength(2);
  });

  it('gives up after one re-sync with a retryable CLOCK_SKEW', async () => {
    const ex = exchange({ 'GET /fapi/v1/openOrders': () => ({ status: 400, body: { code: -1021, msg: 'Timestamp for this request was 1000ms ahead of the server\'s time.' } }) });
    const error = await caught(client(ex).getOpenOrders());
    expect(error).toBeInstanceOf(RetryableExchangeError);
    expect(error.code).toBe('CLOCK_SKEW');
    expect(ex.signed()).toHaveLength(2);
  });

  it('syncs once for concurrent first requests', async () => {
    const ex = exchange({ 'GET /fapi/v3/balance': () => ({ body: [] }), 'GET /fapi/v1/openOrders': () => ({ body: [] }) });
    const c = client(ex);
    await Promise.all([c.getBalances(), c.getOpenOrders(), c.getBalances()]);
    expect(ex.seen.filter((r) => r.path === '/fapi/v1/time')).toHaveLength(1);
  });

  it('re-syncs when the last sync is older than timeSyncMaxAgeMs', async () => {
    const clock = new ManualClock(T0);
    const ex = exchange({ 'GET /fapi/v3/balance': () => ({ body: [] }) });
    const c = client(ex, { clock, timeSyncMaxAgeMs: 60_000 });
    await c.getBalances();
    clock.advance(30_000);
    await c.getBalances();
    clock.advance(31_000);
    await c.getBalances();
    expect(ex.seen.filter((r) => r.path === '/fapi/v1/time')).toHaveLength(2);
  });
});

describe('rate limits', () => {
  it('pre-charges weight and waits (throttle, no request) when the IP budget is spent', async () => {
    const clock = new ManualClock(T0);
    const governor = new MemoryWeightGovernor({ clock, limits: { weightPerMinute: 50, safety: 1 } });
    const ex = exchange({ 'GET /fapi/v1/openOrders': () => ({ body: [] }) });
    const c = client(ex, { clock, governor });
    await c.syncTime();
    await c.getOpenOrders(); // weight 40 without a symbol
    clock.advance(15_000);
    const error = await caught(c.getOpenOrders());
    expect(error).toBeInstanceOf(ThrottledExchangeError);
    expect(error.code).toBe('WEIGHT_BUDGET');
    expect(error.retryAfterMs).toBe(45_000);
    expect(dispositionOf(error)).toBe('throttle');
    expect(ex.signed()).toHaveLength(1);
  });

  it('corrects the IP weight and account order counts from the response headers', async () => {
    const clock = new ManualClock(T0);
    const governor = new MemoryWeightGovernor({ clock });
    const ex = exchange({
      'POST /fapi/v1/order': () => ({ body: NEW_ORDER_DOC, headers: { 'X-MBX-USED-WEIGHT-1M': '1500', 'X-MBX-ORDER-COUNT-10S': '42', 'X-MBX-ORDER-COUNT-1M': '300' } }),
    });
    await client(ex, { clock, governor, accountId: 'acct-7' }).placeOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '10', clientOrderId: 'k-1-en' });
    const state = await governor.state();
    expect(state.ips).toEqual([expect.objectContaining({ ip: 'default', used: 1500 })]);
    expect(state.accounts).toEqual([expect.objectContaining({ account: 'acct-7', used10s: 42, used1m: 300 })]);
  });

  it('throttles a 429 until Retry-After and pauses that IP in the governor', async () => {
    const clock = new ManualClock(T0);
    const governor = new MemoryWeightGovernor({ clock });
    const ex = exchange({
      'GET /fapi/v1/exchangeInfo': () => ({ status: 429, headers: { 'Retry-After': '12' }, body: { code: -1003, msg: 'Too many requests; current limit is 2400 requests per minute.' } }),
    });
    const c = client(ex, { clock, governor });
    const error = await caught(c.getExchangeInfo());
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 12_000, vendorCode: -1003, httpStatus: 429 });
    expect((await governor.state()).ips[0]).toMatchObject({ ip: 'default', pausedUntil: T0 + 12_000 });
    // The next call waits locally instead of hammering the exchange into a 418.
    clock.advance(2_000);
    expect(await caught(c.getExchangeInfo())).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 10_000 });
    expect(ex.seen).toHaveLength(1);
  });

  it('marks a 418 ban and moves to another egress IP', async () => {
    const clock = new ManualClock(T0);
    const governor = new MemoryWeightGovernor({ clock });
    const ex = exchange({
      'GET /fapi/v1/exchangeInfo': (req) => (req.ip === '10.0.0.1'
        ? { status: 418, body: { code: -1003, msg: `Way too many requests; IP banned until ${T0 + 600_000}. Please use the websocket for live updates to avoid bans.` } }
        : { body: { rateLimits: [], symbols: [] } }),
    });
    const egress = [{ ip: '10.0.0.1', fetch: ex.fetchFor('10.0.0.1') }, { ip: '10.0.0.2', fetch: ex.fetchFor('10.0.0.2') }];
    const c = client(ex, { clock, governor, egress });
    await governor.acquire('10.0.0.2', 5); // 10.0.0.1 looks emptier, so it is tried first
    expect(await c.getExchangeInfo()).toMatchObject({ symbols: [] });
    expect(ex.seen.map((r) => r.ip)).toEqual(['10.0.0.1', '10.0.0.2']);
    expect((await governor.state()).ips.find((s) => s.ip === '10.0.0.1')?.bannedUntil).toBe(T0 + 600_000);
    await c.getExchangeInfo();
    expect(ex.seen.map((r) => r.ip)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.2']);
  });

  it('throttles when every egress IP is banned', async () => {
    const clock = new ManualClock(T0);
    const governor = new MemoryWeightGovernor({ clock });
    await governor.ban('a', T0 + 90_000);
    await governor.ban('b', T0 + 60_000);
    const ex = exchange({});
    const c = client(ex, { clock, governor, egress: [{ ip: 'a', fetch: ex.fetchFor('a') }, { ip: 'b', fetch: ex.fetchFor('b') }] });
    expect(await caught(c.getExchangeInfo())).toMatchObject({ code: 'IP_BANNED', retryAfterMs: 60_000 });
    expect(ex.seen).toHaveLength(0);
  });

  it('counts new orders against the account before sending', async () => {
    const clock = new ManualClock(T0);
    const governor = new MemoryWeightGovernor({ clock, limits: { ordersPer10s: 2, safety: 1 } });
    const ex = exchange({ 'POST /fapi/v1/order': () => ({ body: NEW_ORDER_DOC }) });
    const c = client(ex, { clock, governor });
    const order = { symbol: 'BTCUSDT', side: 'SELL' as const, type: 'MARKET' as const, quantity: '10', clientOrderId: 'k-1-en' };
    await c.placeOrder(order);
    await c.placeOrder(order);
    expect(await caught(c.placeOrder(order))).toMatchObject({ code: 'ORDER_RATE_LIMITED', retryAfterMs: 10_000 });
    expect(ex.signed()).toHaveLength(2);
  });
});

describe('failure classification', () => {
  const place = { symbol: 'BTCUSDT', side: 'BUY' as const, type: 'LIMIT' as const, quantity: '0.002', price: '43000', clientOrderId: 'k-9-dca1' };

  it('makes a 5xx on an order placement ambiguous: reconcile by client id', async () => {
    const ex = exchange({ 'POST /fapi/v1/order': () => ({ status: 503, body: { code: -1008, msg: 'Server is currently overloaded with other requests. Please try again in a few minutes.' } }) });
    const error = await caught(client(ex).placeOrder(place));
    expect(error).toBeInstanceOf(AmbiguousMutationError);
    expect(dispositionOf(error)).toBe('reconcile');
    expect(ex.signed()).toHaveLength(1); // never re-sent blindly
  });

  it('makes a network failure or timeout on a cancel ambiguous, and on a read retryable', async () => {
    const ex = exchange({ 'DELETE /fapi/v1/order': () => new TypeError('fetch failed'), 'GET /fapi/v3/positionRisk': () => new TypeError('fetch failed') });
    const c = client(ex);
    expect(await caught(c.cancelOrder({ symbol: 'BTCUSDT', clientOrderId: 'k-9-dca1' }))).toMatchObject({ code: 'AMBIGUOUS_MUTATION', disposition: 'reconcile', httpStatus: undefined });
    expect(await caught(c.getPositions())).toMatchObject({ code: 'EXCHANGE_UNAVAILABLE', disposition: 'retry' });
  });

  it('makes a 5xx on a read retryable', async () => {
    const ex = exchange({ 'GET /fapi/v1/openOrders': () => ({ status: 502, body: '<html>bad gateway</html>' }) });
    expect(await caught(client(ex).getOpenOrders())).toMatchObject({ code: 'EXCHANGE_UNAVAILABLE', disposition: 'retry', httpStatus: 502 });
  });

  it('makes an unreadable success on a mutation ambiguous', async () => {
    const ex = exchange({ 'POST /fapi/v1/order': () => ({ body: { orderId: 1 } }) });
    expect(await caught(client(ex).placeOrder(place))).toMatchObject({ code: 'MALFORMED_RESPONSE', disposition: 'reconcile' });
  });

  it('passes rejections through as final, with the vendor code', async () => {
    const ex = exchange({ 'POST /fapi/v1/order': () => ({ status: 400, body: { code: -2022, msg: 'ReduceOnly Order is rejected.' } }) });
    expect(await caught(client(ex).placeOrder({ ...place, reduceOnly: true }))).toMatchObject({ code: 'REDUCE_ONLY_REJECTED', disposition: 'final', vendorCode: -2022 });
  });

  it('answers findOrder with null when the exchange does not know the order', async () => {
    const ex = exchange({ 'GET /fapi/v1/order': () => ({ status: 400, body: { code: -2013, msg: 'Order does not exist.' } }) });
    expect(await client(ex).findOrder({ symbol: 'BTCUSDT', clientOrderId: 'k-9-dca1' })).toBeNull();
    expect(ex.signed()[0]!.query).toMatch(/^symbol=BTCUSDT&origClientOrderId=k-9-dca1&recvWindow=5000&timestamp=\d+&signature=[0-9a-f]{64}$/);
  });

  it('treats "no need to change" as an unchanged setting', async () => {
    const ex = exchange({
      'POST /fapi/v1/marginType': () => ({ status: 400, body: { code: -4046, msg: 'No need to change margin type.' } }),
      'POST /fapi/v1/positionSide/dual': () => ({ body: { code: 200, msg: 'success' } }),
    });
    const c = client(ex);
    expect(await c.setMarginType('BTCUSDT', 'ISOLATED')).toMatchObject({ changed: false });
    expect(await c.setPositionMode('hedge')).toMatchObject({ changed: true });
    expect(ex.signed()[1]!.query).toMatch(/^dualSidePosition=true&/);
  });

  it('reports every attempt to onCall', async () => {
    const events: CallEvent[] = [];
    const ex = exchange({ 'GET /fapi/v1/openOrders': () => ({ body: [], headers: { 'x-mbx-used-weight-1m': '41' } }) });
    await client(ex, { onCall: (e) => events.push(e) }).getOpenOrders();
    expect(events.map((e) => [e.endpoint, e.status, e.weight, e.usedWeight1m])).toEqual([
      ['GET /fapi/v1/time', 200, 1, undefined], ['GET /fapi/v1/openOrders', 200, 40, 41],
    ]);
  });
});

describe('orders', () => {
  it('places a LIMIT order with decimal strings, GTC, our client id and RESULT; avgPrice/cumQuote optional', async () => {
    const ex = exchange({ 'POST /fapi/v1/order': () => ({ body: NEW_ORDER_DOC }) });
    const order = await client(ex).placeOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', quantity: '10', price: '43000.1', clientOrderId: 'k-1-dca2', positionSide: 'SHORT' });
    expect(ex.signed()[0]!.query).toMatch(/^symbol=BTCUSDT&side=SELL&positionSide=SHORT&type=LIMIT&timeInForce=GTC&quantity=10&price=43000.1&newClientOrderId=k-1-dca2&newOrderRespType=RESULT&recvWindow=5000&timestamp=\d+&signature=[0-9a-f]{64}$/);
    expect(order).toEqual({
      symbol: 'BTCUSDT', orderId: '22542179', clientOrderId: 'testOrder', side: 'SELL', positionSide: 'SHORT', type: 'LIMIT', origType: 'LIMIT',
      status: 'NEW', timeInForce: 'GTD', price: '0', origQty: '10', executedQty: '0', avgPrice: undefined, cumQuote: undefined,
      reduceOnly: false, closePosition: false, stopPrice: '0', workingType: 'CONTRACT_PRICE', updateTime: 1566818724722, raw: NEW_ORDER_DOC,
    });
  });

  it('keeps avgPrice and cumQuote when the exchange sends them', async () => {
    const ex = exchange({ 'GET /fapi/v1/order': () => ({ body: { ...NEW_ORDER_DOC, avgPrice: '43000.10', cumQuote: '86.0002' } }) });
    expect(await client(ex).getOrder({ symbol: 'BTCUSDT', orderId: '22542179' })).toMatchObject({ avgPrice: '43000.1', cumQuote: '86.0002' });
    expect(ex.signed()[0]!.query).toMatch(/^symbol=BTCUSDT&orderId=22542179&/);
  });

  it('modifies in place by client id with side, quantity and price', async () => {
    const ex = exchange({ 'PUT /fapi/v1/order': () => ({ body: { ...NEW_ORDER_DOC, price: '30005' } }) });
    const order = await client(ex).modifyOrder({ symbol: 'BTCUSDT', clientOrderId: 'k-1-tp', side: 'SELL', quantity: '0.004', price: '30005' });
    expect(order.price).toBe('30005');
    expect(ex.signed()[0]!.query).toMatch(/^symbol=BTCUSDT&origClientOrderId=k-1-tp&side=SELL&quantity=0.004&price=30005&/);
  });

  it('refuses floats, exponents, bad client ids and conditional types before sending', async () => {
    const ex = exchange({});
    const c = client(ex);
    const base = { symbol: 'BTCUSDT', side: 'BUY' as const, type: 'LIMIT' as const, quantity: '1', price: '1', clientOrderId: 'k-1-en' };
    await expect(c.placeOrder({ ...base, quantity: 0.001 as unknown as string })).rejects.toMatchObject({ code: 'INVALID_ORDER' });
    await expect(c.placeOrder({ ...base, price: '1e-7' })).rejects.toMatchObject({ code: 'INVALID_ORDER' });
    await expect(c.placeOrder({ ...base, price: undefined })).rejects.toMatchObject({ code: 'INVALID_ORDER' });
    await expect(c.placeOrder({ ...base, clientOrderId: 'k 1 en' })).rejects.toMatchObject({ code: 'INVALID_ORDER' });
    await expect(c.placeOrder({ ...base, clientOrderId: 'x'.repeat(37) })).rejects.toMatchObject({ code: 'INVALID_ORDER' });
    await expect(c.placeOrder({ ...base, type: 'STOP_MARKET' as 'LIMIT' })).rejects.toMatchObject({ code: 'INVALID_ORDER', disposition: 'final' });
    await expect(c.placeOrder({ ...base, type: 'MARKET' })).rejects.toMatchObject({ code: 'INVALID_ORDER' });
    expect(ex.seen).toHaveLength(0);
  });

  it('sends conditional orders through the algo order API', async () => {
    const ex = exchange({ 'POST /fapi/v1/algoOrder': () => ({ body: ALGO_DOC }) });
    const algo = await client(ex).placeAlgoOrder({
      symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', clientAlgoId: 'k-1-sl', triggerPrice: '41000', closePosition: true, workingType: 'MARK_PRICE',
    });
    const req = ex.signed()[0]!;
    expect(req.path).toBe('/fapi/v1/algoOrder');
    expect(req.query).toMatch(/^algoType=CONDITIONAL&symbol=BTCUSDT&side=SELL&type=STOP_MARKET&triggerPrice=41000&workingType=MARK_PRICE&closePosition=true&clientAlgoId=k-1-sl&newOrderRespType=RESULT&recvWindow=5000&/);
    expect(algo).toMatchObject({
      algoId: '2146760', clientAlgoId: '6B2I9XVcJpCjqPAJ4YoFX7', type: 'TAKE_PROFIT', status: 'NEW', triggerPrice: '750', price: '750',
      quantity: '0.01', closePosition: false, reduceOnly: false, updateTime: 1750485492076, triggerTime: undefined, actualOrderId: undefined,
    });
  });

  it('refuses closePosition with a quantity, and a stop without quantity or closePosition', async () => {
    const c = client(exchange({}));
    const base = { symbol: 'BTCUSDT', side: 'SELL' as const, type: 'STOP_MARKET' as const, clientAlgoId: 'k-1-sl', triggerPrice: '1' };
    await expect(c.placeAlgoOrder({ ...base, closePosition: true, quantity: '1' })).rejects.toMatchObject({ code: 'INVALID_ORDER' });
    await expect(c.placeAlgoOrder(base)).rejects.toMatchObject({ code: 'INVALID_ORDER' });
  });

  it('cancels and reads algo orders by clientAlgoId', async () => {
    const ex = exchange({
      'DELETE /fapi/v1/algoOrder': () => ({ body: { algoId: 2146760, clientAlgoId: 'k-1-sl', code: '200', msg: 'success' } }),
      'GET /fapi/v1/algoOrder': () => ({ body: { ...ALGO_DOC, algoStatus: 'FINISHED', actualOrderId: '9912', actualPrice: '750.5', actualQty: '0.01', triggerTime: 1750485500000 } }),
    });
    const c = client(ex);
    expect(await c.cancelAlgoOrder({ clientAlgoId: 'k-1-sl' })).toMatchObject({ algoId: '2146760', clientAlgoId: 'k-1-sl' });
    expect(await c.getAlgoOrder({ clientAlgoId: 'k-1-sl' })).toMatchObject({ status: 'FINISHED', actualOrderId: '9912', actualPrice: '750.5', triggerTime: 1750485500000 });
    expect(ex.signed().map((r) => r.query.split('&')[0])).toEqual(['clientAlgoId=k-1-sl', 'clientAlgoId=k-1-sl']);
  });
});

describe('reads (Binance documentation examples)', () => {
  it('normalises positions with break-even price (v3 positionRisk)', async () => {
    const row = {
      symbol: 'ADAUSDT', positionSide: 'BOTH', positionAmt: '30', entryPrice: '0.385', breakEvenPrice: '0.385077', markPrice: '0.41047590',
      unRealizedProfit: '0.76427700', liquidationPrice: '0', isolatedMargin: '0', notional: '12.31427700', marginAsset: 'USDT', isolatedWallet: '0',
      initialMargin: '0.61571385', maintMargin: '0.08004280', positionInitialMargin: '0.61571385', openOrderInitialMargin: '0', adl: 2,
      bidNotional: '0', askNotional: '0', updateTime: 1720736417660,
    };
    const ex = exchange({ 'GET /fapi/v3/positionRisk': () => ({ body: [row] }) });
    expect(await client(ex).getPositions('ADAUSDT')).toEqual([{
      symbol: 'ADAUSDT', positionSide: 'BOTH', positionAmt: '30', entryPrice: '0.385', breakEvenPrice: '0.385077', markPrice: '0.4104759',
      unrealizedProfit: '0.764277', liquidationPrice: '0', notional: '12.314277', marginType: undefined, leverage: undefined, isolatedMargin: '0',
      updateTime: 1720736417660, raw: row,
    }]);
  });

  it('reads v2-style marginType and leverage when present', async () => {
    const ex = exchange({ 'GET /fapi/v3/positionRisk': () => ({ body: [{ symbol: 'BTCUSDT', positionAmt: '-0.5', entryPrice: '100', marginType: 'isolated', leverage: '10' }] }) });
    expect(await client(ex).getPositions()).toMatchObject([{ positionAmt: '-0.5', marginType: 'ISOLATED', leverage: 10, breakEvenPrice: '0' }]);
  });

  it('normalises balances, brackets (JSON numbers become decimal strings) and position mode', async () => {
    const ex = exchange({
      'GET /fapi/v3/balance': () => ({ body: [{ accountAlias: 'SgsR', asset: 'USDT', balance: '122607.35137903', crossWalletBalance: '23.72469206', crossUnPnl: '0.00000000', availableBalance: '23.72469206', maxWithdrawAmount: '23.72469206', marginAvailable: true, updateTime: 1617939110373 }] }),
      'GET /fapi/v1/leverageBracket': () => ({ body: [{ symbol: 'ETHUSDT', notionalCoef: 1.5, brackets: [{ bracket: 1, initialLeverage: 75, notionalCap: 10000, notionalFloor: 0, maintMarginRatio: 0.0065, cum: 0 }] }] }),
      'GET /fapi/v1/positionSide/dual': () => ({ body: { dualSidePosition: true } }),
    });
    const c = client(ex);
    expect(await c.getBalances()).toMatchObject([{ asset: 'USDT', balance: '122607.35137903', crossUnrealizedPnl: '0', availableBalance: '23.72469206', updateTime: 1617939110373 }]);
    expect(await c.getLeverageBrackets()).toMatchObject([{ symbol: 'ETHUSDT', brackets: [{ bracket: 1, initialLeverage: 75, notionalCap: '10000', notionalFloor: '0', maintMarginRatio: '0.0065', cum: '0' }] }]);
    expect(await c.getPositionMode()).toBe('hedge');
  });

  it('normalises exchange info filters, mark prices and klines', async () => {
    const symbol = {
      symbol: 'BLZUSDT', pair: 'BLZUSDT', contractType: 'PERPETUAL', status: 'TRADING', baseAsset: 'BLZ', quoteAsset: 'USDT', marginAsset: 'USDT',
      pricePrecision: 5, quantityPrecision: 0, triggerProtect: '0.15',
      filters: [
        { filterType: 'PRICE_FILTER', maxPrice: '300', minPrice: '0.0001', tickSize: '0.0001' },
        { filterType: 'LOT_SIZE', maxQty: '10000000', minQty: '1', stepSize: '1' },
        { filterType: 'MARKET_LOT_SIZE', maxQty: '590119', minQty: '1', stepSize: '1' },
        { filterType: 'MAX_NUM_ORDERS', limit: 200 },
        { filterType: 'MIN_NOTIONAL', notional: '5.0' },
        { filterType: 'PERCENT_PRICE', multiplierUp: '1.1500', multiplierDown: '0.8500', multiplierDecimal: 4 },
      ],
      OrderType: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
      timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
    };
    const ex = exchange({
      'GET /fapi/v1/exchangeInfo': () => ({ body: { rateLimits: [{ interval: 'MINUTE', intervalNum: 1, limit: 2400, rateLimitType: 'REQUEST_WEIGHT' }], symbols: [symbol] } }),
      'GET /fapi/v1/premiumIndex': () => ({ body: [{ symbol: 'BTCUSDT', markPrice: '11793.63104562', indexPrice: '11781.80495970', estimatedSettlePrice: '11781.16138815', lastFundingRate: '0.00038246', interestRate: '0.00010000', nextFundingTime: 1597392000000, time: 1597370495002 }] }),
      'GET /fapi/v1/klines': () => ({ body: [[1499040000000, '0.01634790', '0.80000000', '0.01575800', '0.01577100', '148976.11427815', 1499644799999, '2434.19055334', 308, '1756.87402397', '28.46694368', '17928899.62484339']] }),
    });
    const c = client(ex);
    const info = await c.getExchangeInfo();
    expect(info.rateLimits).toEqual([{ type: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 }]);
    expect(info.symbols[0]).toMatchObject({
      symbol: 'BLZUSDT', status: 'TRADING', orderTypes: expect.arrayContaining(['STOP_MARKET']), triggerProtect: '0.15',
      filters: {
        tickSize: '0.0001', minPrice: '0.0001', maxPrice: '300', stepSize: '1', minQty: '1', maxQty: '10000000', marketStepSize: '1',
        marketMaxQty: '590119', minNotional: '5', percentPrice: { multiplierUp: '1.15', multiplierDown: '0.85' }, maxNumOrders: 200,
      },
    });
    expect(await c.getMarkPrices()).toMatchObject([{ symbol: 'BTCUSDT', markPrice: '11793.63104562', lastFundingRate: '0.00038246', nextFundingTime: 1597392000000 }]);
    const klines = await c.getKlines({ symbol: 'BTCUSDT', interval: '1h', limit: 100 });
    expect(klines).toMatchObject([{ openTime: 1499040000000, open: '0.0163479', high: '0.8', close: '0.015771', trades: 308, takerBuyQuoteVolume: '28.46694368' }]);
    expect(ex.seen.find((r) => r.path === '/fapi/v1/klines')!.query).toBe('symbol=BTCUSDT&interval=1h&limit=100');
  });
});
