import { describe, expect, it } from 'vitest';
import { sampleSymbolInfo } from '../../core/trading/fixtures.ts';
import { computeLadder, LadderError, takeProfitFrom } from './ladder.ts';

const filters = sampleSymbolInfo('ETHUSDT', { tickSize: '0.01', minPrice: '0.01', stepSize: '0.001', marketStepSize: '0.001', minNotional: '20' }).filters;
const base = { ref: '3500', margin: '10', leverage: 5, gapPct: '2', rungMultiplier: '2', rungs: 4, stopPct: '2', profitPct: '0.5', filters } as const;

describe('computeLadder', () => {
  it('prices LONG rungs below the entry, doubles each rung, anchors the stop at the last rung', () => {
    const l = computeLadder({ ...base, direction: 'LONG' });
    expect(l.entryQty).toBe('0.014');
    expect(l.rungs).toEqual([
      { rung: 1, price: '3430', quantity: '0.028' },
      { rung: 2, price: '3360', quantity: '0.056' },
      { rung: 3, price: '3290', quantity: '0.112' },
      { rung: 4, price: '3220', quantity: '0.224' },
    ]);
    expect(l.stopPrice).toBe('3155.6');
    expect(l.takeProfitPrice).toBe('3517.5');
    // 0.014×344.4 + 0.028×274.4 + 0.056×204.4 + 0.112×134.4 + 0.224×64.4
    expect(l.worstCaseLoss).toBe('53.4296');
  });

  it('mirrors a SHORT: rungs above, stop above the last rung, take-profit below', () => {
    const l = computeLadder({ ...base, direction: 'SHORT' });
    expect(l.rungs.map((r) => r.price)).toEqual(['3570', '3640', '3710', '3780']);
    expect(l.stopPrice).toBe('3855.6');
    expect(l.takeProfitPrice).toBe('3482.5');
  });

  it('rounds onto the grid away from the entry', () => {
    const l = computeLadder({ ...base, direction: 'LONG', ref: '3333.33', gapPct: '1.1' });
    expect(l.rungs[0]!.price).toBe('3296.66');
    expect(computeLadder({ ...base, direction: 'SHORT', ref: '3333.33', gapPct: '1.1' }).rungs[0]!.price).toBe('3370');
  });

  it('refuses a ladder whose entry falls below min notional, naming the order', () => {
    expect(() => computeLadder({ ...base, direction: 'LONG', filters: { ...filters, minNotional: '100' } })).toThrow(new LadderError('market entry: notional 49 is below the minimum 100'));
  });

  it('refuses rungs that would be priced at or below zero', () => {
    expect(() => computeLadder({ ...base, direction: 'LONG', gapPct: '30' })).toThrow(/rung 4: price .* is not positive/);
  });

  it('uses the filled entry quantity once known', () => {
    expect(computeLadder({ ...base, direction: 'LONG', entryQty: '0.02' }).rungs[0]!.quantity).toBe('0.04');
  });
});

describe('takeProfitFrom', () => {
  it('targets break-even × (1 ± profit%) rounded toward more profit', () => {
    expect(takeProfitFrom('LONG', '3401.2345', '0.5', filters)).toBe('3418.25');
    expect(takeProfitFrom('SHORT', '3401.2345', '0.5', filters)).toBe('3384.22');
  });
});
