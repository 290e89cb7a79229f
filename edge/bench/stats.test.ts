import { describe, expect, it } from 'vitest';
import { median, percentile, table } from './stats.ts';

describe('bench stats', () => {
  it('computes nearest-rank percentiles', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(v, 50), percentile(v, 99), percentile(v, 100), median([3, 1, 2])]).toEqual([50, 99, 100, 2]);
    expect(percentile([], 50)).toBeNaN();
  });
  it('aligns a table', () => {
    expect(table([{ name: 'a', value: '1.00', target: '≤ 5' }, { name: 'long', value: '10.00' }])).toEqual(['a      1.00   target ≤ 5', 'long  10.00']);
  });
});
