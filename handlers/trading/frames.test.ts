import { describe, expect, it } from 'vitest';
import { simHarness } from '../../core/sim/sim-harness.ts';
import { accountFrame, algoFrame, algoOfFrame, frameProblem, orderFrame, orderOfFrame } from './frames.ts';

describe('user-data frames', () => {
  it('reads the simulator\'s order, algo and account frames into the port\'s shapes', () => {
    const h = simHarness();
    h.call('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.1', newClientOrderId: 'k-1-en' });
    h.call('POST', '/fapi/v1/algoOrder', { algoType: 'CONDITIONAL', symbol: 'ETHUSDT', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '3000', closePosition: 'true', clientAlgoId: 'k-1-sl' });
    const order = orderFrame.parse(h.frames('ORDER_TRADE_UPDATE').at(-1));
    expect(orderOfFrame(order)).toMatchObject({ clientOrderId: 'k-1-en', status: 'FILLED', executedQty: '0.1', side: 'BUY' });
    const algo = algoFrame.parse(h.frames('ALGO_UPDATE').at(-1));
    expect(algoOfFrame(algo)).toMatchObject({ clientAlgoId: 'k-1-sl', status: 'NEW', triggerPrice: '3000', closePosition: true });
    expect(accountFrame.parse(h.frames('ACCOUNT_UPDATE').at(-1)).a.P[0]).toMatchObject({ s: 'ETHUSDT', pa: '0.1' });
  });

  it('names the field a malformed frame gets wrong', () => {
    const bad = orderFrame.safeParse({ e: 'ORDER_TRADE_UPDATE', E: 1, o: { s: 'ETHUSDT', c: 'k-1-en', S: 'BUY', o: 'MARKET', X: 'FILLED', x: 'TRADE', i: 1, p: 'abc', q: '1', z: '1', T: 1 } });
    expect(bad.success).toBe(false);
    expect(frameProblem(bad.error!)).toBe('o.p: a decimal string');
  });
});
