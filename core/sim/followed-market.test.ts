import { describe, expect, it } from 'vitest';
import { sampleSymbolInfo } from '../trading/fixtures.ts';
import { candlePoints, followedSpec, MarketFollower } from './followed-market.ts';
import { simHarness } from './sim-harness.ts';
import { DEFAULT_SYMBOLS } from './symbols.ts';

const candle = (open: string, high: string, low: string, close: string) => ({ openTime: 0, closeTime: 899_999, open, high, low, close });

describe('candlePoints', () => {
  it('walks open, the nearer extreme, the farther one, close', () => {
    expect(candlePoints(candle('100', '101', '97', '98')).map(([t, p]) => [t, p.toFixed()])).toEqual([[0, '100'], [299_999, '101'], [599_998, '97'], [899_999, '98']]);
    expect(candlePoints(candle('100', '104', '99', '103')).map(([, p]) => p.toFixed())).toEqual(['100', '99', '104', '103']);
  });
});

describe('followedSpec', () => {
  it('takes the market\'s filters and mark, keeping what the simulator knew of the symbol', () => {
    const eth = DEFAULT_SYMBOLS.find((s) => s.symbol === 'ETHUSDT')!;
    const info = sampleSymbolInfo('ETHUSDT', { tickSize: '0.05', minPrice: '10.00', minNotional: '25', percentPrice: { multiplierUp: '1.0800', multiplierDown: '0.9200' } });
    const spec = followedSpec({ ...info, markPrice: '3201.2345' }, eth);
    expect(spec).toMatchObject({ symbol: 'ETHUSDT', tickSize: '0.05', minPrice: '10.00', minNotional: '25', multiplierUp: '1.0800', multiplierDown: '0.9200', price: '3201.2345', maxLeverage: eth.maxLeverage });
    expect(spec.marketStepSize).toBe(info.filters.marketStepSize ?? info.filters.stepSize);
  });
});

describe('MarketFollower', () => {
  it('freezes the walk, applies marks (exact mark, last on the grid) and funding rates, and fills what the followed price crosses', () => {
    const h = simHarness();
    h.exchange.freeze(undefined, false);
    const follower = new MarketFollower(h.exchange, 1_000);
    expect(follower.markAt('ETHUSDT')).toBe(1_000);
    const before = h.exchange.market('BTCUSDT').mark;
    h.exchange.step(50);
    expect(h.exchange.market('BTCUSDT').mark.equals(before)).toBe(true);

    h.call('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '3400', quantity: '0.010', newClientOrderId: 'rung' });
    expect(follower.onMarks([{ symbol: 'ETHUSDT', price: '3399.12345', fundingRate: '-0.0003' }, { symbol: 'NOPEUSDT', price: '1' }], 2_000)).toBe(1);
    expect([h.exchange.market('ETHUSDT').mark.toFixed(), h.exchange.market('ETHUSDT').last.toFixed(), h.exchange.market('ETHUSDT').fundingRate.toFixed()]).toEqual(['3399.12345', '3399.12', '-0.0003']);
    expect(h.call('GET', '/fapi/v1/order', { symbol: 'ETHUSDT', origClientOrderId: 'rung' })).toMatchObject({ status: 'FILLED', avgPrice: expect.stringMatching(/^3400(\.0+)?$/) });
    expect([follower.markAt('ETHUSDT'), follower.markAt('NOPEUSDT')]).toEqual([2_000, null]);
  });

  it('backfills closed candles before the history it has, oldest first', () => {
    const h = simHarness();
    const now = h.clock.now();
    const follower = new MarketFollower(h.exchange, now);
    const k = (i: number, c: string) => ({ openTime: now - (4 - i) * 900_000, closeTime: now - (3 - i) * 900_000 - 1, open: c, high: c, low: c, close: c });
    follower.backfill('SOLUSDT', [k(0, '170'), k(1, '171'), k(2, '172'), k(3, '173'), { ...k(4, '174'), closeTime: now + 899_999 }], now);
    const history = h.exchange.market('SOLUSDT').history;
    expect(history).toHaveLength(4 * 4 + 1);
    expect(history.map(([t]) => t)).toEqual([...history.map(([t]) => t)].sort((a, b) => a - b));
    expect(history.at(-2)![1].toFixed()).toBe('173');
  });
});
