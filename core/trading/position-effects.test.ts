import { describe, expect, it } from 'vitest';
import { insertAccount, toAccount } from './account.ts';
import { sampleAccount } from './fixtures.ts';
import { activatePosition, insertPosition, movePosition, patchPosition } from './position-effects.ts';
import { IllegalStatusMoveError } from './statuses.ts';

const T = 1_767_225_600_000;
const account = toAccount({ id: 3, ...insertAccount(sampleAccount('a', { settings: { SHORT: { rungs: 6, gapPct: '1.5' } } }), T).row });

describe('position effects', () => {
  it('inserts a new, open position idempotently, with the direction settings frozen from the account', () => {
    const effect = insertPosition({ uuid: 'u-1', account, symbol: 'ETHUSDT', direction: 'SHORT', regimeScore: '0.75' }, T);
    expect(effect).toMatchObject({ kind: 'insert', table: 'positions', ignoreDuplicate: true });
    expect(effect.row).toMatchObject({
      uuid: 'u-1', account_id: 3, exchange: 'binance', symbol: 'ETHUSDT', direction: 'SHORT', status: 'new', is_open: 1,
      margin: '10', rungs: 6, gap_pct: '1.5', rung_multiplier: '2', regime_score: '0.75', worst_case_loss: null, created_at: T,
    });
  });

  it('moves conditionally on the expected status, keeping is_open in step with the status', () => {
    expect(movePosition(9, 'new', 'opening', { at: T, set: { margin: '12.5', leverage: 7 } })).toEqual({
      kind: 'update', table: 'positions', where: { id: 9, status: 'new' },
      set: { margin: '12.5', leverage: 7, status: 'opening', updated_at: T, is_open: 1 }, required: true,
    });
    const closed = movePosition(9, 'closing', 'closed', { at: T + 5, set: { closingPrice: '101.2', pnl: '-0.35', isFastTrade: false } });
    expect(closed.set).toEqual({ closing_price: '101.2', pnl: '-0.35', is_fast_trade: 0, status: 'closed', updated_at: T + 5, closed_at: T + 5, is_open: null });
    expect(movePosition(9, 'cancelling', 'failed', { at: T, set: { statusReason: 'residual on exchange' }, required: false })).toMatchObject({
      set: { status: 'failed', is_open: null, status_reason: 'residual on exchange' }, required: false,
    });
  });

  it('refuses a move the status table does not allow', () => {
    expect(() => movePosition(9, 'active', 'closed', { at: T })).toThrow(IllegalStatusMoveError);
    expect(() => movePosition(9, 'closed', 'active', { at: T })).toThrow('illegal position status move closed → active');
  });

  it('freezes the worst-case loss and the opening time on activation', () => {
    expect(activatePosition(9, '-41.873', { at: T, set: { openingPrice: '2500.5', quantity: '0.040' } })).toEqual({
      kind: 'update', table: 'positions', where: { id: 9, status: 'opening' }, required: true,
      set: { opening_price: '2500.5', quantity: '0.04', status: 'active', updated_at: T, is_open: 1, worst_case_loss: '-41.873', opened_at: T },
    });
  });

  it('patches fields without a status change, still naming the status it expects', () => {
    expect(patchPosition(9, 'waping', { at: T, set: { breakEvenPrice: '2499.10000' } })).toEqual({
      kind: 'update', table: 'positions', where: { id: 9, status: 'waping' }, set: { break_even_price: '2499.1', updated_at: T }, required: true,
    });
    expect(() => patchPosition(9, 'active', { at: T, set: { quantity: 0.1 as never } })).toThrow(/not a decimal string/);
  });
});
