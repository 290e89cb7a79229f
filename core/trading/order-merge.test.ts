import { describe, expect, it } from 'vitest';
import type { OrderEcho } from './order-effects.ts';
import { mergeEcho, mergeFields, type MergeInput } from './order-merge.ts';
import type { OrderRow } from './order.ts';

const row = (over: Partial<OrderRow> = {}): OrderRow => ({
  id: 5, positionId: 7, accountId: 1, symbol: 'ETHUSDT', role: 'entry', rung: null, replacement: 0, clientOrderId: 'k-7-entry', exchangeOrderId: null,
  isAlgo: false, type: 'MARKET', side: 'BUY', positionSide: 'BOTH', reduceOnly: false, closePosition: false, price: null, quantity: '0.5',
  status: 'pending', exchangeStatus: null, exchangePrice: null, exchangeQuantity: null, executedQty: null, avgPrice: null, commission: null,
  exchangeUpdatedAt: null, fillAppliedAt: null, createdAt: 1, updatedAt: 1, ...over,
});
const newFrame: OrderEcho = { exchangeOrderId: '900', status: 'working', exchangeStatus: 'NEW', quantity: '0.5', executedQty: '0', updatedAt: 10 };
const filledAnswer: OrderEcho = { exchangeOrderId: '900', status: 'filled', exchangeStatus: 'FILLED', quantity: '0.5', executedQty: '0.5', updatedAt: 10 };

