import { describe, expect, it } from 'vitest';
import { dec, type Dec } from './decimal.ts';
import { firstAtOrAfter, isTimeOrdered } from './history-order.ts';

const point = (t: number): [number, Dec] => [t, dec(t)];

describe('history order', () => {
  it('follows pushes, front splices and unshifts, and sees a point out of order wherever it lands', () => {
    const hist: [number, Dec][] = [1, 2, 3].map(point);
    expect(isTimeOrdered(hist)).toBe(true);
    hist.push(point(3), point(5));
    expect(isTimeOrdered(hist)).toBe(true);
    hist.push(point(4));
    expect(isTimeOrdered(hist)).toBe(false);
    hist.push(point(9));
    expect(isTimeOrdered(hist)).toBe(false);
    hist.splice(0, hist.length - 1);
    expect(isTimeOrdered(hist)).toBe(true);
    hist.unshift(point(10));
    expect(isTimeOrdered(hist)).toBe(false);
    hist.splice(0, 1);
    hist.unshift(point(0), point(1));
    expect(isTimeOrdered(hist)).toBe(true);
  });

  it('finds the first point at or after a time', () => {
    const hist = [1, 3, 3, 7].map(point);
    expect([0, 1, 2, 3, 4, 7, 8].map((t) => firstAtOrAfter(hist, t))).toEqual([0, 0, 1, 1, 3, 3, 4]);
    expect(firstAtOrAfter([], 5)).toBe(0);
  });
});
