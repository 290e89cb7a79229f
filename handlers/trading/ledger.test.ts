import { describe, expect, it } from 'vitest';
import type { AccountTrade, ExchangePort } from '../../core/exchange/exchange.port.ts';
import type { OrderRow } from '../../core/trading/order.ts';
import { bookTrades, closeCause, tradesBetween } from './ledger.ts';

const row = (id: number, role: OrderRow['role']) => ({ id, role, clientOrderId: `k-1-${role}${id}` }) as OrderRow;
let seq = 0;
const trade = (orderId: string, side: 'BUY' | 'SELL', qty: string, price: string, realizedPnl: string, commission: string, time: number): AccountTrade => ({
  id: String(++seq), orderId, symbol: 'ETHUSDT', side, positionSide: 'BOTH', price, qty, quoteQty: '0', commission, commissionAsset: 'USDT',
  realizedPnl, maker: false, time, raw: {},
});
const entry = row(1, 'entry');
const rung = row(2, 'rung');
const tp = row(3, 'profit');
const close = row(4, 'close');

describe('bookTrades', () => {
  it('books a LONG from the exchange\'s own fills: gross, fees, funding, net, closing price, exit reason, per-row evidence', () => {
    const books = bookTrades({
      position: { direction: 'LONG', statusReason: 'take-profit filled' },
      rows: [entry, rung, tp],
      orderIds: new Map([['10', entry], ['20', rung], ['30', tp]]),
      trades: [
        trade('10', 'BUY', '1', '100', '0', '0.05', 1), trade('20', 'BUY', '2', '90', '0', '0.036', 2),
        trade('30', 'SELL', '2', '96', '4', '0.0384', 3), trade('30', 'SELL', '1', '97', '3', '0.0194', 4),
        // Someone else's fill on the pair before we held anything, and a foreign entry-side fill: not ours.
        trade('99', 'SELL', '5', '80', '0', '1', 0), trade('98', 'BUY', '1', '95', '0', '1', 3),
      ],
      funding: ['-0.012', '0.004'],
    });
    expect(books).toMatchObject({ grossPnl: '7', fees: '0.1438', funding: '-0.008', netPnl: '6.8482', exitReason: 'take-profit', open: '0', exposedFrom: 1, exposedUntil: 4 });
    expect(books.closingPrice).toBe('96.333333333333333333');
    expect(books.fills.get(tp.id)).toEqual({ executedQty: '3', avgPrice: '96.333333333333333333', commission: '0.0578' });
    expect(books.fills.get(rung.id)).toEqual({ executedQty: '2', avgPrice: '90', commission: '0.036' });
  });

  it('counts a foreign exit that took our exposure away: closed by hand, or liquidated', () => {
    const trades = [trade('10', 'SELL', '1', '100', '0', '0.05', 1), trade('77', 'BUY', '1', '104', '-4', '0.052', 2)];
    const input = { position: { direction: 'SHORT' as const, statusReason: 'position flat on the exchange' }, rows: [entry], orderIds: new Map([['10', entry]]), trades };
    expect(bookTrades(input)).toMatchObject({ grossPnl: '-4', fees: '0.102', netPnl: '-4.102', closingPrice: '104', exitReason: 'operator', open: '0' });
    expect(bookTrades({ ...input, foreign: new Map([['77', 'liquidation' as const]]) }).exitReason).toBe('liquidation');
  });

  it('says what is missing: exposure whose exit the trades do not show yet', () => {
    const books = bookTrades({ position: { direction: 'LONG', statusReason: null }, rows: [entry, close], orderIds: new Map([['10', entry]]), trades: [trade('10', 'BUY', '1', '100', '0', '0.05', 1)] });
    expect(books.open).toBe('1');
    expect(books.closingPrice).toBeNull();
  });

  it('names a market close of ours by why the close was started', () => {
    expect(closeCause('operator')).toBe('operator');
    expect(closeCause('drift: exchange holds more than our fills')).toBe('drift');
    expect(closeCause('open block failed')).toBe('residual');
  });
});

describe('tradesBetween', () => {
  it('reads a long life in 7-day windows and splits a full page until each part fits', async () => {
    const all = Array.from({ length: 1500 }, (_, i) => trade('1', 'BUY', '1', '1', '0', '0', 1_000 + i * 10));
    const asked: [number, number][] = [];
    const ex = {
      // Like an exchange that answers a crowded window with its latest rows.
      getAccountTrades: async (q: { startTime?: number; endTime?: number; limit?: number }) => {
        asked.push([q.startTime!, q.endTime!]);
        return all.filter((t) => t.time >= q.startTime! && t.time <= q.endTime!).slice(-(q.limit ?? 500));
      },
    } as unknown as ExchangePort;
    const got = await tradesBetween(ex, 'ETHUSDT', 0, 20 * 24 * 3600_000);
    expect(got.map((t) => t.id).sort()).toEqual(all.map((t) => t.id).sort());
    expect(asked.every(([a, b]) => b - a < 7 * 24 * 3600_000)).toBe(true);
  });
});
