// Builders, mappers and reads together over the in-memory store with the trading unique keys.
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryStepStore } from '../adapters/memory/memory-step-store.ts';
import { ConditionFailedError } from '../steps/step-store.port.ts';
import { insertAccount, setTradingEnabled } from './account.ts';
import { applyRowEffects } from './apply-row-effects.ts';
import { blockSymbol, recordLeverageBrackets, recordMarkPrice, setSymbolFlags, symbolFilters, upsertExchangeSymbol } from './exchange-symbol.ts';
import { sampleAccount, sampleSymbolInfo } from './fixtures.ts';
import { insertOrder, markFillApplied, recordPlacement } from './order-effects.ts';
import { insertPosition, movePosition } from './position-effects.ts';
import {
  eligibleSymbols, findOrderByClientId, getAccount, getPosition, getPositionByUuid, getSymbol, listOrders, listPositions, openPositionsFor,
  ordersOf, staleMarkPricesOf, tradingAccounts, unappliedFills,
} from './reads.ts';
import { TRADING_UNIQUE_KEYS } from './tables.ts';
import type { InsertEffect, UpdateEffect } from '../steps/effects.ts';

const T = 1_767_225_600_000;
let store: MemoryStepStore;
const apply = (...effects: (InsertEffect | UpdateEffect)[]) => store.transaction((tx) => applyRowEffects(tx, effects));

beforeEach(async () => {
  store = new MemoryStepStore({ uniqueKeys: TRADING_UNIQUE_KEYS });
  await apply(insertAccount(sampleAccount('main', { settings: { LONG: { slots: 3, margin: '25.5' } } }), T), insertAccount(sampleAccount('idle', { tradingEnabled: false }), T));
});

describe('accounts', () => {
  it('reads settings per direction, defaults filled in, and finds accounts with trading on', async () => {
    const account = (await getAccount(store, 1))!;
    expect(account).toMatchObject({ name: 'main', exchange: 'binance', tradingEnabled: true, positionMode: 'one-way', marginType: 'ISOLATED', minBalance: '0' });
    expect(account.settings.LONG).toEqual({ slots: 3, leverage: 5, margin: '25.5', profitPct: '0.5', stopPct: '2', gapPct: '2', rungMultiplier: '2', rungs: 4 });
    expect(account.settings.SHORT.slots).toBe(1);
    expect((await tradingAccounts(store)).map((a) => a.name)).toEqual(['main']);
    await apply(setTradingEnabled(1, false, T + 1));
    expect(await tradingAccounts(store)).toEqual([]);
    expect(() => insertAccount(sampleAccount('bad', { settings: { SHORT: { leverage: 0 } } }), T)).toThrow(/short leverage must be a whole number ≥ 1/);
    expect(() => insertAccount(sampleAccount('bad', { settings: { LONG: { gapPct: '0' } } }), T)).toThrow(/gapPct must be positive/);
  });
});

describe('exchange symbols', () => {
  it('upserts filters without touching the switches, and offers only eligible, unblocked, trading symbols', async () => {
    for (const s of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'XRPUSDT']) await apply(...upsertExchangeSymbol(sampleSymbolInfo(s), T));
    await apply(
      setSymbolFlags('BTCUSDT', { direction: 'LONG', isEligible: true }, T), setSymbolFlags('ETHUSDT', { direction: 'LONG', isEligible: true }, T),
      setSymbolFlags('SOLUSDT', { direction: 'LONG', isEligible: false }, T), setSymbolFlags('XRPUSDT', { direction: 'SHORT', isEligible: true }, T),
    );
    await apply(blockSymbol('ETHUSDT', 'cancel could not prove the exchange clear', T + 1));
    expect((await eligibleSymbols(store, 'LONG')).map((s) => s.symbol)).toEqual(['BTCUSDT']);
    expect((await eligibleSymbols(store, 'SHORT')).map((s) => s.symbol)).toEqual(['XRPUSDT']);

    // A refresh from exchange info (new tick size, symbol halted) keeps direction and eligibility.
    await apply(...upsertExchangeSymbol({ ...sampleSymbolInfo('BTCUSDT', { tickSize: '0.5' }), status: 'SETTLING' }, T + 2));
    const btc = (await getSymbol(store, 'BTCUSDT'))!;
    expect(btc).toMatchObject({ status: 'SETTLING', tickSize: '0.5', direction: 'LONG', isEligible: true, isBlocked: false, createdAt: T, updatedAt: T + 2 });
    expect(await eligibleSymbols(store, 'LONG')).toEqual([]);
    expect(symbolFilters(btc)).toEqual({
      tickSize: '0.5', minPrice: '556.8', maxPrice: '4529764', stepSize: '0.001', minQty: '0.001', maxQty: '1000', marketStepSize: '0.001',
      marketMinQty: '0.001', marketMaxQty: '120', minNotional: '100', percentPrice: { multiplierUp: '1.05', multiplierDown: '0.95' },
    });
    expect(await getSymbol(store, 'ETHUSDT')).toMatchObject({ isBlocked: true, blockReason: 'cancel could not prove the exchange clear', blockedAt: T + 1 });
    await apply(setSymbolFlags('ETHUSDT', { block: null, direction: null }, T + 3));
    expect(await getSymbol(store, 'ETHUSDT')).toMatchObject({ isBlocked: false, blockReason: null, blockedAt: null, direction: null });

    await apply(recordMarkPrice('BTCUSDT', '60123.4', T + 4), recordLeverageBrackets('BTCUSDT', [{ bracket: 1, initialLeverage: 125, notionalCap: '50000', notionalFloor: '0', maintMarginRatio: '0.004', cum: '0' }], T + 4));
    expect(await getSymbol(store, 'BTCUSDT')).toMatchObject({ markPrice: '60123.4', markPriceAt: T + 4, leverageBrackets: [{ initialLeverage: 125, notionalCap: '50000' }] });
    await expect(apply(setSymbolFlags('NOPEUSDT', { isEligible: true }, T))).rejects.toBeInstanceOf(ConditionFailedError);
  });
});

