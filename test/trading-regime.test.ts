// Issue 6's embedded scenario: a scripted crash in the simulator's prices drives the market regime
// to Critical; new opens stop while the existing position keeps being managed (its stop closes
// it); an operator override re-allows opens. Real trading and market handlers, one engine, the
// in-memory store, the in-process simulator, one manual clock.
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../core/adapters/memory/memory-step-store.ts';
import { DEFAULT_BASKET, MARKET_UNIQUE_KEYS, newOverride, overrideInsert, readRegimeState } from '../core/market/index.ts';
import { applyRowEffects } from '../core/trading/apply-row-effects.ts';
import { TRADING_UNIQUE_KEYS } from '../core/trading/tables.ts';
import { startTradingHarness, type TradingHarness } from './support/trading-harness.ts';

const HOUR = 3_600_000;
let t: TradingHarness | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe('the market regime gates new opens (embedded)', () => {
  it('a crash goes Critical: no new opens, the open position is still managed, an override re-allows opens', async () => {
    t = await startTradingHarness({ store: new MemoryStepStore({ uniqueKeys: { ...TRADING_UNIQUE_KEYS, ...MARKET_UNIQUE_KEYS } }), queue: new MemoryQueue(), cleanup: async () => {} }, {
      market: true, directions: { ETHUSDT: 'LONG', BNBUSDT: 'LONG' }, settings: { LONG: { slots: 1, margin: '100' }, SHORT: { slots: 0 } },
      sim: { seed: 11, stepMs: 300_000 },
    });
    const h = t;
    // Three days of a seeded random walk, so token selection has returns to work with; then the
    // prices hold still unless the scenario moves them.
    h.sim.freeze(undefined, false);
    h.sim.advance(3 * 24 * HOUR);
    h.sim.freeze();
    const hourly = async () => {
      await h.start('market.klines.schedule', { interval: '1h' });
      await h.settle();
    };
    await hourly();
    await h.start('market.regime.compute');
    await h.settle();
    expect((await readRegimeState(h.store, h.clock.now())).snapshot!.band).toBe('Calm');

    await h.recordMarks();
    await h.start('trading.open-positions');
    await h.settle();
    const [first] = await h.positions();
    expect(first).toMatchObject({ status: 'active', regimeBand: 'Calm' });

    // Two hours of a crash across the reference basket.
    for (const pct of [-9, -9]) {
      for (const s of DEFAULT_BASKET) h.sim.movePercent(s, pct);
      h.sim.advance(HOUR);
      await h.settle({ maxAdvanceMs: 0 });
    }
    await hourly();
    await h.start('market.regime.compute');
    await h.settle();
    await h.start('market.regime.cooldown');
    await h.settle();
    const state = await readRegimeState(h.store, h.clock.now());
    expect(state.snapshot!.band).toBe('Critical');
    expect(state.cooldown.until).toBeGreaterThan(h.clock.now());

    // The existing position was managed through the crash: its rungs filled, its stop closed it.
    const managed = (await h.positions())[0]!;
    expect(managed.status).toBe('closed');
    expect((await h.orders(managed.id)).find((o) => o.role === 'stop')!.status).toBe('filled');

    // A free slot, but the regime says no.
    await h.recordMarks();
    await h.start('trading.open-positions');
    await h.settle();
    expect(await h.positions()).toHaveLength(1);
    const preflights = (await h.steps()).filter((s) => s.handler === 'trading.preflight').sort((a, b) => a.id - b.id);
    expect(preflights.at(-1)!.response).toMatchObject({ skipped: expect.stringContaining('regime:') });

    // The operator's override beats the cooldown.
    const override = newOverride({ mode: 'allow', reason: 'scenario: crash absorbed', createdBy: 'ops', until: h.clock.now() + 2 * HOUR }, h.clock.now());
    await h.store.transaction((tx) => applyRowEffects(tx, [overrideInsert(override)]));
    h.sim.advance(60_000);
    await h.recordMarks();
    await h.start('trading.open-positions');
    await h.settle();
    const positions = await h.positions();
    expect(positions).toHaveLength(2);
    expect(positions[1]).toMatchObject({ status: 'active' });
  }, 60_000);
});
