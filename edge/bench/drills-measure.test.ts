import { describe, expect, it } from 'vitest';
import { everyMinutes } from '../../core/scheduler/cadence.ts';
import type { ScheduleEntry } from '../../core/scheduler/schedule-entry.ts';
import { duplicateClientIds, missedSlots, positionInvariants, unprotectedWindows, type OrderRecord } from './drills-measure.ts';

const o = (p: Partial<OrderRecord>): OrderRecord => ({ account: 'a', symbol: 'ETHUSDT', clientId: 'c', kind: 'other', createdAt: 0, filledAt: null, endedAt: null, ...p });

describe('drill figures', () => {
  it('an entry is unprotected from its fill to the first stop, zero when a stop already worked, open when none came', () => {
    const w = unprotectedWindows([
      o({ kind: 'entry', clientId: 'e1', createdAt: 100, filledAt: 110 }), o({ kind: 'stop', clientId: 's1', createdAt: 4_110 }),
      o({ kind: 'entry', clientId: 'e2', symbol: 'BTCUSDT', createdAt: 100, filledAt: 120 }), o({ kind: 'stop', clientId: 's2', symbol: 'BTCUSDT', createdAt: 50 }),
      o({ kind: 'entry', clientId: 'e3', symbol: 'SOLUSDT', createdAt: 100, filledAt: 130 }), o({ kind: 'stop', clientId: 's3', symbol: 'SOLUSDT', createdAt: 10, endedAt: 20 }),
      o({ kind: 'entry', clientId: 'e4', symbol: 'XRPUSDT', createdAt: 100, filledAt: null }),
    ], 10_130);
    expect(w.map((x) => [x.symbol, x.ms, x.open])).toEqual([['ETHUSDT', 4_000, false], ['BTCUSDT', 0, false], ['SOLUSDT', 10_000, true]]);
  });

  it('finds client ids accepted twice on one account, not across accounts', () => {
    expect(duplicateClientIds([o({ clientId: 'x' }), o({ clientId: 'x', account: 'b' }), o({ clientId: 'y' }), o({ clientId: 'y' })])).toEqual(['a/y']);
  });

  it('lists slots in the window with no block', () => {
    const entries: ScheduleEntry[] = [{ name: 'm', description: '', cadence: everyMinutes(1), pausedInCooldown: false, step: { handler: 'h', lane: 'l' } }];
    const keys = new Set(['sched:m:60000', 'sched:m:180000']);
    expect(missedSlots(entries, keys, 30_000, 200_000)).toEqual([{ entry: 'm', slot: 120_000 }]);
    expect(missedSlots(entries, keys, 60_000, 60_000)).toEqual([]);
  });

  it('compares open positions on the exchange and in the database', () => {
    expect(positionInvariants([{ account: 'a', symbol: 'X', protectedByStop: true }, { account: 'a', symbol: 'Y', protectedByStop: false }], [{ account: 'a', symbol: 'X' }, { account: 'a', symbol: 'Z' }]))
      .toEqual({ exchangeOnly: ['a/Y'], localOnly: ['a/Z'], withoutStop: ['a/Y'] });
  });
});
