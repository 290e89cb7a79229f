import { describe, expect, it } from 'vitest';
import { applyReplayPoints, candlePath, intraCandlePath } from './candle-replay.ts';
import { SimExchange } from './sim-exchange.ts';
import { ManualClock } from '../ports/clock.ts';
import { DEFAULT_SYMBOLS } from './symbols.ts';

describe('the intra-candle rule', () => {
  const c = (open: string, high: string, low: string, close: string) => ({ openTime: 0, open, high, low, close });
  it('walks open → nearer extreme → farther extreme → close at quarter intervals', () => {
    expect(intraCandlePath('X', c('10', '10.2', '9', '9.5'), 300_000)).toEqual([
      { time: 0, symbol: 'X', price: '10' }, { time: 75_000, symbol: 'X', price: '10.2' },
      { time: 150_000, symbol: 'X', price: '9' }, { time: 225_000, symbol: 'X', price: '9.5' },
    ]);
    expect(intraCandlePath('X', c('10', '11', '9.9', '10.5'), 60_000).map((p) => p.price)).toEqual(['10', '9.9', '11', '10.5']);
    // A tie goes to the low first.
    expect(intraCandlePath('X', c('10', '11', '9', '10'), 60_000).map((p) => p.price)).toEqual(['10', '9', '11', '10']);
  });

  it('merges symbols in time order and moves the simulator through the replay seam', () => {
    const path = candlePath({ A: [c('1', '2', '1', '2')], B: [c('3', '3', '2', '2')] }, 4);
    expect(path.map((p) => `${p.time}${p.symbol}${p.price}`)).toEqual(['0A1', '0B3', '1A1', '1B3', '2A2', '2B2', '3A2', '3B2']);
    const sim = new SimExchange({ clock: new ManualClock(0), symbols: DEFAULT_SYMBOLS.filter((s) => s.symbol === 'XRPUSDT').map((s) => ({ ...s, price: '1.2000' })) });
    sim.freeze();
    applyReplayPoints(sim, [{ time: 0, symbol: 'XRPUSDT', price: '1.1893' }]);
    expect(sim.market('XRPUSDT').last.toString()).toBe('1.1893');
    // Frozen: a step with nothing queued leaves the price where it was.
    sim.step();
    expect(sim.market('XRPUSDT').mark.toString()).toBe('1.1893');
  });
});
