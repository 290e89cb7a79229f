import { describe, expect, it } from 'vitest';
import type { OrderRow } from '../../core/trading/order.ts';
import type { PositionRow } from '../../core/trading/position.ts';
import { cumulativeSeries, dailySeries, profitSummary, unrealizedOf } from './profit-summary.ts';

const DAY = 86_400_000;

function samplePosition(): PositionRow {
  return {
    id: 1, uuid: 'u', accountId: 1, exchange: 'binance', symbol: 'BTCUSDT', direction: 'LONG', status: 'closed', margin: '100', leverage: 10,
    profitPct: '1', stopPct: '5', gapPct: '1', rungMultiplier: '1.5', rungs: 3, regimeBand: null, regimeScore: null, openingPrice: '100', quantity: '1',
    breakEvenPrice: null, worstCaseLoss: null, closingPrice: null, pnl: null, grossPnl: null, fees: null, funding: null, netPnl: null, exitReason: null,
    isFastTrade: null, statusReason: null, openedAt: null, closedAt: null, createdAt: 0, updatedAt: 0,
  };
}
const NOW = Date.UTC(2026, 0, 31, 12);

function closed(id: number, symbol: string, net: string, closedAt: number): PositionRow {
  return { ...samplePosition(), id, symbol, status: 'closed', netPnl: net, pnl: net, closedAt, openedAt: closedAt - 60_000 };
}

describe('profitSummary', () => {
  const rows = [
    closed(1, 'BTCUSDT', '10.5', NOW - 40 * DAY),
    closed(2, 'ETHUSDT', '-4', NOW - 20 * DAY),
    closed(3, 'ETHUSDT', '-3', NOW - 3 * DAY),
    closed(4, 'SOLUSDT', '2.25', NOW - 60_000),
  ];

  it('sums realized net PnL over its windows, exactly', () => {
    const s = profitSummary(rows, new Map(), NOW);
    expect([s.today, s.week, s.month, s.all]).toEqual(['2.25', '-0.75', '-4.75', '5.75']);
    expect(s.trades).toBe(4);
    expect(s.winRate).toBe(0.5);
    expect(s.profitFactor).toBe('1.82');
    expect(s.best).toEqual({ symbol: 'BTCUSDT', pnl: '10.5' });
    expect(s.worst).toEqual({ symbol: 'ETHUSDT', pnl: '-7' });
  });

  it('measures the max drawdown from the running peak', () => {
    expect(profitSummary(rows, new Map(), NOW).maxDrawdown).toBe('7');
  });

  it('values open positions at the mark: exposure and unrealised PnL by direction', () => {
    const long: PositionRow = { ...samplePosition(), id: 9, status: 'active', direction: 'LONG', openingPrice: '100', quantity: '2', closedAt: null };
    const short: PositionRow = { ...long, id: 10, direction: 'SHORT', symbol: 'ETHUSDT' };
    expect(unrealizedOf(long, '101.5')).toBe('3');
    expect(unrealizedOf(short, '101.5')).toBe('-3');
    const s = profitSummary([long, short], new Map([[long.symbol, '101.5'], ['ETHUSDT', '101.5']]), NOW);
    expect(s.exposure).toBe('406');
    expect(s.unrealized).toBe('0');
    expect(s.openPositions).toBe(2);
  });

  it('values an open position from its fills once a rung has filled', () => {
    const long: PositionRow = { ...samplePosition(), id: 9, status: 'active', direction: 'LONG', openingPrice: '100', quantity: '1', closedAt: null };
    const fill = (id: number, side: 'BUY' | 'SELL', qty: string, px: string) => ({ id, side, executedQty: qty, avgPrice: px, price: px }) as unknown as OrderRow;
    // Entry 1 @ 100 and a rung 2 @ 94: average 96 on 3; at 97 that is +3.
    expect(unrealizedOf(long, '97', [fill(1, 'BUY', '1', '100'), fill(2, 'BUY', '2', '94')])).toBe('3');
    expect(unrealizedOf(long, '97')).toBe('-3');
  });

  it('draws cumulative and daily series with one point per time', () => {
    expect(cumulativeSeries(rows).map((p) => p[1])).toEqual([0, 10.5, 6.5, 3.5, 5.75]);
    expect(dailySeries(rows)).toHaveLength(4);
  });
});
