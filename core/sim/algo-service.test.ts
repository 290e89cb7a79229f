import { describe, expect, it } from 'vitest';
import { SimError } from './sim-error.ts';
import { simHarness } from './sim-harness.ts';

const BTC = { symbol: 'BTCUSDT' };
const stop = (extra: Record<string, string> = {}) => ({
  algoType: 'CONDITIONAL', ...BTC, side: 'SELL', type: 'STOP_MARKET', triggerPrice: '90000.0', closePosition: 'true', ...extra,
});

function code(run: () => unknown): number {
  try {
    run();
  } catch (error) {
    if (error instanceof SimError) return error.code;
    throw error;
  }
  throw new Error('expected a SimError');
}

function openLong(h: ReturnType<typeof simHarness>, qty = '0.010') {
  h.call('POST', '/fapi/v1/order', { ...BTC, side: 'BUY', type: 'MARKET', quantity: qty });
}

describe('algo orders', () => {
  it('closes the whole position when a close-all stop triggers on MARK_PRICE, not on the contract price', () => {
    const h = simHarness();
    openLong(h);
    const sl = h.call('POST', '/fapi/v1/algoOrder', stop({ workingType: 'MARK_PRICE', clientAlgoId: 'k-1-sl' }));
    expect(sl).toMatchObject({ algoStatus: 'NEW', closePosition: true, timeInForce: 'GTE_GTC', workingType: 'MARK_PRICE' });
    h.call('POST', '/fapi/v1/order', { ...BTC, side: 'BUY', type: 'MARKET', quantity: '0.005' });
    h.exchange.setPrices('BTCUSDT', { last: '89000' });
    expect(h.call('GET', '/fapi/v1/algoOrder', { algoId: String(sl.algoId) }).algoStatus).toBe('NEW');
    h.exchange.setPrices('BTCUSDT', { mark: '89990', last: '95000' });
    const done = h.call('GET', '/fapi/v1/algoOrder', { clientAlgoId: 'k-1-sl' });
    expect(done).toMatchObject({ algoStatus: 'FINISHED', actualQty: '0.015', actualType: 'MARKET' });
    expect(h.call('GET', '/fapi/v2/positionRisk', BTC)[0].positionAmt).toBe('0');
    const statuses = h.frames('ALGO_UPDATE').map((f: any) => f.o.X);
    expect(statuses).toEqual(['NEW', 'TRIGGERING', 'TRIGGERED', 'FINISHED']);
    const child = h.call('GET', '/fapi/v1/order', { ...BTC, orderId: done.actualOrderId });
    expect(child).toMatchObject({ type: 'MARKET', side: 'SELL', status: 'FILLED', closePosition: true, reduceOnly: true });
  });

  it('triggers on CONTRACT_PRICE (the default) from the last price, not the mark', () => {
    const h = simHarness();
    openLong(h);
    const tp = h.call('POST', '/fapi/v1/algoOrder', stop({ type: 'TAKE_PROFIT_MARKET', triggerPrice: '96000.0' }));
    expect(tp.workingType).toBe('CONTRACT_PRICE');
    h.exchange.setPrices('BTCUSDT', { mark: '96500' });
    expect(h.call('GET', '/fapi/v1/algoOrder', { algoId: String(tp.algoId) }).algoStatus).toBe('NEW');
    h.exchange.setPrices('BTCUSDT', { last: '96000' });
    expect(h.call('GET', '/fapi/v1/algoOrder', { algoId: String(tp.algoId) }).algoStatus).toBe('FINISHED');
    const trade = h.call('GET', '/fapi/v1/userTrades', BTC).at(-1);
    expect(trade).toMatchObject({ price: '96000', realizedPnl: '10' });
  });

  it('fills DCA rungs a gap passes before the stop fires, then closes everything', () => {
    const h = simHarness();
    openLong(h);
    h.call('POST', '/fapi/v1/order', { ...BTC, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.010', price: '93000.0' });
    h.call('POST', '/fapi/v1/algoOrder', stop({ triggerPrice: '91000.0' }));
    h.exchange.setMark('BTCUSDT', '90000');
    expect(h.call('GET', '/fapi/v1/userTrades', BTC).map((t: any) => [t.side, t.qty, t.price])).toEqual([
      ['BUY', '0.01', '95000'], ['BUY', '0.01', '93000'], ['SELL', '0.02', '90000'],
    ]);
  });

  it('rejects what Binance rejects', () => {
    const h = simHarness();
    expect(code(() => h.call('POST', '/fapi/v1/algoOrder', stop()))).toBe(-4509);
    openLong(h);
    expect(code(() => h.call('POST', '/fapi/v1/algoOrder', stop({ triggerPrice: '96000.0' })))).toBe(-2021);
    expect(code(() => h.call('POST', '/fapi/v1/algoOrder', stop({ quantity: '0.010' })))).toBe(-4137);
    expect(code(() => h.call('POST', '/fapi/v1/algoOrder', stop({ reduceOnly: 'true' })))).toBe(-1106);
    expect(code(() => h.call('POST', '/fapi/v1/algoOrder', stop({ algoType: 'VP' })))).toBe(-1130);
    expect(code(() => h.call('POST', '/fapi/v1/algoOrder', stop({ triggerPrice: '90000.05' })))).toBe(-4014);
    h.call('POST', '/fapi/v1/algoOrder', stop({ clientAlgoId: 'sl' }));
    expect(code(() => h.call('POST', '/fapi/v1/algoOrder', stop({ triggerPrice: '89000.0' })))).toBe(-4130);
    expect(code(() => h.call('POST', '/fapi/v1/algoOrder', stop({ closePosition: 'false', quantity: '0.010', reduceOnly: 'true', clientAlgoId: 'sl' })))).toBe(-4116);
    expect(code(() => h.call('DELETE', '/fapi/v1/algoOrder', { algoId: '1' }))).toBe(-2011);
    expect(code(() => h.call('GET', '/fapi/v1/algoOrder', { algoId: '1' }))).toBe(-2013);
  });

  it('refuses a close-all stop before a market entry (-4509: no position, no resting order), accepts it beside a resting order', () => {
    // Why the open block cannot place its stop first (issue 14): at that moment the symbol has
    // neither. Binance's older wording (-4129 "...open positions or open orders") admits a resting
    // order; the simulator follows it, the current algo service may not (unverified).
    const h = simHarness();
    expect(code(() => h.call('POST', '/fapi/v1/algoOrder', stop()))).toBe(-4509);
    h.call('POST', '/fapi/v1/order', { ...BTC, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.010', price: '93000.0' });
    expect(h.call('POST', '/fapi/v1/algoOrder', stop()).algoStatus).toBe('NEW');
  });

  it('cancels, lists open algo orders, and leaves them out of plain open orders', () => {
    const h = simHarness();
    openLong(h);
    const sl = h.call('POST', '/fapi/v1/algoOrder', stop({ clientAlgoId: 'k-9-sl' }));
    expect(h.call('GET', '/fapi/v1/openAlgoOrders', BTC)).toHaveLength(1);
    expect(h.call('GET', '/fapi/v1/openOrders', BTC)).toHaveLength(0);
    expect(code(() => h.call('GET', '/fapi/v1/order', { ...BTC, orderId: String(sl.algoId) }))).toBe(-2013);
    expect(h.call('DELETE', '/fapi/v1/algoOrder', { clientAlgoId: 'k-9-sl' })).toEqual({ algoId: sl.algoId, clientAlgoId: 'k-9-sl', code: '200', msg: 'success' });
    expect(h.call('GET', '/fapi/v1/openAlgoOrders', {})).toHaveLength(0);
    expect(h.call('GET', '/fapi/v1/allAlgoOrders', BTC)[0].algoStatus).toBe('CANCELED');
  });

  it('expires a close-all stop once the position is closed and no orders remain (GTE_GTC)', () => {
    const h = simHarness();
    openLong(h);
    const rung = h.call('POST', '/fapi/v1/order', { ...BTC, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.010', price: '93000.0' });
    const sl = h.call('POST', '/fapi/v1/algoOrder', stop());
    h.call('POST', '/fapi/v1/order', { ...BTC, side: 'SELL', type: 'MARKET', quantity: '0.010', reduceOnly: 'true' });
    // Flat, but a working rung keeps the GTE order alive (the orphan the cleanup removes).
    expect(h.call('GET', '/fapi/v1/algoOrder', { algoId: String(sl.algoId) }).algoStatus).toBe('NEW');
    h.call('DELETE', '/fapi/v1/order', { ...BTC, orderId: String(rung.orderId) });
    expect(h.call('GET', '/fapi/v1/algoOrder', { algoId: String(sl.algoId) }).algoStatus).toBe('EXPIRED');
  });

  it('executes a quantity STOP_MARKET reduce-only and a STOP with a limit price', () => {
    const h = simHarness();
    openLong(h, '0.020');
    const a = h.call('POST', '/fapi/v1/algoOrder', stop({ closePosition: 'false', quantity: '0.010', reduceOnly: 'true' }));
    const b = h.call('POST', '/fapi/v1/algoOrder', stop({ closePosition: 'false', type: 'STOP', quantity: '0.010', price: '88000.0', triggerPrice: '89000.0', reduceOnly: 'true' }));
    h.exchange.setMark('BTCUSDT', '89500');
    expect(h.call('GET', '/fapi/v1/algoOrder', { algoId: String(a.algoId) })).toMatchObject({ algoStatus: 'FINISHED', actualQty: '0.01' });
    h.exchange.setMark('BTCUSDT', '88900');
    // The STOP's child is a LIMIT SELL at 88000, below the market: it takes at once.
    expect(h.call('GET', '/fapi/v1/algoOrder', { algoId: String(b.algoId) })).toMatchObject({ algoStatus: 'FINISHED', actualType: 'LIMIT' });
    expect(h.call('GET', '/fapi/v2/positionRisk', BTC)[0].positionAmt).toBe('0');
  });
});
