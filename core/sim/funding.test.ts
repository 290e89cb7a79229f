import { describe, expect, it } from 'vitest';
import { dec } from '../exchange/precision.ts';
import { inProcessExchange } from './in-process-exchange.ts';
import { simHarness } from './sim-harness.ts';

const HOUR = 3600_000;

describe('simulator funding and the account books', () => {
  it('charges funding at each 8-hourly funding time into the wallet and the income history', async () => {
    // The harness starts at 12:00 UTC: the next funding time is 16:00. One path step a minute keeps hours cheap.
    const h = simHarness({ stepMs: 60_000 });
    const ex = inProcessExchange(h.exchange, { apiKey: h.apiKey, secret: 'test-secret' }, h.clock);
    h.exchange.setMark('ETHUSDT', '3000');
    await ex.placeOrder({ symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.5', clientOrderId: 'k-1-entry' });
    const walletBefore = h.exchange.account(h.apiKey)!.wallet;
    h.exchange.advance(3 * HOUR);
    expect(await ex.getIncome({ symbol: 'ETHUSDT', incomeType: 'FUNDING_FEE' })).toEqual([]);
    h.exchange.setMark('ETHUSDT', '3200');
    h.exchange.advance(HOUR);
    h.exchange.setFundingRate('ETHUSDT', '-0.0002');
    h.exchange.advance(8 * HOUR);
    const funding = await ex.getIncome({ symbol: 'ETHUSDT', incomeType: 'FUNDING_FEE' });
    // A long pays a positive rate on its notional at the mark and receives a negative one.
    expect(funding.map((f) => [f.income, f.time])).toEqual([['-0.16', Date.UTC(2026, 0, 5, 16)], ['0.32', Date.UTC(2026, 0, 6, 0)]]);
    expect(h.exchange.account(h.apiKey)!.wallet.minus(walletBefore).toString()).toBe('0.16');
    const frames = h.frames('ACCOUNT_UPDATE').filter((f) => (f.a as { m: string }).m === 'FUNDING_FEE');
    expect(frames).toHaveLength(2);
    expect(h.exchange.premiumIndexRate('ETHUSDT')).toBe('-0.00020000');
  });

  it('lists the account trades and the income they booked: fills, commissions and realised PnL', async () => {
    const h = simHarness();
    const ex = inProcessExchange(h.exchange, { apiKey: h.apiKey, secret: 'test-secret' }, h.clock);
    h.exchange.setMark('ETHUSDT', '3000');
    const entry = await ex.placeOrder({ symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.5', clientOrderId: 'k-2-entry' });
    h.exchange.setMark('ETHUSDT', '3100');
    await ex.placeOrder({ symbol: 'ETHUSDT', side: 'SELL', type: 'MARKET', quantity: '0.5', clientOrderId: 'k-2-cl', reduceOnly: true });
    const trades = await ex.getAccountTrades({ symbol: 'ETHUSDT' });
    expect(trades.map((t) => [t.side, t.qty, t.price, t.commission, t.realizedPnl])).toEqual([
      ['BUY', '0.5', '3000', '0.75', '0'], ['SELL', '0.5', '3100', '0.775', '50'],
    ]);
    expect((await ex.getAccountTrades({ symbol: 'ETHUSDT', orderId: entry.orderId })).map((t) => t.orderId)).toEqual([entry.orderId]);
    const income = await ex.getIncome({ symbol: 'ETHUSDT' });
    const total = income.reduce((s, r) => s.plus(r.income), dec(0));
    expect(total.toString()).toBe('48.475');
    expect(income.map((r) => r.incomeType)).toEqual(['COMMISSION', 'REALIZED_PNL', 'COMMISSION']);
  });

  it('refuses a trade query Binance would refuse, naming the rule', async () => {
    const h = simHarness();
    const ex = inProcessExchange(h.exchange, { apiKey: h.apiKey, secret: 'test-secret' }, h.clock);
    await expect(ex.getAccountTrades({ symbol: 'ETHUSDT', startTime: 0, endTime: 8 * 24 * HOUR })).rejects.toThrow(/7 days/);
    await expect(ex.getAccountTrades({ symbol: 'ETHUSDT', fromId: '1', startTime: 0 })).rejects.toThrow(/fromId/);
  });
});

describe('simulator userTrades limits', () => {
  it('refuses a window over 7 days (-1127) and fromId beside a window (-1128), as Binance does', () => {
    const h = simHarness();
    expect(() => h.call('GET', '/fapi/v1/userTrades', { symbol: 'ETHUSDT', startTime: '0', endTime: String(8 * 24 * HOUR) })).toThrow(/168 hours/);
    expect(() => h.call('GET', '/fapi/v1/userTrades', { symbol: 'ETHUSDT', fromId: '1', startTime: '0' })).toThrow(/fromId cannot be sent/);
  });
});