describe('positions and orders', () => {
  it('reads open positions, orders in creation order, client ids and unapplied fills', async () => {
    const account = (await getAccount(store, 1))!;
    await apply(insertPosition({ uuid: 'p-1', account, symbol: 'BTCUSDT', direction: 'LONG' }, T), insertPosition({ uuid: 'p-2', account, symbol: 'ETHUSDT', direction: 'SHORT' }, T));
    const p1 = (await getPositionByUuid(store, 'p-1'))!;
    expect(p1).toMatchObject({ id: 1, status: 'new', direction: 'LONG', margin: '25.5', rungs: 4, worstCaseLoss: null });
    expect(await getPosition(store, 99)).toBeNull();

    const entry = insertOrder({ positionId: p1.id, accountId: 1, symbol: 'BTCUSDT', role: 'entry', isAlgo: false, type: 'MARKET', side: 'BUY', quantity: '0.004' }, T);
    const rung = insertOrder({ positionId: p1.id, accountId: 1, symbol: 'BTCUSDT', role: 'rung', rung: 1, isAlgo: false, type: 'LIMIT', side: 'BUY', price: '58800', quantity: '0.008' }, T);
    expect(await apply(entry.effect, rung.effect, entry.effect)).toEqual([1, 1, 0]);
    await apply(recordPlacement(rung.clientOrderId, { exchangeOrderId: '9', status: 'filled', exchangeStatus: 'FILLED', executedQty: '0.008', avgPrice: '58800', updatedAt: T }, { at: T }));
    expect((await ordersOf(store, p1.id)).map((o) => o.role)).toEqual(['entry', 'rung']);
    expect(await findOrderByClientId(store, rung.clientOrderId)).toMatchObject({ exchangeOrderId: '9', status: 'filled', executedQty: '0.008', quantity: '0.008', price: '58800' });
    expect((await unappliedFills(store, p1.id)).map((o) => o.clientOrderId)).toEqual([rung.clientOrderId]);
    await apply(markFillApplied(2, T + 1), markFillApplied(2, T + 2));
    expect(await unappliedFills(store, p1.id)).toEqual([]);
    expect((await findOrderByClientId(store, rung.clientOrderId))!.fillAppliedAt).toBe(T + 1);
    expect((await listOrders(store)).map((o) => o.id)).toEqual([2, 1]);
    expect((await listOrders(store, { positionId: p1.id })).map((o) => o.id)).toEqual([1, 2]);

    await apply(movePosition(2, 'new', 'cancelling', { at: T }), movePosition(2, 'cancelling', 'cancelled', { at: T + 1 }));
    expect((await openPositionsFor(store, 1)).map((p) => p.uuid)).toEqual(['p-1']);
    expect((await listPositions(store, { status: 'open' })).map((p) => p.uuid)).toEqual(['p-1']);
    expect((await listPositions(store, { status: 'cancelled' }))[0]).toMatchObject({ uuid: 'p-2', closedAt: T + 1 });
    expect((await listPositions(store, { accountId: 1 })).map((p) => p.id)).toEqual([2, 1]);
  });
});

describe('stale mark prices', () => {
  it('names the open positions\' symbols whose mark is older than the bound or was never recorded', async () => {
    const account = (await getAccount(store, 1))!;
    await apply(...['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'].flatMap((s) => upsertExchangeSymbol(sampleSymbolInfo(s), T)));
    await apply(
      insertPosition({ uuid: 'btc', account, symbol: 'BTCUSDT', direction: 'LONG' }, T), insertPosition({ uuid: 'eth', account, symbol: 'ETHUSDT', direction: 'LONG' }, T),
      insertPosition({ uuid: 'sol', account, symbol: 'SOLUSDT', direction: 'SHORT' }, T),
      insertPosition({ uuid: 'bnb', account, symbol: 'BNBUSDT', direction: 'SHORT' }, T),
      recordMarkPrice('BTCUSDT', '95000', T + 10_000), recordMarkPrice('ETHUSDT', '3500', T + 1_000), recordMarkPrice('BNBUSDT', '650', T),
    );
    // BNB's position is over: its stale mark pages no one.
    const bnb = (await getPositionByUuid(store, 'bnb'))!.id;
    await apply(movePosition(bnb, 'new', 'cancelling', { at: T }), movePosition(bnb, 'cancelling', 'cancelled', { at: T + 1 }));
    expect(await staleMarkPricesOf(store, T + 5_000)).toEqual([{ symbol: 'ETHUSDT', markPriceAt: T + 1_000 }, { symbol: 'SOLUSDT', markPriceAt: null }]);
    expect(await staleMarkPricesOf(store, T + 1_000)).toEqual([{ symbol: 'SOLUSDT', markPriceAt: null }]);
  });
});
