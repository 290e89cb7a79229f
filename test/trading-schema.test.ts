// The trading schema's guarantees, one suite run on MariaDB (0002_trading.sql) and on the in-memory
// store with TRADING_UNIQUE_KEYS, so the embedded mode cannot drift from production: the open-pair
// guard, idempotent order rows, exact decimals, conditional moves. Then what only SQL enforces.
import type { Pool } from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStepStore } from '../core/adapters/memory/memory-step-store.ts';
import type { InsertEffect, UpdateEffect } from '../core/steps/effects.ts';
import { ConditionFailedError, DuplicateKeyError, type StepStore } from '../core/steps/step-store.port.ts';
import {
  applyRowEffects, findOrderByClientId, getAccount, getPositionByUuid, getSymbol, insertAccount, insertOrder, insertPosition, listPositions,
  movePosition, openPositionsFor, patchPosition, queueNotification, recordExchangeEvent, recordPlacement, TABLES, toExchangeEvent, toNotification,
  TRADING_UNIQUE_KEYS, upsertExchangeSymbol, type AccountRow, type Direction,
} from '../core/trading/index.ts';
import { sampleAccount, sampleSymbolInfo } from '../core/trading/fixtures.ts';
import { createMySqlPool } from '../edge/adapters/mysql/mysql-pool.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';

const T = 1_767_225_600_000;
type Make = () => Promise<{ store: StepStore; cleanup(): Promise<void> }>;

