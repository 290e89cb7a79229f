import { describe, expect, it } from 'vitest';
import { MemoryStepStore } from '../../adapters/memory/memory-step-store.ts';
import type { Kline } from '../../exchange/exchange.port.ts';
import { cryptoIds } from '../../ports/ids.ts';
import { silentLogger } from '../../ports/logger.ts';
import type { InsertEffect, SpawnEffect } from '../../steps/effects.ts';
import { applyRowEffects } from '../../trading/apply-row-effects.ts';
import { setSymbolFlags, upsertExchangeSymbol } from '../../trading/exchange-symbol.ts';
import { sampleSymbolInfo } from '../../trading/fixtures.ts';
import { TRADING_UNIQUE_KEYS } from '../../trading/tables.ts';
import { klineInserts } from '../klines-store.ts';
import { MARKET_UNIQUE_KEYS } from '../tables.ts';
import type { MarketDeps } from './deps.ts';
import { firstRunHandler } from './first-run-steps.ts';

const HOUR = 3_600_000;
const NOW = 1_000 * HOUR + 20 * 60_000;
const handler = firstRunHandler({ basket: ['BTCUSDT'] } as unknown as MarketDeps);
const candle = (openTime: number): Kline => ({
  openTime, closeTime: openTime + HOUR - 1, open: '1', high: '1', low: '1', close: '1', volume: '1', quoteVolume: '1', trades: 1, takerBuyBaseVolume: '0', takerBuyQuoteVolume: '0', raw: null,
});

async function firstRun(store: MemoryStepStore) {
  const ctx = { clock: { now: () => NOW }, ids: cryptoIds, random: Math.random, log: silentLogger, rows: store, worker: 'test' };
  return handler.run({ args: {}, attempt: 1 } as never, ctx);
}
const write = (store: MemoryStepStore, effects: (InsertEffect | ReturnType<typeof setSymbolFlags>)[]) => store.transaction((tx) => applyRowEffects(tx, effects));

describe('market.first-run', () => {
  it('on an empty database refreshes symbols first, then fetches every interval', async () => {
    const store = new MemoryStepStore({ uniqueKeys: { ...TRADING_UNIQUE_KEYS, ...MARKET_UNIQUE_KEYS } });
    const r = await firstRun(store);
    expect(r.outcome).toEqual({ kind: 'complete', response: { symbols: true, klines: ['BTCUSDT'] } });
    expect((r.effects[0] as SpawnEffect).steps.map((s) => `${s.index} ${s.handler} ${JSON.stringify(s.args)}`)).toEqual([
      '1 market.symbols.refresh {"brackets":false}', '2 market.klines.schedule {"interval":"15m"}', '2 market.klines.schedule {"interval":"1h"}',
      '2 market.klines.schedule {"interval":"4h"}', '2 market.klines.schedule {"interval":"1d"}',
    ]);
  });

  it('with symbols but an approved symbol lacking fresh 1h klines fetches klines only; with everything fresh it skips', async () => {
    const store = new MemoryStepStore({ uniqueKeys: { ...TRADING_UNIQUE_KEYS, ...MARKET_UNIQUE_KEYS } });
    await write(store, [...upsertExchangeSymbol(sampleSymbolInfo('BTCUSDT'), 1), ...upsertExchangeSymbol(sampleSymbolInfo('ETHUSDT'), 1)]);
    await write(store, [setSymbolFlags('ETHUSDT', { isEligible: true }, 2), ...klineInserts('BTCUSDT', '1h', [candle(999 * HOUR)], NOW)]);
    const r = await firstRun(store);
    expect(r.outcome).toEqual({ kind: 'complete', response: { symbols: false, klines: ['ETHUSDT'] } });
    expect((r.effects[0] as SpawnEffect).steps.map((s) => s.handler)).toEqual(Array(4).fill('market.klines.schedule'));

    // A candle older than the eligibility budget (3 h) counts as missing.
    await write(store, klineInserts('ETHUSDT', '1h', [candle(995 * HOUR)], NOW));
    expect((await firstRun(store)).outcome).toMatchObject({ response: { klines: ['ETHUSDT'] } });
    await write(store, klineInserts('ETHUSDT', '1h', [candle(999 * HOUR)], NOW));
    expect((await firstRun(store)).outcome).toEqual({ kind: 'skip', reason: 'exchange symbols and fresh 1h klines are present' });
  });
});
