import { describe, expect, it } from 'vitest';
import type { DirectionSettings } from '../../core/trading/account.ts';
import type { ExchangeSymbolRow } from '../../core/trading/exchange-symbol.ts';
import { sizeMisfit } from './size-fit.ts';

const settings: DirectionSettings = { slots: 1, leverage: 5, margin: '10', profitPct: '0.5', stopPct: '2', gapPct: '2', rungMultiplier: '2', rungs: 4 };
const full = { leverageFactor: 1, marginFactor: 1 };
const symbol = (stepSize: string, minNotional = '5') => ({
  symbol: 'X', tickSize: '0.01', minPrice: '0.01', maxPrice: '1000000', stepSize, minQty: stepSize, maxQty: '1000000',
  marketStepSize: null, marketMinQty: null, marketMaxQty: null, minNotional, percentUp: null, percentDown: null,
}) as unknown as ExchangeSymbolRow;

describe('sizeMisfit', () => {
  it('refuses a symbol whose whole-unit step costs more than margin × leverage, naming the order', () => {
    expect(sizeMisfit('SHORT', settings, full, symbol('1'), '180')).toBe('market entry: quantity 0 is below the minimum 1');
  });
  it('admits the same symbol when the account size buys one unit', () => {
    expect(sizeMisfit('SHORT', { ...settings, margin: '40' }, full, symbol('1'), '180')).toBeNull();
  });
  it('applies the regime factors the open block applies', () => {
    expect(sizeMisfit('LONG', settings, full, symbol('0.01'), '22')).toBeNull();
    expect(sizeMisfit('LONG', settings, { leverageFactor: 0.2, marginFactor: 0.1 }, symbol('0.01'), '22')).toBe('market entry: notional 0.88 is below the minimum 5');
  });
});
