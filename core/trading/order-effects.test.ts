import { describe, expect, it } from 'vitest';
import type { AlgoOrder, Order } from '../exchange/exchange.port.ts';
import { echoOfAlgo, echoOfOrder, insertOrder, markFillApplied, moveOrder, recordPlacement, reviseOrderIntent, UnknownExchangeStatusError } from './order-effects.ts';
import { IllegalStatusMoveError } from './statuses.ts';

const T = 1_767_225_600_000;
const limit = (over: Partial<Order> = {}): Order => ({
  symbol: 'BTCUSDT', orderId: '8001', clientOrderId: 'k-42-dca2', side: 'BUY', positionSide: 'BOTH', type: 'LIMIT', status: 'NEW', timeInForce: 'GTC',
  price: '60000.10', origQty: '0.004', executedQty: '0', avgPrice: '0.00', reduceOnly: false, closePosition: false, updateTime: T + 1, raw: {}, ...over,
});

describe('order effects', () => {
  it('inserts a pending row keyed by the deterministic client id, a no-op on retry', () => {
    const draft = { positionId: 42, accountId: 3, symbol: 'BTCUSDT', role: 'rung' as const, rung: 2, isAlgo: false, type: 'LIMIT', side: 'BUY' as const, price: '60000.1', quantity: '0.004' };
    const { effect, clientOrderId } = insertOrder(draft, T);
    expect(clientOrderId).toBe('k-42-dca2');
    expect(effect).toMatchObject({ kind: 'insert', table: 'orders', ignoreDuplicate: true });
    expect(effect.row).toMatchObject({
      position_id: 42, role: 'rung', rung: 2, replacement: 0, client_order_id: 'k-42-dca2', exchange_order_id: null, is_algo: 0,
      position_side: 'BOTH', reduce_only: 0, close_position: 0, price: '60000.1', quantity: '0.004', status: 'pending',
    });
    expect(insertOrder(draft, T + 99).clientOrderId).toBe(clientOrderId);
    expect(insertOrder({ ...draft, replacement: 1 }, T).clientOrderId).toBe('k-42-dca2-r1');
    expect(insertOrder({ ...draft, role: 'stop', rung: undefined, isAlgo: true, type: 'STOP_MARKET', closePosition: true, price: '55000', quantity: null }, T).effect.row)
      .toMatchObject({ client_order_id: 'k-42-sl', is_algo: 1, close_position: 1, quantity: null });
    expect(() => insertOrder({ ...draft, rung: undefined }, T)).toThrow(/rung/);
  });

  it('records a placement only on a pending row with no exchange id yet', () => {
    expect(recordPlacement('k-42-dca2', echoOfOrder(limit()), { at: T + 2 })).toEqual({
      kind: 'update', table: 'orders', required: true,
      where: { client_order_id: 'k-42-dca2', status: 'pending', exchange_order_id: null },
      set: { exchange_order_id: '8001', status: 'working', exchange_status: 'NEW', exchange_price: '60000.1', exchange_quantity: '0.004', executed_qty: '0', exchange_updated_at: T + 1, updated_at: T + 2 },
    });
  });

  it('rounds incoming prices and quantities to the symbol grid, never the average price', () => {
    const echo = echoOfOrder(limit({ price: '60000.1400001', origQty: '0.0040004', executedQty: '0.0019996', avgPrice: '60000.123456' }), { tickSize: '0.1', stepSize: '0.001' });
    expect(echo).toMatchObject({ price: '60000.1', quantity: '0.004', executedQty: '0.002', avgPrice: '60000.123456' });
  });

  it('reads algo orders by their algo id and trigger price, and refuses unknown statuses', () => {
    const algo: AlgoOrder = {
      algoId: 'a-77', clientAlgoId: 'k-42-sl', symbol: 'BTCUSDT', side: 'SELL', positionSide: 'BOTH', type: 'STOP_MARKET', status: 'FINISHED',
      triggerPrice: '55000', closePosition: true, reduceOnly: true, priceProtect: false, actualQty: '0.012', actualPrice: '54990.5', updateTime: T, raw: {},
    };
    expect(echoOfAlgo(algo)).toEqual({ exchangeOrderId: 'a-77', status: 'filled', exchangeStatus: 'FINISHED', price: '55000', executedQty: '0.012', avgPrice: '54990.5', updatedAt: T });
    expect(() => echoOfOrder(limit({ status: 'PENDING_NEW' }))).toThrow(UnknownExchangeStatusError);
  });

  it('moves, revises intent and marks fills applied with the expected status in where', () => {
    expect(moveOrder('k-42-sl', 'working', 'cancelled', { at: T })).toEqual({
      kind: 'update', table: 'orders', where: { client_order_id: 'k-42-sl', status: 'working' }, set: { status: 'cancelled', updated_at: T }, required: true,
    });
    expect(() => moveOrder('k-42-sl', 'cancelled', 'working', { at: T })).toThrow(IllegalStatusMoveError);
    expect(reviseOrderIntent('k-42-tp', 'working', { price: '61000.00', quantity: '0.012' }, { at: T, required: false })).toMatchObject({
      where: { client_order_id: 'k-42-tp', status: 'working' }, set: { price: '61000', quantity: '0.012', updated_at: T }, required: false,
    });
    expect(markFillApplied(5, T)).toEqual({ kind: 'update', table: 'orders', where: { id: 5, status: 'filled', fill_applied_at: null }, set: { fill_applied_at: T, updated_at: T } });
  });
});
