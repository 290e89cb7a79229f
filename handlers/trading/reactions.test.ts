import { describe, expect, it } from 'vitest';
import type { Effect } from '../../core/steps/effects.ts';
import type { OrderEcho } from '../../core/trading/order-effects.ts';
import type { OrderRow } from '../../core/trading/order.ts';
import type { PositionRow } from '../../core/trading/position.ts';
import { observeFlat, observeOrder } from './reactions.ts';

const position = (status: PositionRow['status']) => ({ id: 7, uuid: 'p-7', status }) as PositionRow;
const row = (over: Partial<OrderRow>): OrderRow => ({
  id: 41, positionId: 7, accountId: 1, symbol: 'ETHUSDT', role: 'rung', rung: 1, replacement: 0, clientOrderId: 'k-7-dca1', exchangeOrderId: '9',
  isAlgo: false, type: 'LIMIT', side: 'BUY', positionSide: 'BOTH', reduceOnly: false, closePosition: false, price: '3430', quantity: '0.028',
  status: 'working', exchangeStatus: 'NEW', exchangePrice: '3430', exchangeQuantity: '0.028', executedQty: '0', avgPrice: null, commission: null,
  exchangeUpdatedAt: 1, fillAppliedAt: null, createdAt: 1, updatedAt: 1, ...over,
});
const echo = (over: Partial<OrderEcho>): OrderEcho => ({ exchangeOrderId: '9', status: 'working', exchangeStatus: 'NEW', price: '3430', quantity: '0.028', executedQty: '0', updatedAt: 2, ...over });
const started = (effects: Effect[]) => effects.flatMap((e) => (e.kind === 'start-block' ? [`${e.steps[0]!.handler} ${e.dedupeKey}`] : []));

describe('observeOrder', () => {
  it('a filled rung on an active position starts one WAP keyed by the order row', () => {
    const effects = observeOrder(row({}), echo({ status: 'filled', exchangeStatus: 'FILLED', executedQty: '0.028' }), position('active'), 5);
    expect(effects[0]).toMatchObject({ kind: 'update', where: { client_order_id: 'k-7-dca1', status: 'working' } });
    expect(started(effects)).toEqual(['trading.wap.begin wap:41']);
  });

  it('a filled take-profit or stop starts the close; not when the position is already closing', () => {
    const tp = row({ role: 'profit', rung: null, clientOrderId: 'k-7-tp' });
    expect(started(observeOrder(tp, echo({ status: 'filled', executedQty: '0.028' }), position('active'), 5))).toEqual(['trading.close.begin close:p-7']);
    expect(started(observeOrder(tp, echo({ status: 'filled', executedQty: '0.028' }), position('closing'), 5))).toEqual([]);
  });

  it('a dead rung or protection on a managed position is replaced; not while closing', () => {
    expect(started(observeOrder(row({}), echo({ status: 'expired' }), position('active'), 5))).toEqual(['trading.order.replace replace:k-7-dca1']);
    expect(started(observeOrder(row({}), echo({ status: 'cancelled' }), position('closing'), 5))).toEqual([]);
  });

  it('a drifted working order is corrected only on an active position (a WAP owns its own amendments)', () => {
    expect(started(observeOrder(row({}), echo({ price: '3420' }), position('active'), 5))).toEqual(['trading.order.correct correct:k-7-dca1:2']);
    expect(started(observeOrder(row({}), echo({ price: '3420' }), position('waping'), 5))).toEqual([]);
  });

  it('a partial fill re-sizes the take-profit at once: one WAP per fill amount', () => {
    expect(started(observeOrder(row({}), echo({ status: 'partially_filled', executedQty: '0.01' }), position('active'), 5))).toEqual(['trading.wap.begin wap:41:0.01']);
    expect(started(observeOrder(row({}), echo({ status: 'partially_filled', executedQty: '0.02' }), position('active'), 5))).toEqual(['trading.wap.begin wap:41:0.02']);
  });

  it('an echo that is not news, or about a terminal row, writes nothing', () => {
    expect(observeOrder(row({}), echo({}), position('active'), 5)).toEqual([]);
    expect(observeOrder(row({ status: 'filled' }), echo({ status: 'filled' }), position('active'), 5)).toEqual([]);
  });
});

describe('observeFlat', () => {
  it('starts the priority close that cancels the DCA limits first, keyed like every close', () => {
    const [effect] = observeFlat(position('active'));
    expect(effect).toMatchObject({ kind: 'start-block', dedupeKey: 'close:p-7' });
    const steps = (effect as Extract<Effect, { kind: 'start-block' }>).steps;
    expect(steps.slice(0, 2).map((s) => [s.handler, s.lane])).toEqual([['trading.close.begin', 'priority'], ['trading.cancel-rungs', 'priority']]);
    expect(observeFlat(position('closing'))).toEqual([]);
  });
});
