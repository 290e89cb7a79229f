import { describe, expect, it } from 'vitest';
import { SimError } from './sim-error.ts';
import { simHarness } from './sim-harness.ts';

const ETH = { symbol: 'ETHUSDT' };

function code(run: () => unknown): number {
  try {
    run();
  } catch (error) {
    if (error instanceof SimError) return error.code;
    throw error;
  }
  throw new Error('expected a SimError');
}

describe('hedge mode', () => {
  it('switches mode only when flat and without orders, with Binance codes', () => {
    const h = simHarness();
    expect(code(() => h.call('POST', '/fapi/v1/positionSide/dual', { dualSidePosition: 'false' }))).toBe(-4059);
    h.call('POST', '/fapi/v1/order', { ...ETH, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.010', price: '3400.00' });
    expect(code(() => h.call('POST', '/fapi/v1/positionSide/dual', { dualSidePosition: 'true' }))).toBe(-4067);
    h.call('DELETE', '/fapi/v1/allOpenOrders', ETH);
    h.call('POST', '/fapi/v1/order', { ...ETH, side: 'BUY', type: 'MARKET', quantity: '0.010' });
    expect(code(() => h.call('POST', '/fapi/v1/positionSide/dual', { dualSidePosition: 'true' }))).toBe(-4068);
    h.call('POST', '/fapi/v1/order', { ...ETH, side: 'SELL', type: 'MARKET', quantity: '0.010', reduceOnly: 'true' });
    expect(h.call('POST', '/fapi/v1/positionSide/dual', { dualSidePosition: 'true' })).toEqual({ code: 200, msg: 'success' });
    expect(h.call('GET', '/fapi/v1/positionSide/dual', {})).toEqual({ dualSidePosition: true });
  });

  it('holds a long and a short leg at once and closes each with the opposite side on its own positionSide', () => {
    const h = simHarness({ account: { dualSidePosition: true } });
    expect(code(() => h.call('POST', '/fapi/v1/order', { ...ETH, side: 'BUY', type: 'MARKET', quantity: '0.010' }))).toBe(-4061);
    expect(code(() => h.call('POST', '/fapi/v1/order', { ...ETH, side: 'BUY', positionSide: 'LONG', type: 'MARKET', quantity: '0.010', reduceOnly: 'true' }))).toBe(-1106);
    h.call('POST', '/fapi/v1/order', { ...ETH, side: 'BUY', positionSide: 'LONG', type: 'MARKET', quantity: '0.020' });
    h.call('POST', '/fapi/v1/order', { ...ETH, side: 'SELL', positionSide: 'SHORT', type: 'MARKET', quantity: '0.010' });
    const legs = h.call('GET', '/fapi/v2/positionRisk', ETH).map((p: any) => [p.positionSide, p.positionAmt]);
    expect(legs).toEqual([['LONG', '0.02'], ['SHORT', '-0.01']]);
    expect(code(() => h.call('POST', '/fapi/v1/order', { ...ETH, side: 'SELL', positionSide: 'LONG', type: 'MARKET', quantity: '0.030' }))).toBe(-2022);
    h.exchange.setMark('ETHUSDT', '3600');
    h.call('POST', '/fapi/v1/order', { ...ETH, side: 'SELL', positionSide: 'LONG', type: 'MARKET', quantity: '0.020' });
    const trade = h.call('GET', '/fapi/v1/userTrades', ETH).at(-1);
    expect(trade).toMatchObject({ positionSide: 'LONG', realizedPnl: '2' });
    const after = h.call('GET', '/fapi/v2/positionRisk', ETH).map((p: any) => [p.positionSide, p.positionAmt, p.unRealizedProfit]);
    expect(after).toEqual([['LONG', '0', '0.00000000'], ['SHORT', '-0.01', '-1.00000000']]);
  });

  it('places a close-all stop per leg and refuses one pointing the wrong way', () => {
    const h = simHarness({ account: { dualSidePosition: true } });
    h.call('POST', '/fapi/v1/order', { ...ETH, side: 'SELL', positionSide: 'SHORT', type: 'MARKET', quantity: '0.010' });
    const base = { algoType: 'CONDITIONAL', ...ETH, type: 'STOP_MARKET', triggerPrice: '3600.00', closePosition: 'true' };
    expect(code(() => h.call('POST', '/fapi/v1/algoOrder', { ...base, side: 'SELL', positionSide: 'SHORT' }))).toBe(-4061);
    h.call('POST', '/fapi/v1/algoOrder', { ...base, side: 'BUY', positionSide: 'SHORT' });
    h.exchange.setMark('ETHUSDT', '3600');
    expect(h.call('GET', '/fapi/v2/positionRisk', ETH).map((p: any) => p.positionAmt)).toEqual(['0', '0']);
  });
});

describe('account settings', () => {
  it('changes leverage (ACCOUNT_CONFIG_UPDATE) and margin type, with Binance rejections', () => {
    const h = simHarness();
    expect(h.call('POST', '/fapi/v1/leverage', { ...ETH, leverage: '10' })).toMatchObject({ leverage: 10, symbol: 'ETHUSDT' });
    expect(h.frames('ACCOUNT_CONFIG_UPDATE')).toEqual([expect.objectContaining({ ac: { s: 'ETHUSDT', l: 10 } })]);
    expect(code(() => h.call('POST', '/fapi/v1/leverage', { ...ETH, leverage: '126' }))).toBe(-4028);
    expect(code(() => h.call('POST', '/fapi/v1/marginType', { ...ETH, marginType: 'CROSSED' }))).toBe(-4046);
    expect(h.call('POST', '/fapi/v1/marginType', { ...ETH, marginType: 'ISOLATED' })).toEqual({ code: 200, msg: 'success' });
    expect(h.call('GET', '/fapi/v1/symbolConfig', ETH)).toEqual([expect.objectContaining({ marginType: 'ISOLATED', leverage: 10 })]);
    h.call('POST', '/fapi/v1/order', { ...ETH, side: 'BUY', type: 'MARKET', quantity: '0.010' });
    expect(code(() => h.call('POST', '/fapi/v1/marginType', { ...ETH, marginType: 'CROSSED' }))).toBe(-4048);
    expect(h.call('GET', '/fapi/v2/positionRisk', ETH)[0]).toMatchObject({ marginType: 'isolated', leverage: '10', isolatedWallet: '3.5' });
  });
});
