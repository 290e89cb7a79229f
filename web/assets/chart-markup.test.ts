import { describe, expect, it } from 'vitest';
import { chart, perSecond } from './chart-markup.ts';

describe('chart markup', () => {
  it('turns epoch-ms points into one point per unix second, keeping each second\'s last value', () => {
    expect(perSecond([[1_000, 1], [1_400, 2], [1_999, 3], [2_000, 4], [5_500, 5]])).toEqual([[1, 3], [2, 4], [5, 5]]);
    expect(perSecond([])).toEqual([]);
  });

  it('carries the series as an attribute for the shared script, or says there is no data', () => {
    const markup = String(chart('line', 'equity', [[1, 2]]));
    expect(markup).toContain('class="lwc" role="img" aria-label="equity" data-kind="line" data-series="[[1,2]]"');
    expect(String(chart('line', 'equity', []))).toBe('<p class="muted">equity: no data yet.</p>');
  });
});
