// The market schema (0004_market.sql) behind the stores' reads and effect builders, run on MariaDB
// and on the in-memory store with MARKET_UNIQUE_KEYS, so both read back the same values.
import type { Pool } from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStepStore } from '../core/adapters/memory/memory-step-store.ts';
import {
  cooldownWrites, klineInserts, latestShock, latestSnapshot, MARKET_TABLES, MARKET_UNIQUE_KEYS, newOverride, overrideInsert, readCooldown,
  readRegimeState, recentCandles, recentOverrides, regimeScore, shockInsert, snapshotInserts,
} from '../core/market/index.ts';
import type { Effect, InsertEffect, UpdateEffect } from '../core/steps/effects.ts';
import type { StepStore } from '../core/steps/step-store.port.ts';
import { applyRowEffects } from '../core/trading/index.ts';
import { createMySqlPool } from '../edge/adapters/mysql/mysql-pool.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';

const T = Date.UTC(2026, 2, 3, 10, 50);
const HOUR = 3_600_000;
type Make = () => Promise<{ store: StepStore; cleanup(): Promise<void> }>;

const kline = (openTime: number, close: string) => ({
  openTime, closeTime: openTime + HOUR - 1, open: '95000.1', high: '96000', low: '94000.25', close, volume: '1234.567',
  quoteVolume: '0', trades: 1, takerBuyBaseVolume: '0', takerBuyQuoteVolume: '0', raw: null,
});

function marketSchemaContract(name: string, make: Make): void {
  describe(`market schema: ${name}`, () => {
    let store: StepStore;
    let cleanup: () => Promise<void>;
    const apply = (effects: Effect[]) => store.transaction((tx) => applyRowEffects(tx, effects as (InsertEffect | UpdateEffect)[]));
    beforeEach(async () => {
      ({ store, cleanup } = await make());
      return () => cleanup();
    });

    it('stores closed klines once and reads the newest oldest-first', async () => {
      const ks = [kline(T - 4 * HOUR, '95100.5'), kline(T - 3 * HOUR, '95200'), kline(T - 2 * HOUR, '95300.75'), kline(T - HOUR + 60_000, '1')];
      expect(await apply(klineInserts('BTCUSDT', '1h', ks, T))).toEqual([1, 1, 1]);
      expect(await apply(klineInserts('BTCUSDT', '1h', ks, T))).toEqual([0, 0, 0]);
      const candles = await recentCandles(store, 'BTCUSDT', '1h', 2);
      expect(candles).toEqual([
        { openTime: T - 3 * HOUR, closeTime: T - 2 * HOUR - 1, open: 95000.1, high: 96000, low: 94000.25, close: 95200, volume: 1234.567 },
        { openTime: T - 2 * HOUR, closeTime: T - HOUR - 1, open: 95000.1, high: 96000, low: 94000.25, close: 95300.75, volume: 1234.567 },
      ]);
    });

    it('keeps one snapshot per hour with its signals, readings as written', async () => {
      const { score, signals } = regimeScore({ btc_drawdown: 12.3456789, btc_volatility: 1.5, breadth_falling: 0.5, downside_correlation: null, btc_dislocation: 4 });
      await apply(snapshotInserts({ periodAt: T - HOUR, computedAt: T, score, signals }));
      await apply(snapshotInserts({ periodAt: T - HOUR, computedAt: T + 1, score: 99, signals }));
      const s = (await latestSnapshot(store))!;
      expect(s).toMatchObject({ uuid: `regime-${T - HOUR}`, periodAt: T - HOUR, computedAt: T, score, band: 'Elevated' });
      expect(s.signals).toEqual(signals);
      expect(await store.findRows(MARKET_TABLES.signals, {})).toHaveLength(signals.length);
    });

    it('writes the cooldown row, audits overrides and records shocks', async () => {
      expect(await readCooldown(store)).toEqual({ armedAt: null, until: null, armedScore: null });
      await apply(cooldownWrites({ armedAt: T, until: T + 24 * HOUR, armedScore: 85.5 }, T));
      await apply(cooldownWrites({ armedAt: T + HOUR, until: T + 25 * HOUR, armedScore: 90 }, T + HOUR));
      expect(await readCooldown(store)).toEqual({ armedAt: T + HOUR, until: T + 25 * HOUR, armedScore: 90 });
      await apply([overrideInsert(newOverride({ mode: 'block', reason: 'manual hold', createdBy: 'ann', until: T + 2 * HOUR }, T))]);
      await apply([overrideInsert(newOverride({ mode: 'allow', reason: 'resume now', createdBy: 'bob', until: T + HOUR }, T + 60_000))]);
      expect((await recentOverrides(store)).map((o) => [o.createdBy, o.mode, o.until])).toEqual([['bob', 'allow', T + HOUR], ['ann', 'block', T + 2 * HOUR]]);
      await apply([shockInsert({ at: T, dropPercent: 3.25, symbols: 5 })]);
      expect(await latestShock(store)).toEqual({ at: T, dropPercent: 3.25, symbols: 5 });
      const state = await readRegimeState(store, T + 90 * 60_000);
      expect(state.override).toBeNull(); // bob's (the newest) has expired: ann's older block does not come back
    });
  });
}

marketSchemaContract('in-memory', async () => ({ store: new MemoryStepStore({ uniqueKeys: MARKET_UNIQUE_KEYS }), cleanup: async () => undefined }));

let db: TestDatabase;
let admin: Pool;
beforeAll(async () => {
  db = await freshDatabase();
  admin = createMySqlPool(db.url, { connectionLimit: 1 });
});
afterAll(async () => {
  await admin?.end();
  await db?.drop();
});

marketSchemaContract('MariaDB', async () => {
  for (const table of Object.values(MARKET_TABLES)) await admin.query(`TRUNCATE TABLE ${table}`);
  const store = await openMySqlStepStore(db.url, { connectionLimit: 2 });
  return { store, cleanup: () => store.close() };
});
