import { describe, expect, it } from 'vitest';
import { parseMarkPriceFrame } from './mark-price-frame.ts';

const entry = (s: string, p: string, E = 1) => ({ e: 'markPriceUpdate', E, s, p, i: p, P: p, r: '0.0001', T: 2 });

describe('parseMarkPriceFrame', () => {
  it('reads the raw array and the combined wrapper', () => {
    const raw = JSON.stringify([entry('BTCUSDT', '65000.10', 5), entry('ETHUSDT', '3000', 7)]);
    expect(parseMarkPriceFrame(raw)).toEqual({ eventTime: 7, prices: [{ symbol: 'BTCUSDT', price: '65000.10', fundingRate: '0.0001' }, { symbol: 'ETHUSDT', price: '3000', fundingRate: '0.0001' }], skipped: 0 });
    expect(parseMarkPriceFrame(JSON.stringify({ stream: '!markPrice@arr@1s', data: [entry('BTCUSDT', '1')] }))?.prices).toHaveLength(1);
    // A one-symbol stream (<symbol>@markPrice@1s) sends one object, raw or combined.
    expect(parseMarkPriceFrame(JSON.stringify({ stream: 'ethusdt@markPrice@1s', data: entry('ETHUSDT', '3201.2345', 9) }))).toEqual({ eventTime: 9, prices: [{ symbol: 'ETHUSDT', price: '3201.2345', fundingRate: '0.0001' }], skipped: 0 });
    expect(parseMarkPriceFrame(JSON.stringify({ ...entry('ETHUSDT', '3000'), r: '-0.00012500' }))?.prices).toEqual([{ symbol: 'ETHUSDT', price: '3000', fundingRate: '-0.00012500' }]);
    expect(parseMarkPriceFrame(JSON.stringify({ ...entry('ETHUSDT', '3000'), r: 'high' }))?.prices).toEqual([{ symbol: 'ETHUSDT', price: '3000' }]);
  });

  it('skips malformed entries and ignores non-data messages', () => {
    const mixed = JSON.stringify([entry('BTCUSDT', '1'), { e: 'markPriceUpdate', s: 'bad symbol', p: '1' }, entry('ETHUSDT', '1e5'), null, 42]);
    expect(parseMarkPriceFrame(mixed)).toMatchObject({ prices: [{ symbol: 'BTCUSDT' }], skipped: 4 });
    expect(parseMarkPriceFrame('{"result":null,"id":1}')).toBeNull();
    expect(parseMarkPriceFrame('not json')).toBeNull();
    expect(parseMarkPriceFrame('[]')).toBeNull();
  });
});
