import { describe, expect, it } from 'vitest';
import { isExchangeError } from './exchange-errors.ts';
import type { SymbolFilters } from './exchange.port.ts';
import {
  assertOrder, checkOrder, dec, decimalOf, floorQty, isDecimalString, isOnStep, minQtyForNotional, notional,
  passiveRounding, aggressiveRounding, roundPrice, roundQty, toDecimalString,
} from './precision.ts';

const BTC: SymbolFilters = {
  tickSize: '0.10', minPrice: '556.80', maxPrice: '4529764', stepSize: '0.001', minQty: '0.001', maxQty: '1000',
  marketStepSize: '0.001', marketMinQty: '0.001', marketMaxQty: '120', minNotional: '100',
  percentPrice: { multiplierUp: '1.0500', multiplierDown: '0.9500' },
};

describe('decimal formatting', () => {
  it('prints plain decimals without exponent or trailing zeros', () => {
    expect(toDecimalString('1.500')).toBe('1.5');
    expect(toDecimalString('0.00000001')).toBe('0.00000001');
    expect(toDecimalString('1e-9')).toBe('0.000000001');
    expect(toDecimalString('1e21')).toBe('1000000000000000000000');
    expect(toDecimalString('-0')).toBe('0');
    expect(toDecimalString('0.000')).toBe('0');
  });

  it('returns a string already in printed form as it is, and prints every other string as parsing would', () => {
    const parts = ['', '-', '0', '00', '1', '10', '007', '.', '.0', '.5', '.50', '.05', '1e3', '+', ' ', 'x', '123456789012345678901234567890'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2_000; i++) {
      const s = Array.from({ length: 1 + Math.floor(next() * 4) }, () => parts[Math.floor(next() * parts.length)]!).join('');
      let expected: string | Error;
      try {
        expected = toDecimalString(dec(s));
      } catch (e) {
        expected = e as Error;
      }
      if (expected instanceof Error) expect(() => toDecimalString(s), s).toThrow();
      else expect(toDecimalString(s), s).toBe(expected);
    }
  });

  it('normalises vendor numbers and strings, leaving blanks undefined', () => {
    expect(decimalOf(0.0065)).toBe('0.0065');
    expect(decimalOf(1e-7)).toBe('0.0000001');
    expect(decimalOf('0.00000000')).toBe('0');
    expect(decimalOf('')).toBeUndefined();
    expect(decimalOf(null)).toBeUndefined();
    expect(() => decimalOf('abc')).toThrow();
  });

  it('accepts only plain non-negative decimal strings for the wire', () => {
    for (const ok of ['0', '1', '0.001', '12345.6789']) expect(isDecimalString(ok)).toBe(true);
    for (const bad of ['1e-7', '-1', '.5', '1.', ' 1', '1,5', 'NaN', 'Infinity', '']) expect(isDecimalString(bad)).toBe(false);
  });

  it('never goes through binary floats (0.1 + 0.2 style sums stay exact)', () => {
    expect(notional('0.1', '3')).toBe('0.3');
    expect(floorQty('0.30000000000000004', '0.1')).toBe('0.3');
    expect(roundPrice('1.0049999999999999', { tickSize: '0.001' }, 'nearest')).toBe('1.005');
  });
});

