import { describe, expect, it } from 'vitest';
import { dec } from './decimal.ts';
import { applyFill, breakEven, flatLeg, unrealized } from './positions.ts';
import { simHarness } from './sim-harness.ts';

describe('position legs', () => {
  it('averages the entry and puts the opening commission into the break-even price', () => {
    const leg = flatLeg('BTCUSDT', 'BOTH');
    applyFill(leg, dec('1'), dec('100'), dec('0.02'), 0);
    applyFill(leg, dec('1'), dec('90'), dec('0.018'), 0);
    expect(leg.entry.toFixed()).toBe('95');
    expect(breakEven(leg).toFixed()).toBe('95.019');
    expect(unrealized(leg, dec('96')).toFixed()).toBe('2');
  });

  it('matches the live sample: one maker fill gives bep = entry × 1.0002', () => {
    const leg = flatLeg('ADAUSDT', 'BOTH');
    applyFill(leg, dec('30'), dec('0.385'), dec('30').times('0.385').times('0.0002'), 0);
    expect(breakEven(leg).toFixed()).toBe('0.385077');
  });

  it('realises PnL on a reduce and shifts the break-even of the rest (Binance FAQ)', () => {
    const leg = flatLeg('BTCUSDT', 'BOTH');
    applyFill(leg, dec('2'), dec('100'), dec('0'), 0);
    const r = applyFill(leg, dec('-1'), dec('110'), dec('0'), 0);
    expect(r.realizedPnl.toFixed()).toBe('10');
    expect(leg.entry.toFixed()).toBe('100');
    expect(breakEven(leg).toFixed()).toBe('90');
  });

  it('handles shorts with the same signed cost basis', () => {
    const leg = flatLeg('BTCUSDT', 'BOTH');
    applyFill(leg, dec('-2'), dec('100'), dec('0.04'), 0);
    expect(breakEven(leg).toFixed()).toBe('99.98');
    const r = applyFill(leg, dec('1'), dec('90'), dec('0'), 0);
    expect(r.realizedPnl.toFixed()).toBe('10');
    expect(leg.amount.toFixed()).toBe('-1');
  });

  it('flips through zero: closes at the old entry, opens the rest at the fill price, fee split pro rata', () => {
    const leg = flatLeg('BTCUSDT', 'BOTH');
    applyFill(leg, dec('1'), dec('100'), dec('0'), 0);
    const r = applyFill(leg, dec('-3'), dec('110'), dec('0.3'), 0);
    expect(r.realizedPnl.toFixed()).toBe('10');
    expect(leg.amount.toFixed()).toBe('-2');
    expect(leg.entry.toFixed()).toBe('110');
    expect(breakEven(leg).toFixed()).toBe('109.9');
  });
});

describe('positions through the engine', () => {
  it('reports entry, break-even, realised PnL and wallet after a DCA fill and a take-profit', () => {
    const h = simHarness();
    const BTC = { symbol: 'BTCUSDT' };
    h.call('POST', '/fapi/v1/order', { ...BTC, side: 'BUY', type: 'MARKET', quantity: '0.010' });
    h.call('POST', '/fapi/v1/order', { ...BTC, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.020', price: '93000.0' });
    h.exchange.setMark('BTCUSDT', '93000');
    const [pos] = h.call('GET', '/fapi/v3/positionRisk', BTC);
    // entry (950 + 1860) / 0.03 = 93666.666…; fees 0.475 (taker) + 0.372 (maker)
    expect(pos.positionAmt).toBe('0.03');
    expect(pos.entryPrice).toBe('93666.66666667');
    expect(pos.breakEvenPrice).toBe('93694.9');
    h.call('POST', '/fapi/v1/order', { ...BTC, side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.030', price: '94000.0', reduceOnly: 'true' });
    h.exchange.setMark('BTCUSDT', '94000');
    const trades = h.call('GET', '/fapi/v1/userTrades', BTC);
    expect(trades.at(-1)).toMatchObject({ realizedPnl: '10', commission: '0.564', maker: true, side: 'SELL' });
    const [balance] = h.call('GET', '/fapi/v2/balance', {});
    // 100000 + 10 − 0.475 − 0.372 − 0.564
    expect(balance.balance).toBe('100008.58900000');
    const update = h.frames('ACCOUNT_UPDATE').at(-1) as any;
    expect(update.a.P[0]).toMatchObject({ pa: '0', cr: '10', mt: 'cross', ps: 'BOTH' });
  });
});
