import { describe, expect, it } from 'vitest';
import { simHarness } from './sim-harness.ts';
import { SimError } from './sim-error.ts';

const BTC = { symbol: 'BTCUSDT' };
const market = (side: string, quantity: string, extra: Record<string, string> = {}) =>
  ({ ...BTC, side, type: 'MARKET', quantity, newOrderRespType: 'RESULT', ...extra });
const limit = (side: string, quantity: string, price: string, extra: Record<string, string> = {}) =>
  ({ ...BTC, side, type: 'LIMIT', timeInForce: 'GTC', quantity, price, newOrderRespType: 'RESULT', ...extra });

function rejects(run: () => unknown): SimError {
  try {
    run();
  } catch (error) {
    if (error instanceof SimError) return error;
    throw error;
  }
  throw new Error('expected a SimError');
}

describe('matching engine', () => {
  it('fills a MARKET order at the last price and answers ACK with the accepted state by default', () => {
    const h = simHarness();
    const ack = h.call('POST', '/fapi/v1/order', { ...BTC, side: 'BUY', type: 'MARKET', quantity: '0.010' });
    expect(ack).toMatchObject({ status: 'NEW', executedQty: '0', type: 'MARKET' });
    expect(ack).not.toHaveProperty('avgPrice');
    const q = h.call('GET', '/fapi/v1/order', { ...BTC, orderId: String(ack.orderId) });
    expect(q).toMatchObject({ status: 'FILLED', executedQty: '0.01', avgPrice: '95000', cumQuote: '950' });
    const trades = h.frames('ORDER_TRADE_UPDATE').map((f: any) => [f.o.x, f.o.X]);
    expect(trades).toEqual([['NEW', 'NEW'], ['TRADE', 'FILLED']]);
    expect(h.frames('ACCOUNT_UPDATE')).toHaveLength(1);
  });

  it('rests a LIMIT below the market and fills it as maker when the price crosses', () => {
    const h = simHarness();
    const o = h.call('POST', '/fapi/v1/order', limit('BUY', '0.010', '94000.0'));
    expect(o.status).toBe('NEW');
    h.exchange.setMark('BTCUSDT', '94500');
    expect(h.call('GET', '/fapi/v1/order', { ...BTC, orderId: String(o.orderId) }).status).toBe('NEW');
    h.exchange.setMark('BTCUSDT', '93900');
    const filled = h.call('GET', '/fapi/v1/order', { ...BTC, orderId: String(o.orderId) });
    expect(filled).toMatchObject({ status: 'FILLED', avgPrice: '94000' });
    const trade = h.frames('ORDER_TRADE_UPDATE').at(-1) as any;
    expect(trade.o).toMatchObject({ x: 'TRADE', m: true, L: '94000', n: '0.188', N: 'USDT' });
  });

  it('fills partially when the book is thin, one event per fill, then the rest on the next cross', () => {
    const h = simHarness();
    h.exchange.setDepth('BTCUSDT', '0.004');
    const o = h.call('POST', '/fapi/v1/order', limit('BUY', '0.010', '94000.0'));
    h.exchange.setMark('BTCUSDT', '93950');
    expect(h.call('GET', '/fapi/v1/order', { ...BTC, orderId: String(o.orderId) })).toMatchObject({ status: 'PARTIALLY_FILLED', executedQty: '0.004' });
    h.exchange.setMark('BTCUSDT', '93900');
    h.exchange.setMark('BTCUSDT', '93800');
    const states = h.frames('ORDER_TRADE_UPDATE').filter((f: any) => f.o.x === 'TRADE').map((f: any) => [f.o.X, f.o.l, f.o.z]);
    expect(states).toEqual([['PARTIALLY_FILLED', '0.004', '0.004'], ['PARTIALLY_FILLED', '0.004', '0.008'], ['FILLED', '0.002', '0.01']]);
  });

  it('sweeps a thin book with a MARKET order at successively worse ticks', () => {
    const h = simHarness();
    h.exchange.setDepth('BTCUSDT', '0.005');
    const o = h.call('POST', '/fapi/v1/order', market('BUY', '0.012'));
    expect(o).toMatchObject({ status: 'FILLED', executedQty: '0.012' });
    const prices = h.call('GET', '/fapi/v1/userTrades', BTC).map((t: any) => [t.price, t.qty]);
    expect(prices).toEqual([['95000', '0.005'], ['95000.1', '0.005'], ['95000.2', '0.002']]);
  });

  it('rejects a post-only (GTX) order that would take with -5022 and records nothing', () => {
    const h = simHarness();
    const err = rejects(() => h.call('POST', '/fapi/v1/order', limit('BUY', '0.010', '95000.0', { timeInForce: 'GTX' })));
    expect(err.code).toBe(-5022);
    expect(h.call('GET', '/fapi/v1/allOrders', BTC)).toEqual([]);
    expect(h.call('POST', '/fapi/v1/order', limit('BUY', '0.010', '94999.9', { timeInForce: 'GTX' })).status).toBe('NEW');
  });

  it('expires the unfilled remainder of an IOC with er=2', () => {
    const h = simHarness();
    h.exchange.setDepth('BTCUSDT', '0.003');
    const o = h.call('POST', '/fapi/v1/order', limit('BUY', '0.010', '95000.1', { timeInForce: 'IOC' }));
    expect(o).toMatchObject({ status: 'EXPIRED', executedQty: '0.006' });
    expect((h.frames('ORDER_TRADE_UPDATE').at(-1) as any).o).toMatchObject({ x: 'EXPIRED', er: '2' });
  });

  it('applies the symbol filters with Binance codes', () => {
    const h = simHarness();
    expect(rejects(() => h.call('POST', '/fapi/v1/order', limit('BUY', '0.010', '94000.055'))).code).toBe(-1111);
    expect(rejects(() => h.call('POST', '/fapi/v1/order', limit('BUY', '0.010', '94000.05'))).code).toBe(-4014);
    // SOLUSDT prints 4 price decimals but ticks in 0.01: precision and tick are separate checks.
    expect(rejects(() => h.call('POST', '/fapi/v1/order', { ...limit('BUY', '1', '170.00001'), symbol: 'SOLUSDT' })).code).toBe(-1111);
    expect(rejects(() => h.call('POST', '/fapi/v1/order', { ...limit('BUY', '1', '170.0050'), symbol: 'SOLUSDT' })).code).toBe(-4014);
    expect(rejects(() => h.call('POST', '/fapi/v1/order', { ...limit('BUY', '0.5', '170.00'), symbol: 'SOLUSDT' })).code).toBe(-1111);
    expect(rejects(() => h.call('POST', '/fapi/v1/order', limit('BUY', '0.0015', '94000.0'))).code).toBe(-1111);
    expect(rejects(() => h.call('POST', '/fapi/v1/order', limit('BUY', '0.001', '94000.0'))).code).toBe(-4164);
    expect(rejects(() => h.call('POST', '/fapi/v1/order', limit('BUY', '0.010', '99800.0'))).code).toBe(-4016);
    expect(rejects(() => h.call('POST', '/fapi/v1/order', limit('SELL', '0.010', '90000.0'))).code).toBe(-4024);
    expect(rejects(() => h.call('POST', '/fapi/v1/order', { ...BTC, side: 'BUY', type: 'STOP_MARKET', quantity: '0.01' })).code).toBe(-4120);
    expect(rejects(() => h.call('POST', '/fapi/v1/order', { ...BTC, side: 'BUY', type: 'MARKET', quantity: '-1' })).code).toBe(-1100);
    expect(rejects(() => h.call('POST', '/fapi/v1/order', { ...BTC, side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '94000' })).code).toBe(-1102);
    expect(rejects(() => h.call('POST', '/fapi/v1/order', { ...market('BUY', '0.01'), symbol: 'NOPEUSDT' })).code).toBe(-1121);
  });

  it('rejects a duplicate newClientOrderId of an open order (-4116) but allows reuse once it is done', () => {
    const h = simHarness();
    h.call('POST', '/fapi/v1/order', limit('BUY', '0.010', '94000.0', { newClientOrderId: 'k-1-rung-1' }));
    expect(rejects(() => h.call('POST', '/fapi/v1/order', limit('BUY', '0.010', '93000.0', { newClientOrderId: 'k-1-rung-1' }))).code).toBe(-4116);
    expect(rejects(() => h.call('POST', '/fapi/v1/order', limit('BUY', '0.010', '93000.0', { newClientOrderId: 'bad id!' }))).code).toBe(-4015);
    h.call('DELETE', '/fapi/v1/order', { ...BTC, origClientOrderId: 'k-1-rung-1' });
    expect(h.call('POST', '/fapi/v1/order', limit('BUY', '0.010', '93000.0', { newClientOrderId: 'k-1-rung-1' })).status).toBe('NEW');
    expect(h.call('GET', '/fapi/v1/order', { ...BTC, origClientOrderId: 'k-1-rung-1' }).price).toBe('93000');
  });

  it('cancels, then refuses a second cancel with -2011 and an unknown query with -2013', () => {
    const h = simHarness();
    const o = h.call('POST', '/fapi/v1/order', limit('BUY', '0.010', '94000.0'));
    expect(h.call('DELETE', '/fapi/v1/order', { ...BTC, orderId: String(o.orderId) }).status).toBe('CANCELED');
    expect(rejects(() => h.call('DELETE', '/fapi/v1/order', { ...BTC, orderId: String(o.orderId) })).code).toBe(-2011);
    expect(rejects(() => h.call('GET', '/fapi/v1/order', { ...BTC, orderId: '1' })).code).toBe(-2013);
    expect(rejects(() => h.call('GET', '/fapi/v1/openOrder', { ...BTC, orderId: String(o.orderId) })).code).toBe(-2013);
    expect(rejects(() => h.call('DELETE', '/fapi/v1/order', BTC)).code).toBe(-1102);
  });

  it('enforces reduce-only: rejected with no position, capped at the position, expired when flat', () => {
    const h = simHarness();
    expect(rejects(() => h.call('POST', '/fapi/v1/order', market('SELL', '0.010', { reduceOnly: 'true' }))).code).toBe(-2022);
    h.call('POST', '/fapi/v1/order', market('BUY', '0.010'));
    const tp = h.call('POST', '/fapi/v1/order', limit('SELL', '0.010', '96000.0', { reduceOnly: 'true' }));
    const close = h.call('POST', '/fapi/v1/order', market('SELL', '0.020', { reduceOnly: 'true' }));
    expect(close).toMatchObject({ status: 'EXPIRED', executedQty: '0.01' });
    const expired = h.call('GET', '/fapi/v1/order', { ...BTC, orderId: String(tp.orderId) });
    expect(expired.status).toBe('EXPIRED');
    const frame = h.frames('ORDER_TRADE_UPDATE').find((f: any) => f.o.i === tp.orderId && f.o.x === 'EXPIRED') as any;
    expect(frame.o.er).toBe('4');
    expect(h.call('GET', '/fapi/v2/positionRisk', BTC)[0].positionAmt).toBe('0');
  });

  it('waives MIN_NOTIONAL for reduce-only orders', () => {
    const h = simHarness();
    h.call('POST', '/fapi/v1/order', market('BUY', '0.002'));
    expect(h.call('POST', '/fapi/v1/order', market('SELL', '0.001', { reduceOnly: 'true' })).status).toBe('FILLED');
  });

  it('rejects an order the margin cannot carry with -2019', () => {
    const h = simHarness({ account: { balance: '100' } });
    expect(rejects(() => h.call('POST', '/fapi/v1/order', market('BUY', '0.100'))).code).toBe(-2019);
  });
});