describe('the monotone order merge', () => {
  it('takes a FILLED placement answer on a row the NEW frame already moved to working', () => {
    const afterFrame = row({ status: 'working', exchangeOrderId: '900', exchangeStatus: 'NEW', exchangeQuantity: '0.5', executedQty: '0', exchangeUpdatedAt: 10 });
    expect(mergeFields(afterFrame, filledAnswer)).toEqual({ status: 'filled', exchangeStatus: 'FILLED', executedQty: '0.5' });
    const effect = mergeEcho(afterFrame, filledAnswer, { at: 20 })!;
    // Conditional on exactly what the merge was computed from, and required: a miss is merged again, never dropped.
    expect(effect).toMatchObject({ required: true, where: { client_order_id: 'k-7-entry', status: 'working', exchange_order_id: '900', executed_qty: '0', avg_price: null, exchange_updated_at: 10 } });
  });

  it('never moves a row back: a late NEW frame after the fill changes nothing', () => {
    const filled = row({ status: 'filled', exchangeOrderId: '900', exchangeStatus: 'FILLED', exchangeQuantity: '0.5', executedQty: '0.5', avgPrice: '3000', exchangeUpdatedAt: 10 });
    expect(mergeFields(filled, newFrame)).toBeNull();
    expect(mergeFields(filled, { ...filledAnswer, executedQty: '0.2', avgPrice: '2990', updatedAt: 11 })).toBeNull();
  });

  it('fills in what a terminal row still lacks: the average price a new-order answer left out', () => {
    const filled = row({ status: 'filled', exchangeOrderId: '900', exchangeStatus: 'FILLED', executedQty: '0.5', exchangeUpdatedAt: 10 });
    expect(mergeFields(filled, { ...filledAnswer, avgPrice: '3001.5', commission: '0.75' })).toEqual({ exchangeQuantity: '0.5', avgPrice: '3001.5', commission: '0.75' });
  });

  it('a larger executed quantity brings its own average; a modify answer without one keeps the stored one', () => {
    const partial = row({ role: 'rung', type: 'LIMIT', status: 'partially_filled', exchangeOrderId: '900', executedQty: '0.2', avgPrice: '2990', exchangeUpdatedAt: 10 });
    expect(mergeFields(partial, { ...filledAnswer, executedQty: '0.5', avgPrice: '2992', updatedAt: 12 })).toMatchObject({ status: 'filled', executedQty: '0.5', avgPrice: '2992' });
    expect(mergeFields(partial, { ...filledAnswer, status: 'partially_filled', exchangeStatus: 'PARTIALLY_FILLED', executedQty: '0.2', price: '2980', updatedAt: 12 }))
      .toEqual({ exchangeStatus: 'PARTIALLY_FILLED', exchangePrice: '2980', exchangeQuantity: '0.5', exchangeUpdatedAt: 12 });
  });

  it('keeps the exchange id first recorded: an algo row is not renamed by its child order', () => {
    const stop = row({ role: 'stop', isAlgo: true, status: 'working', exchangeOrderId: '3000001', exchangeUpdatedAt: 10 });
    expect(mergeFields(stop, { ...filledAnswer, exchangeOrderId: '8389765000123', avgPrice: '2900', updatedAt: 11 })).not.toHaveProperty('exchangeOrderId');
  });

  describe('commission: always that of the executed quantity, or unknown', () => {
    const rung = row({ role: 'rung', type: 'LIMIT', status: 'working', exchangeOrderId: '900', executedQty: '0', exchangeUpdatedAt: 10 });
    const trade = (executedQty: string, qty: string, commission: string, status: 'partially_filled' | 'filled' = 'partially_filled'): MergeInput =>
      ({ ...filledAnswer, status, exchangeStatus: status.toUpperCase(), executedQty, trade: { qty, commission }, updatedAt: 11 });

    it('adds each trade of a frame in turn, and a duplicated or late frame adds nothing', () => {
      const first = mergeFields(rung, trade('0.2', '0.2', '0.12'))!;
      expect(first).toMatchObject({ executedQty: '0.2', commission: '0.12' });
      const afterFirst = { ...rung, ...first };
      expect(mergeFields(afterFirst, trade('0.2', '0.2', '0.12'))).toBeNull();
      const second = mergeFields(afterFirst, trade('0.5', '0.3', '0.18', 'filled'))!;
      expect(second).toMatchObject({ status: 'filled', executedQty: '0.5', commission: '0.3' });
      const afterSecond = { ...afterFirst, ...second };
      expect(mergeFields(afterSecond, trade('0.5', '0.3', '0.18', 'filled'))).toBeNull();
      expect(mergeFields(afterSecond, trade('0.2', '0.2', '0.12'))).toBeNull();
    });

    it('a fill that arrives without its commission (or out of turn) leaves it unknown, never short', () => {
      const partial = { ...rung, status: 'partially_filled' as const, executedQty: '0.2', commission: '0.12' };
      expect(mergeFields(partial, { ...filledAnswer, executedQty: '0.5' })).toMatchObject({ executedQty: '0.5', commission: null });
      // The second trade's frame first: 0 + 0.3 is not 0.5, so its commission is not the order's.
      const outOfTurn = mergeFields(rung, trade('0.5', '0.3', '0.18', 'filled'));
      expect(outOfTurn).toMatchObject({ executedQty: '0.5' });
      expect(outOfTurn).not.toHaveProperty('commission');
    });

    it('a frame whose one trade is the whole fill gives the commission even after the answer moved the quantity', () => {
      const answered = row({ status: 'filled', exchangeOrderId: '900', exchangeStatus: 'FILLED', exchangeQuantity: '0.5', executedQty: '0.5', exchangeUpdatedAt: 10 });
      expect(mergeFields(answered, trade('0.5', '0.5', '0.15', 'filled'))).toEqual({ commission: '0.15' });
    });

    it('the trades total (the poll, the ledger) is the truth for the quantity it covers', () => {
      const wrong = row({ status: 'filled', exchangeOrderId: '900', executedQty: '0.5', commission: '0.1', exchangeUpdatedAt: 10 });
      expect(mergeFields(wrong, { status: 'filled', executedQty: '0.5', commission: '0.15' })).toEqual({ commission: '0.15' });
      expect(mergeFields(wrong, { status: 'filled', executedQty: '0.4', commission: '0.12' })).toBeNull();
    });
  });
});
