import { describe, expect, it } from 'vitest';
import { SimAccount } from './accounts.ts';
import { incomeBody } from './account-views.ts';
import { dec, plain } from './decimal.ts';

// What the body was before it filtered first: every row built, sorted, then filtered.
function buildThenFilter(account: SimAccount, p: Parameters<typeof incomeBody>[1]): unknown[] {
  const fromTrades = account.trades.flatMap((t) => [
    ...(t.realizedPnl.isZero() ? [] : [{ type: 'REALIZED_PNL', amount: t.realizedPnl }]),
    ...(t.commission.isZero() ? [] : [{ type: 'COMMISSION', amount: t.commission.neg() }]),
  ].map((r, i) => ({ symbol: t.symbol, incomeType: r.type, income: plain(r.amount), asset: 'USDT', info: r.type === 'COMMISSION' ? 'COMMISSION' : '', time: t.time, tranId: t.id * 10 + i, tradeId: String(t.id) })));
  const fromFunding = account.funding.map((f) => ({ symbol: f.symbol, incomeType: 'FUNDING_FEE', income: plain(f.amount), asset: 'USDT', info: 'FUNDING_FEE', time: f.time, tranId: f.tranId, tradeId: '' }));
  return [...fromTrades, ...fromFunding].sort((a, b) => a.time - b.time).filter((r) => (!p.symbol || r.symbol === p.symbol) && (!p.incomeType || r.incomeType === p.incomeType)
    && (p.startTime === undefined || r.time >= p.startTime) && (p.endTime === undefined || r.time <= p.endTime)).slice(-p.limit);
}

describe('income history body', () => {
  it('lists the same rows in the same order as building every row and filtering them', () => {
    const account = new SimAccount({ apiKey: 'k', secret: 's' });
    const symbols = ['XRPUSDT', 'BTCUSDT'];
    for (let i = 0; i < 60; i++) {
      const symbol = symbols[i % 2]!;
      const time = 1000 + Math.floor(i / 3) * 10;
      account.trades.push({ id: i + 1, orderId: i, symbol, side: 'BUY', positionSide: 'BOTH', price: dec(1), qty: dec(1), quoteQty: dec(1),
        commission: dec(i % 4 === 0 ? 0 : '0.01'), realizedPnl: dec(i % 3 === 0 ? 0 : i - 30), maker: false, time });
      if (i % 5 === 0) account.funding.push({ tranId: 9000 + i, symbol, amount: dec('-0.5'), time });
    }
    const queries = [
      { limit: 1000 }, { limit: 5 }, { symbol: 'XRPUSDT', limit: 100 }, { incomeType: 'COMMISSION', limit: 100 }, { incomeType: 'FUNDING_FEE', limit: 3 },
      { incomeType: 'REALIZED_PNL', symbol: 'BTCUSDT', startTime: 1040, endTime: 1100, limit: 100 }, { startTime: 1190, limit: 100 },
    ];
    for (const q of queries) {
      const rows = incomeBody(account, q);
      expect(rows, JSON.stringify(q)).toEqual(buildThenFilter(account, q));
      expect(rows.length).toBeGreaterThan(0);
    }
  });
});