function tradingSchemaContract(name: string, make: Make): void {
  describe(`trading schema: ${name}`, () => {
    let store: StepStore;
    let cleanup: () => Promise<void>;
    let alice: AccountRow;
    let bob: AccountRow;
    const apply = (...effects: (InsertEffect | UpdateEffect)[]) => store.transaction((tx) => applyRowEffects(tx, effects));
    const open = (uuid: string, account: AccountRow, symbol: string, direction: Direction) => apply(insertPosition({ uuid, account, symbol, direction }, T));
    const closeOut = async (uuid: string) => {
      const p = (await getPositionByUuid(store, uuid))!;
      await apply(movePosition(p.id, p.status, 'cancelling', { at: T }), movePosition(p.id, 'cancelling', 'cancelled', { at: T + 1 }));
    };

    beforeEach(async () => {
      ({ store, cleanup } = await make());
      await apply(insertAccount(sampleAccount('alice'), T), insertAccount(sampleAccount('bob'), T));
      const [a, b] = await store.findRows(TABLES.accounts, {}, { orderBy: 'name' });
      alice = (await getAccount(store, Number(a!.id)))!;
      bob = (await getAccount(store, Number(b!.id)))!;
      return () => cleanup();
    });

    it('refuses a second open position on one account and symbol, in either direction', async () => {
      expect(await open('p-1', alice, 'BTCUSDT', 'LONG')).toEqual([1]);
      // Same pair, same side: the idempotent insert is a no-op and the row never appears.
      expect(await open('p-2', alice, 'BTCUSDT', 'LONG')).toEqual([0]);
      expect(await getPositionByUuid(store, 'p-2')).toBeNull();
      // trading.md: one open position per pair whatever the direction.
      expect(await open('p-3', alice, 'BTCUSDT', 'SHORT')).toEqual([0]);
      const strict = insertPosition({ uuid: 'p-4', account: alice, symbol: 'BTCUSDT', direction: 'LONG' }, T);
      await expect(store.transaction((tx) => tx.insertRow(strict.table, strict.row))).rejects.toBeInstanceOf(DuplicateKeyError);
      // Other accounts and other symbols are independent.
      expect(await open('p-5', bob, 'BTCUSDT', 'LONG')).toEqual([1]);
      expect(await open('p-6', alice, 'ETHUSDT', 'LONG')).toEqual([1]);
      expect((await openPositionsFor(store, alice.id)).map((p) => p.uuid)).toEqual(['p-1', 'p-6']);
    });

    it('allows a new open position once the previous one is settled, and keeps any number of settled ones', async () => {
      await open('p-1', alice, 'BTCUSDT', 'LONG');
      await closeOut('p-1');
      expect(await open('p-2', alice, 'BTCUSDT', 'LONG')).toEqual([1]);
      await closeOut('p-2');
      expect(await open('p-3', alice, 'BTCUSDT', 'SHORT')).toEqual([1]);
      expect((await listPositions(store, { accountId: alice.id })).map((p) => [p.uuid, p.status])).toEqual([
        ['p-3', 'new'], ['p-2', 'cancelled'], ['p-1', 'cancelled'],
      ]);
    });

    it('keeps client order ids unique: a retried insert is a no-op and the first intent stays', async () => {
      await open('p-1', alice, 'BTCUSDT', 'LONG');
      const p = (await getPositionByUuid(store, 'p-1'))!;
      const draft = { positionId: p.id, accountId: alice.id, symbol: 'BTCUSDT', role: 'rung' as const, rung: 1, isAlgo: false, type: 'LIMIT', side: 'BUY' as const, price: '58800', quantity: '0.008' };
      const first = insertOrder(draft, T);
      expect(await apply(first.effect)).toEqual([1]);
      expect(await apply(insertOrder({ ...draft, price: '58000' }, T + 1).effect)).toEqual([0]);
      await expect(store.transaction((tx) => tx.insertRow(first.effect.table, first.effect.row))).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await store.findRows(TABLES.orders, { client_order_id: first.clientOrderId })).toHaveLength(1);
      expect(await findOrderByClientId(store, first.clientOrderId)).toMatchObject({ price: '58800', status: 'pending', exchangeOrderId: null, createdAt: T });

      // The placement is recorded once; a second run finds the exchange id and its write matches nothing.
      const echo = { exchangeOrderId: '8001', status: 'working' as const, exchangeStatus: 'NEW', price: '58800', quantity: '0.008', executedQty: '0', updatedAt: T };
      expect(await apply(recordPlacement(first.clientOrderId, echo, { at: T }))).toEqual([1]);
      await expect(apply(recordPlacement(first.clientOrderId, { ...echo, exchangeOrderId: '8002' }, { at: T }))).rejects.toBeInstanceOf(ConditionFailedError);
      expect((await findOrderByClientId(store, first.clientOrderId))!.exchangeOrderId).toBe('8001');
    });

    it('round-trips decimal strings exactly', async () => {
      await open('p-1', alice, 'BTCUSDT', 'LONG');
      const p = (await getPositionByUuid(store, 'p-1'))!;
      const values = { quantity: '0.00000001', openingPrice: '123456789.123456789', breakEvenPrice: '0.000000000000000001', pnl: '-999999999999999999.999999999999999999', closingPrice: '10' };
      await apply(patchPosition(p.id, 'new', { at: T, set: values }));
      expect(await getPositionByUuid(store, 'p-1')).toMatchObject(values);
      await apply(...upsertExchangeSymbol(sampleSymbolInfo('PEPEUSDT', { tickSize: '0.0000001', stepSize: '1', minQty: '1', maxQty: '80000000000', minNotional: '5' }), T));
      expect(await getSymbol(store, 'PEPEUSDT')).toMatchObject({ tickSize: '0.0000001', maxQty: '80000000000', minNotional: '5', percentUp: '1.05' });
    });

    it('applies a status move only from the status it names, rolling back the whole write on a miss', async () => {
      await open('p-1', alice, 'BTCUSDT', 'LONG');
      const p = (await getPositionByUuid(store, 'p-1'))!;
      await apply(movePosition(p.id, 'new', 'opening', { at: T }));
      const stale = movePosition(p.id, 'new', 'opening', { at: T + 1, set: { leverage: 9 } });
      const alsoWritten = patchPosition(p.id, 'opening', { at: T + 1, set: { margin: '99' } });
      await expect(apply(alsoWritten, stale)).rejects.toBeInstanceOf(ConditionFailedError);
      expect(await getPositionByUuid(store, 'p-1')).toMatchObject({ status: 'opening', margin: '10', leverage: null, updatedAt: T });
      expect(await apply(movePosition(p.id, 'new', 'cancelling', { at: T, required: false }))).toEqual([0]);
    });

    it('refuses a second account with the same exchange and name', async () => {
      await expect(apply(insertAccount(sampleAccount('alice'), T))).rejects.toBeInstanceOf(DuplicateKeyError);
      await apply(insertAccount(sampleAccount('alice', { exchange: 'sim' }), T));
    });

    it('stores raw exchange payloads and notifications as JSON and text', async () => {
      const payload = { e: 'ORDER_TRADE_UPDATE', o: { c: 'k-1-en', L: '60000.10', q: '0.004' } };
      await apply(
        recordExchangeEvent({ accountId: alice.id, source: 'ws', eventType: 'ORDER_TRADE_UPDATE', symbol: 'BTCUSDT', clientOrderId: 'k-1-en', eventTime: T - 5, payload, receivedAt: T }),
        queueNotification({ subject: 'position 1 failed', message: 'residual 0.004 BTCUSDT', severity: 'critical', throttleKey: 'failed:1', positionId: 1 }, T),
      );
      const [event] = await store.findRows(TABLES.exchangeEvents, { account_id: alice.id });
      expect(toExchangeEvent(event!)).toMatchObject({ source: 'ws', eventTime: T - 5, payload });
      const [note] = await store.findRows(TABLES.notifications, { sent_at: null });
      expect(toNotification(note!)).toMatchObject({ severity: 'critical', throttleKey: 'failed:1', positionId: 1, accountId: null, sentAt: null });
    });
  });
}

