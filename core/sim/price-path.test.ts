import { describe, expect, it } from 'vitest';
import { ManualClock } from '../ports/clock.ts';
import { SimExchange } from './sim-exchange.ts';
import { DEFAULT_SYMBOLS } from './symbols.ts';

function walk(seed: number, steps: number, symbol = 'BTCUSDT'): string[] {
  const ex = new SimExchange({ clock: new ManualClock(), seed });
  const prices: string[] = [];
  for (let i = 0; i < steps; i++) {
    ex.step();
    prices.push(ex.market(symbol).mark.toFixed());
  }
  return prices;
}

describe('price path', () => {
  it('is deterministic: same seed, same prices; another seed, other prices', () => {
    const a = walk(42, 50);
    expect(walk(42, 50)).toEqual(a);
    expect(walk(43, 50)).not.toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(10);
  });

  it('keeps every price on the tick grid', () => {
    for (const p of walk(7, 100, 'SOLUSDT')) expect(Number(p) * 100 % 1).toBeCloseTo(0, 6);
  });

  it('gives each symbol its own stream, so listing more symbols does not change BTC', () => {
    const only = new SimExchange({ clock: new ManualClock(), seed: 42, symbols: DEFAULT_SYMBOLS.filter((s) => s.symbol === 'BTCUSDT') });
    only.step(5);
    expect(only.market('BTCUSDT').mark.toFixed()).toBe(walk(42, 5).at(-1));
  });

  it('applies scripted events at their step and replays stored prices', () => {
    const ex = new SimExchange({ clock: new ManualClock(), seed: 1 });
    ex.freeze('ETHUSDT');
    ex.script([{ step: 2, symbol: 'ETHUSDT', price: '3000' }, { step: 4, symbol: 'ETHUSDT', movePercent: -10 }]);
    ex.step();
    expect(ex.market('ETHUSDT').mark.toFixed()).toBe('3500');
    ex.step();
    expect(ex.market('ETHUSDT').mark.toFixed()).toBe('3000');
    ex.step(2);
    expect(ex.market('ETHUSDT').mark.toFixed()).toBe('2700');
    ex.replay('ETHUSDT', ['2650.00', '2600.00']);
    ex.step(2);
    expect(ex.market('ETHUSDT').last.toFixed()).toBe('2600');
  });

  it('advance(ms) moves a manual clock and takes one step per stepMs', () => {
    const clock = new ManualClock(0);
    const ex = new SimExchange({ clock, seed: 5, stepMs: 1000 });
    ex.advance(2500);
    expect(clock.now()).toBe(2500);
    expect(ex.path.stepIndex).toBe(2);
    ex.advance(500);
    expect(ex.path.stepIndex).toBe(3);
  });

  it('builds klines from the recorded path', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const ex = new SimExchange({ clock, seed: 3 });
    ex.freeze();
    ex.setMark('BTCUSDT', '95100');
    clock.advance(30_000);
    ex.setMark('BTCUSDT', '94900');
    clock.advance(40_000);
    ex.setMark('BTCUSDT', '95050');
    const rows = ex.call('GET', '/fapi/v1/klines', { symbol: 'BTCUSDT', interval: '1m', limit: '2' }) as unknown[][];
    expect(rows).toHaveLength(2);
    expect(rows[0]!.slice(1, 5)).toEqual(['95100', '95100', '94900', '94900']);
    expect(rows[1]!.slice(1, 5)).toEqual(['94900', '95050', '94900', '95050']);
  });
});
