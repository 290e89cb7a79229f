import { describe, expect, it } from 'vitest';
import type { Shock } from './shock.ts';
import { shockWatch } from './shock-watch.ts';

const basket = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
const frame = (factor: number) => basket.map((symbol, i) => ({ symbol, price: String((100 + i * 10) * factor) })).concat({ symbol: 'DOGEUSDT', price: '1' });

describe('shockWatch', () => {
  it('reports a basket falling 3% within a minute once per hold, and never a rally', () => {
    const shocks: Shock[] = [];
    const watch = shockWatch(basket, (s) => shocks.push(s), { holdMs: 10 * 60_000 });
    watch(frame(1), 0);
    watch(frame(1.05), 30_000);
    watch(frame(1.1), 61_000);
    expect(shocks).toEqual([]);
    watch(frame(1.1 * 0.97), 121_000);
    watch(frame(1.1 * 0.95), 122_000);
    expect(shocks).toHaveLength(1);
    expect(shocks[0]!.dropPercent).toBeGreaterThanOrEqual(2.5);
    // After the hold a new fall is a new shock.
    watch(frame(1.1 * 0.95), 12 * 60_000);
    watch(frame(1.1 * 0.9), 13 * 60_000);
    expect(shocks).toHaveLength(2);
  });
});
