import { describe, expect, it } from 'vitest';
import type { LeverageTier } from '../../core/exchange/exchange.port.ts';
import { leverageFor } from './open-prepare.ts';
import { assignSlots } from './preflight.ts';

describe('leverageFor', () => {
  const tiers: LeverageTier[] = [
    { bracket: 1, initialLeverage: 20, notionalFloor: '0', notionalCap: '100', maintMarginRatio: '0.01', cum: '0' },
    { bracket: 2, initialLeverage: 5, notionalFloor: '100', notionalCap: '1000', maintMarginRatio: '0.05', cum: '4' },
  ];
  it('keeps the wanted leverage when its bracket admits the notional', () => expect(leverageFor(10, '10', tiers)).toBe(10));
  it('steps down until the bracket of the implied notional allows it', () => expect(leverageFor(20, '50', tiers)).toBe(5));
  it('without brackets trusts the wanted leverage', () => expect(leverageFor(7, '50', [])).toBe(7));
});

describe('assignSlots', () => {
  it('fills free slots per direction, never a taken pair nor one picked for the other direction', () => {
    const picks = assignSlots({ LONG: 2, SHORT: 1 }, { LONG: ['A', 'B', 'C'], SHORT: ['B', 'D'] }, new Set(['A']));
    expect(picks).toEqual([{ symbol: 'B', direction: 'LONG' }, { symbol: 'C', direction: 'LONG' }, { symbol: 'D', direction: 'SHORT' }]);
  });
});
