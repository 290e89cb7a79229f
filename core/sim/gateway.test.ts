import { describe, expect, it } from 'vitest';
import { ManualClock } from '../ports/clock.ts';
import { SimGateway, stripSignature, webCryptoVerifier } from './gateway.ts';
import { SimExchange } from './sim-exchange.ts';

// Binance's official test vector (USDⓈ-M General Info).
const KEY = 'dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83';
const SECRET = '2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9';
const SIGNED = 'symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943';
const SIGNATURE = '3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9';

function setup() {
  const clock = new ManualClock(1591702613943 + 100);
  const exchange = new SimExchange({
    clock, accounts: [{ apiKey: KEY, secret: SECRET, balance: '100000' }],
    symbols: undefined, rateLimits: { weightPerMinute: 20, rejectionsBeforeBan: 1 },
  });
  exchange.freeze();
  exchange.setMark('BTCUSDT', '9100');
  return { clock, exchange, gateway: new SimGateway(exchange, webCryptoVerifier) };
}

describe('gateway', () => {
  it('accepts the official signature vector sent as a query string or as a body', async () => {
    const { gateway } = setup();
    const asQuery = await gateway.handle({ method: 'POST', path: '/fapi/v1/order', query: `${SIGNED}&signature=${SIGNATURE}`, body: '', apiKey: KEY, ip: '1.1.1.1' });
    expect(asQuery.status).toBe(200);
    expect(asQuery.headers['X-MBX-ORDER-COUNT-10S']).toBe('1');
    const asBody = await gateway.handle({ method: 'POST', path: '/fapi/v1/order', query: '', body: `${SIGNED}&signature=${SIGNATURE.toUpperCase()}`, apiKey: KEY, ip: '1.1.1.1' });
    expect(asBody.status).toBe(200);
    const tampered = SIGNED.replace('quantity=1', 'quantity=2');
    const rejected = await gateway.handle({ method: 'POST', path: '/fapi/v1/order', query: '', body: `${tampered}&signature=${SIGNATURE}`, apiKey: KEY, ip: '1.1.1.1' });
    expect(rejected).toMatchObject({ status: 400, body: { code: -1022, msg: 'Signature for this request is not valid.' } });
  });

  it('joins query and body with no separator when both carry parameters', async () => {
    const { gateway } = setup();
    const query = 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC';
    const body = 'quantity=1&price=9000&recvWindow=5000&timestamp=1591702613943';
    const hmac = async (payload: string) => {
      const k = await crypto.subtle.importKey('raw', new TextEncoder().encode(SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      return Buffer.from(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(payload))).toString('hex');
    };
    expect(await hmac(query + body)).toBe('30baaf0fab549bbeda7f5ef201898b34122da25fd23c646cac2c529aebe670a4');
    const ok = await gateway.handle({ method: 'POST', path: '/fapi/v1/order', query, body: `${body}&signature=${await hmac(query + body)}`, apiKey: KEY, ip: '1.1.1.1' });
    expect(ok.status).toBe(200);
  });

  it('refuses stale or early timestamps with -1021 and unknown keys with 401', async () => {
    const { gateway, clock } = setup();
    clock.advance(6000);
    const stale = await gateway.handle({ method: 'POST', path: '/fapi/v1/order', query: `${SIGNED}&signature=${SIGNATURE}`, body: '', apiKey: KEY, ip: '1.1.1.1' });
    expect(stale.body).toMatchObject({ code: -1021 });
    clock.set(1591702613943 - 1000);
    const early = await gateway.handle({ method: 'POST', path: '/fapi/v1/order', query: `${SIGNED}&signature=${SIGNATURE}`, body: '', apiKey: KEY, ip: '1.1.1.1' });
    expect(early.body).toMatchObject({ code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." });
    const unknown = await gateway.handle({ method: 'GET', path: '/fapi/v2/balance', query: 'timestamp=1', body: '', apiKey: 'nope', ip: '1.1.1.1' });
    expect(unknown).toMatchObject({ status: 401, body: { code: -2015 } });
    const missing = await gateway.handle({ method: 'POST', path: '/fapi/v1/listenKey', query: '', body: '', ip: '1.1.1.1' });
    expect(missing).toMatchObject({ status: 401, body: { code: -2014 } });
  });

  it('meters weight per IP: header on every response, 429 with Retry-After, then 418', async () => {
    const { gateway } = setup();
    const get = (ip: string) => gateway.handle({ method: 'GET', path: '/fapi/v1/premiumIndex', query: '', body: '', ip });
    const first = await get('1.1.1.1');
    expect(first.headers['X-MBX-USED-WEIGHT-1M']).toBe('10');
    await get('1.1.1.1');
    const limited = await get('1.1.1.1');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: -1003 });
    expect(Number(limited.headers['Retry-After'])).toBeGreaterThan(0);
    expect((await get('2.2.2.2')).status).toBe(200);
    const banned = await get('1.1.1.1');
    expect(banned.status).toBe(418);
    expect((banned.body as { msg: string }).msg).toMatch(/IP\(1\.1\.1\.1\) banned until \d+/);
  });

  it('strips the signature pair wherever it sits', () => {
    expect(stripSignature('a=1&signature=abc')).toEqual({ rest: 'a=1', signature: 'abc' });
    expect(stripSignature('signature=abc')).toEqual({ rest: '', signature: 'abc' });
    expect(stripSignature('a=1')).toEqual({ rest: 'a=1' });
  });
});
