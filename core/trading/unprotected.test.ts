import { describe, expect, it } from 'vitest';
import type { OrderRow } from './order.ts';
import { unprotectedSince } from './unprotected.ts';

let nextId = 1;
const order = (role: OrderRow['role'], status: OrderRow['status'], createdAt: number, updatedAt = createdAt): OrderRow => ({
  id: nextId++, positionId: 1, accountId: 1, symbol: 'ETHUSDT', role, rung: null, replacement: 0, clientOrderId: `k-1-${nextId}`,
  exchangeOrderId: null, isAlgo: role === 'stop', type: role === 'stop' ? 'STOP_MARKET' : 'MARKET', side: 'BUY', positionSide: 'BOTH',
  reduceOnly: false, closePosition: role === 'stop', price: null, quantity: null, status, exchangeStatus: null, exchangePrice: null,
  exchangeQuantity: null, executedQty: null, avgPrice: null, commission: null, exchangeUpdatedAt: null, fillAppliedAt: null, createdAt, updatedAt,
});

describe('unprotectedSince', () => {
  it('counts from the entry\'s placement while the stop is missing or not yet placed, whatever the entry row says', () => {
    expect(unprotectedSince([order('entry', 'pending', 1_000)])).toEqual({ since: 1_000, stop: 'missing', entry: 'pending' });
    expect(unprotectedSince([order('entry', 'filled', 1_000, 1_400), order('stop', 'pending', 1_500)])).toEqual({ since: 1_000, stop: 'pending', entry: 'filled' });
  });

  it('is null while a stop works or after it filled, and when the entry never became exposure', () => {
    expect(unprotectedSince([order('entry', 'filled', 1_000), order('stop', 'working', 1_500)])).toBeNull();
    expect(unprotectedSince([order('entry', 'filled', 1_000), order('stop', 'filled', 1_500)])).toBeNull();
    expect(unprotectedSince([order('entry', 'rejected', 1_000)])).toBeNull();
    expect(unprotectedSince([order('stop', 'pending', 1_000)])).toBeNull();
  });

  it('counts from the moment a working stop died (cancelled on the exchange), and the newest stop row decides', () => {
    expect(unprotectedSince([order('entry', 'filled', 1_000), order('stop', 'cancelled', 1_500, 90_000)])).toEqual({ since: 90_000, stop: 'cancelled', entry: 'filled' });
    expect(unprotectedSince([order('entry', 'filled', 1_000), order('stop', 'cancelled', 1_500, 90_000), order('stop', 'working', 91_000)])).toBeNull();
  });
});
