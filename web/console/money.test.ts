import { describe, expect, it } from 'vitest';
import { signed, tickPlaces } from './money.ts';

describe('money formatting', () => {
  it('signs, rounds and groups the integer part only', () => {
    expect(signed('1234567.891')).toBe('+1,234,567.89');
    expect(signed('-0.00004', 4)).toBe('0.0000');
    expect(signed('-0.30')).toBe('-0.30');
    expect(signed('0.00001234', 8)).toBe('+0.00001234');
    expect(signed('0')).toBe('0.00');
  });

  it('reads decimals from the tick size', () => {
    expect([tickPlaces('0.01'), tickPlaces('1'), tickPlaces('0.00010')]).toEqual([2, 0, 4]);
  });
});