tradingSchemaContract('in-memory', async () => ({ store: new MemoryStepStore({ uniqueKeys: TRADING_UNIQUE_KEYS }), cleanup: async () => undefined }));

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
// TRUNCATE resets auto-increment, so both stores hand out the same ids from the same start.
const wipe = async () => {
  for (const table of Object.values(TABLES)) await admin.query(`TRUNCATE TABLE ${table}`);
};

tradingSchemaContract('MariaDB', async () => {
  await wipe();
  const store = await openMySqlStepStore(db.url);
  return { store, cleanup: () => store.close() };
});

describe('trading schema: what only MariaDB enforces', () => {
  beforeEach(wipe);

  it('refuses a status write that forgets the is_open guard (ck_is_open)', async () => {
    const store = await openMySqlStepStore(db.url);
    try {
      await store.transaction((tx) => applyRowEffects(tx, [insertAccount(sampleAccount('carol'), T)]));
      const carol = (await store.findRows(TABLES.accounts, {}))[0]!;
      const account = (await getAccount(store, Number(carol.id)))!;
      await store.transaction((tx) => applyRowEffects(tx, [insertPosition({ uuid: 'p-1', account, symbol: 'BTCUSDT', direction: 'LONG' }, T)]));
      await expect(store.transaction((tx) => tx.updateRows(TABLES.positions, { uuid: 'p-1' }, { status: 'cancelled' }))).rejects.toThrow(/ck_is_open/);
      await expect(store.transaction((tx) => tx.updateRows(TABLES.positions, { uuid: 'p-1' }, { is_open: null }))).rejects.toThrow(/ck_is_open/);
      expect(await getPositionByUuid(store, 'p-1')).toMatchObject({ status: 'new' });
    } finally {
      await store.close();
    }
  });

  it('declares money columns DECIMAL(36,18), never FLOAT or DOUBLE', async () => {
    const [columns] = await admin.query(
      `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, COLUMN_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?)`,
      [Object.values(TABLES)],
    ) as unknown as [{ t: string; c: string; type: string }[]];
    expect(columns.filter((c) => /float|double|real/i.test(c.type))).toEqual([]);
    const decimals = columns.filter((c) => c.type.startsWith('decimal'));
    expect(decimals.length).toBeGreaterThan(30);
    expect(new Set(decimals.map((c) => c.type))).toEqual(new Set(['decimal(36,18)']));
  });
});
