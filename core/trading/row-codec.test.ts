import { describe, expect, it } from 'vitest';
import { dbDecimal, decodeRow, encodeRow, RowShapeError, type Codec } from './row-codec.ts';

interface Thing {
  id: number;
  name: string;
  price: string | null;
  on: boolean;
  tiers: unknown;
}
const CODEC: Codec<Thing> = { id: ['id', 'int'], name: ['name', 'string'], price: ['price', 'decimal?'], on: ['is_on', 'flag'], tiers: ['tiers', 'json?'] };

describe('row codec', () => {
  it('reads MySQL-padded decimals, 0/1 flags and JSON text as the values that were written', () => {
    expect(decodeRow('things', CODEC, { id: 7, name: 'a', price: '0.000000010000000000', is_on: 1, tiers: '[{"cap":"5000"}]' }))
      .toEqual({ id: 7, name: 'a', price: '0.00000001', on: true, tiers: [{ cap: '5000' }] });
    expect(decodeRow('things', CODEC, { id: '8', name: 'b', price: '123456789.123456789000000000', is_on: 0, tiers: null }).price).toBe('123456789.123456789');
    // MySQL 8 hands JSON over parsed; a missing column is NULL.
    expect(decodeRow('things', CODEC, { id: 1, name: 'c', is_on: false, tiers: [1] as never })).toMatchObject({ price: null, tiers: [1] });
  });

  it('refuses a NULL in a non-null column, a float in a money column and a non-flag', () => {
    expect(() => decodeRow('things', CODEC, { id: 1, name: null, is_on: 1 })).toThrow('things.name is null');
    expect(() => decodeRow('things', CODEC, { id: 1, name: 'x', price: 0.1, is_on: 1 })).toThrow(/decimal read as number/);
    expect(() => decodeRow('things', CODEC, { id: 1, name: 'x', is_on: 2 })).toThrow(RowShapeError);
  });

  it('writes only the fields given, flags as 0/1, JSON as text', () => {
    expect(encodeRow('things', CODEC, { on: true, price: '1.50', tiers: { a: 1 }, name: undefined })).toEqual({ is_on: 1, price: '1.5', tiers: '{"a":1}' });
    expect(encodeRow('things', CODEC, { price: null })).toEqual({ price: null });
    expect(() => encodeRow('things', CODEC, { name: null as never })).toThrow('things.name cannot be null');
    expect(() => encodeRow('things', CODEC, { bogus: 1 } as never)).toThrow('unknown field bogus');
    expect(() => encodeRow('things', CODEC, { id: 1.5 })).toThrow(/not an integer/);
  });

  it('holds decimals to DECIMAL(36,18): rounded past 18 places as MySQL would, refused beyond 18 integer digits', () => {
    expect(dbDecimal('0.00000001')).toBe('0.00000001');
    expect(dbDecimal('-12.5000')).toBe('-12.5');
    expect(dbDecimal('0.0000000000000000015')).toBe('0.000000000000000002');
    expect(dbDecimal('999999999999999999.999999999999999999')).toBe('999999999999999999.999999999999999999');
    expect(() => dbDecimal('1000000000000000000')).toThrow(/does not fit/);
    for (const bad of ['1e-8', '0x10', '', ' 1', 'NaN', '1.']) expect(() => dbDecimal(bad)).toThrow(RowShapeError);
    expect(() => dbDecimal(0.1 as never)).toThrow(RowShapeError);
  });
});
