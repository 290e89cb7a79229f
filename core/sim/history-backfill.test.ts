import { describe, expect, it } from 'vitest';
import { klinesBody } from './market-data.ts';
import { SimExchange } from './sim-exchange.ts';

const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);
const clock = { now: () => NOW };
const closes = (sim: SimExchange, symbol: string) => (klinesBody(sim.state, { symbol, interval: '1h', limit: '200' }) as string[][]).map((k) => k[4]);

describe('history backfill', () => {
  it('gives a fresh simulator a moving, deterministic past that ends at the current price', () => {
    const a = new SimExchange({ clock, seed: 3, history: { days: 8 } });
    const b = new SimExchange({ clock, seed: 3, history: { days: 8 } });
    const eth = closes(a, 'ETHUSDT');
    expect(eth).toHaveLength(200);
    expect(new Set(eth).size).toBeGreaterThan(150);
    expect(closes(b, 'ETHUSDT')).toEqual(eth);
    expect(closes(new SimExchange({ clock, seed: 4, history: { days: 8 } }), 'ETHUSDT')).not.toEqual(eth);
    expect(a.market('ETHUSDT').history.at(-1)![0]).toBe(NOW - 15 * 60_000);
    expect(a.market('ETHUSDT').last.toString()).toBe(new SimExchange({ clock, seed: 3 }).market('ETHUSDT').last.toString());
  });

  it('leaves the past flat without the option', () => {
    expect(new Set(closes(new SimExchange({ clock, seed: 3 }), 'ETHUSDT')).size).toBe(1);
  });
});