describe('tick and step rounding', () => {
  it('rounds prices in the stated direction', () => {
    expect(roundPrice('43123.456', BTC, 'down')).toBe('43123.4');
    expect(roundPrice('43123.456', BTC, 'up')).toBe('43123.5');
    expect(roundPrice('43123.45', BTC, 'nearest')).toBe('43123.5');
    expect(roundPrice('43123.44', BTC, 'nearest')).toBe('43123.4');
    expect(roundPrice('43123.4', BTC, 'up')).toBe('43123.4');
  });

  it('rounds on the grid that starts at minPrice, as Binance checks it', () => {
    expect(roundPrice('10.07', { tickSize: '0.05', minPrice: '0.01' }, 'down')).toBe('10.06');
    expect(roundPrice('10.07', { tickSize: '0.05', minPrice: '0.01' }, 'up')).toBe('10.11');
    expect(isOnStep('10.06', '0.05', '0.01')).toBe(true);
    expect(isOnStep('10.05', '0.05', '0.01')).toBe(false);
  });

  it('picks passive or aggressive rounding by side', () => {
    expect(roundPrice('100.05', { tickSize: '0.1' }, passiveRounding('BUY'))).toBe('100');
    expect(roundPrice('100.05', { tickSize: '0.1' }, passiveRounding('SELL'))).toBe('100.1');
    expect(roundPrice('100.05', { tickSize: '0.1' }, aggressiveRounding('BUY'))).toBe('100.1');
    expect(roundPrice('100.05', { tickSize: '0.1' }, aggressiveRounding('SELL'))).toBe('100');
  });

  it('floors quantities to the step, including whole-number and large steps', () => {
    expect(floorQty('0.0019999', '0.001')).toBe('0.001');
    expect(floorQty('0.0009', '0.001')).toBe('0');
    expect(floorQty('12345.99', '1')).toBe('12345');
    expect(floorQty('1299', '100')).toBe('1200');
    expect(roundQty('0.0011', '0.001', 'up')).toBe('0.002');
  });

  it('leaves values alone when the step is 0 (rule disabled)', () => {
    expect(roundPrice('1.23456789', { tickSize: '0' }, 'down')).toBe('1.23456789');
    expect(floorQty('3.3', '0')).toBe('3.3');
  });

  it('finds the smallest step-aligned quantity clearing min notional', () => {
    expect(minQtyForNotional('43000', BTC)).toBe('0.003');
    expect(minQtyForNotional('200000', BTC)).toBe('0.001');
    expect(minQtyForNotional('0.5', { minNotional: '5', stepSize: '1', minQty: '1' })).toBe('10');
  });
});

describe('local filter checks', () => {
  it('passes a valid limit order', () => {
    expect(checkOrder(BTC, { side: 'BUY', type: 'LIMIT', price: '43000', quantity: '0.003', markPrice: '43100' })).toEqual([]);
  });

  it('flags min notional unless reduce-only', () => {
    const order = { side: 'BUY' as const, type: 'LIMIT' as const, price: '43000', quantity: '0.002' };
    expect(checkOrder(BTC, order).map((v) => v.rule)).toEqual(['MIN_NOTIONAL']);
    expect(checkOrder(BTC, { ...order, reduceOnly: true })).toEqual([]);
  });

  it('uses the mark price for a MARKET order\'s notional and its own lot size', () => {
    expect(checkOrder(BTC, { side: 'SELL', type: 'MARKET', quantity: '0.002', markPrice: '43000' }).map((v) => v.rule)).toEqual(['MIN_NOTIONAL']);
    expect(checkOrder(BTC, { side: 'SELL', type: 'MARKET', quantity: '121', markPrice: '43000' }).map((v) => v.rule)).toEqual(['MARKET_LOT_SIZE']);
  });

  it('checks percent price against the mark on the order\'s side', () => {
    expect(checkOrder(BTC, { side: 'BUY', type: 'LIMIT', price: '45200', quantity: '0.01', markPrice: '43000' }).map((v) => v.rule)).toEqual(['PERCENT_PRICE']);
    expect(checkOrder(BTC, { side: 'BUY', type: 'LIMIT', price: '45150', quantity: '0.01', markPrice: '43000' })).toEqual([]);
    expect(checkOrder(BTC, { side: 'SELL', type: 'LIMIT', price: '40800', quantity: '0.01', markPrice: '43000' }).map((v) => v.rule)).toEqual(['PERCENT_PRICE']);
    expect(checkOrder(BTC, { side: 'SELL', type: 'LIMIT', price: '40850', quantity: '0.01', markPrice: '43000' })).toEqual([]);
  });

  it('flags off-grid and out-of-range prices and quantities', () => {
    const rules = checkOrder(BTC, { side: 'BUY', type: 'LIMIT', price: '43000.05', quantity: '0.0035' }).map((v) => v.rule);
    expect(rules).toEqual(['LOT_SIZE', 'PRICE_FILTER']);
    expect(checkOrder(BTC, { side: 'BUY', type: 'LIMIT', price: '500', quantity: '1' }).map((v) => v.message)).toEqual([expect.stringContaining('below minPrice')]);
  });

  it('throws the exchange\'s final error for the first broken rule', () => {
    try {
      assertOrder(BTC, { side: 'BUY', type: 'LIMIT', price: '43000', quantity: '0.002' });
      expect.unreachable();
    } catch (error) {
      expect(isExchangeError(error, 'MIN_NOTIONAL')).toBe(true);
      expect((error as { disposition: string }).disposition).toBe('final');
    }
  });
});