describe('modify (PUT /fapi/v1/order)', () => {
  it('keeps the orderId, moves price and quantity, and pushes an AMENDMENT', () => {
    const h = simHarness();
    const o = h.call('POST', '/fapi/v1/order', limit('BUY', '0.010', '94000.0', { newClientOrderId: 'tp-1' }));
    const m = h.call('PUT', '/fapi/v1/order', { ...BTC, origClientOrderId: 'tp-1', side: 'BUY', quantity: '0.020', price: '93500.0' });
    expect(m).toMatchObject({ orderId: o.orderId, status: 'NEW', price: '93500', origQty: '0.02', executedQty: '0' });
    expect((h.frames('ORDER_TRADE_UPDATE').at(-1) as any).o).toMatchObject({ x: 'AMENDMENT', X: 'NEW', p: '93500', q: '0.02' });
    expect(rejects(() => h.call('PUT', '/fapi/v1/order', { ...BTC, orderId: String(o.orderId), side: 'BUY', quantity: '0.020', price: '93500.0' })).code).toBe(-5027);
    expect(rejects(() => h.call('PUT', '/fapi/v1/order', { ...BTC, orderId: String(o.orderId), side: 'BUY', quantity: '0.020', price: '93500.05' })).code).toBe(-4014);
    expect(h.call('GET', '/fapi/v1/order', { ...BTC, orderId: String(o.orderId) }).price).toBe('93500');
  });

  it('cancels instead when the new quantity is already filled', () => {
    const h = simHarness();
    const o = h.call('POST', '/fapi/v1/order', limit('BUY', '0.010', '94000.0'));
    h.exchange.fill(h.apiKey, 'BTCUSDT', { orderId: o.orderId }, '0.004');
    const m = h.call('PUT', '/fapi/v1/order', { ...BTC, orderId: String(o.orderId), side: 'BUY', quantity: '0.004', price: '94000.0' });
    expect(m).toMatchObject({ status: 'CANCELED', executedQty: '0.004' });
  });

  it('cancels a post-only order whose new price would take', () => {
    const h = simHarness();
    const o = h.call('POST', '/fapi/v1/order', limit('BUY', '0.010', '94000.0', { timeInForce: 'GTX' }));
    expect(h.call('PUT', '/fapi/v1/order', { ...BTC, orderId: String(o.orderId), side: 'BUY', quantity: '0.010', price: '95100.0' }).status).toBe('CANCELED');
  });

  it('fills at once when a GTC order is moved through the market', () => {
    const h = simHarness();
    const o = h.call('POST', '/fapi/v1/order', limit('BUY', '0.010', '94000.0'));
    expect(h.call('PUT', '/fapi/v1/order', { ...BTC, orderId: String(o.orderId), side: 'BUY', quantity: '0.010', price: '95100.0' }).status).toBe('FILLED');
  });
});
