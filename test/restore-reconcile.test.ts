// The restore's reconciliation pass against the simulator, case by case: what it adopts, what it
// only reports, and that it sends nothing but reads to the exchange.
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryStepStore } from '../core/adapters/memory/memory-step-store.ts';
import type { ExchangePort } from '../core/exchange/exchange.port.ts';
import { ManualClock } from '../core/ports/clock.ts';
import { inProcessExchange } from '../core/sim/in-process-exchange.ts';
import { SimExchange } from '../core/sim/sim-exchange.ts';
import { applyRowEffects } from '../core/trading/apply-row-effects.ts';
import { importCredentialsKey } from '../core/trading/credentials.ts';
import { credentialDirectory } from '../core/trading/exchange-directory.ts';
import { insertOrder } from '../core/trading/order-effects.ts';
import { toOrder } from '../core/trading/order.ts';
import { seedPaperTrading } from '../core/trading/paper-seed.ts';
import { insertPosition } from '../core/trading/position-effects.ts';
import { toPosition } from '../core/trading/position.ts';
import { getAccount } from '../core/trading/reads.ts';
import { MARKET_UNIQUE_KEYS } from '../core/market/tables.ts';
import { TRADING_UNIQUE_KEYS } from '../core/trading/tables.ts';
import { reconcileRestoredFleet } from '../edge/backup/reconcile-restore.ts';

const creds = { apiKey: 'rk', secret: 'rs' };

describe('restore reconciliation', () => {
  let store: MemoryStepStore;
  let sim: SimExchange;
  let ex: ExchangePort;
  let clock: ManualClock;
  let key: CryptoKey;
  let accountId: number;
  const calls: string[] = [];

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 5, 12));
    sim = new SimExchange({ clock, accounts: [{ ...creds, balance: '1000000' }] });
    sim.freeze();
    ex = inProcessExchange(sim, creds, clock);
    store = new MemoryStepStore({ uniqueKeys: { ...TRADING_UNIQUE_KEYS, ...MARKET_UNIQUE_KEYS } });
    key = await importCredentialsKey(Buffer.alloc(32, 9).toString('base64'));
    accountId = await seedPaperTrading(store, ex, { key, now: clock.now(), directions: {}, account: { name: 'r', ...creds, tradingEnabled: false } });
    calls.length = 0;
  });

  const reconcile = () => reconcileRestoredFleet({
    store, now: () => clock.now(),
    exchanges: credentialDirectory(key, () => new Proxy(ex, { get: (t, name) => {
      const v = Reflect.get(t, name) as unknown;
      return typeof v === 'function' ? (...a: unknown[]) => {
        calls.push(String(name));
        return (v as (...x: unknown[]) => unknown).apply(t, a);
      } : v;
    } })),
  });

  it('adopts a missing order of an open position, and reports what it cannot adopt without touching it', async () => {
    // The books: position on ETHUSDT with its entry and first rung; the exchange has a second rung too.
    const account = (await getAccount(store, accountId))!;
    await store.transaction((tx) => applyRowEffects(tx, [insertPosition({ uuid: crypto.randomUUID(), account, symbol: 'ETHUSDT', direction: 'LONG' }, clock.now())]));
    const [booked] = (await store.findRows('positions', {})).map(toPosition);
    const pid = booked!.id;
    await ex.placeOrder({ symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '0.1', clientOrderId: `k-${pid}-en` });
    await ex.placeOrder({ symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price: '3300', clientOrderId: `k-${pid}-dca1` });
    await ex.placeOrder({ symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price: '3200', clientOrderId: `k-${pid}-dca2` });
    await store.transaction((tx) => applyRowEffects(tx, [
      insertOrder({ positionId: pid, accountId, symbol: 'ETHUSDT', role: 'entry', isAlgo: false, type: 'MARKET', side: 'BUY', quantity: '0.1' }, clock.now()).effect,
      insertOrder({ positionId: pid, accountId, symbol: 'ETHUSDT', role: 'rung', rung: 1, isAlgo: false, type: 'LIMIT', side: 'BUY', price: '3300', quantity: '0.1' }, clock.now()).effect,
    ]));
    // Position 60 of ours on the same pair: the books already hold the pair, so it is not adopted.
    await ex.placeOrder({ symbol: 'ETHUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price: '3700', reduceOnly: true, clientOrderId: 'k-60-tp' });
    // Position 61: a rung on a flat pair.
    await ex.placeOrder({ symbol: 'XRPUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '100', price: '2.2', clientOrderId: 'k-61-dca1' });
    // Manual exposure, no order of ours.
    await ex.placeOrder({ symbol: 'LTCUSDT', side: 'SELL', type: 'MARKET', quantity: '1', clientOrderId: 'manual-ltc' });
    const orderCount = sim.account('rk')!.orders.size;

    const report = await reconcile();
    const [a] = report.accounts;
    expect(a!.error).toBeUndefined();
    expect(a!.adoptedOrders).toEqual([{ positionId: pid, clientOrderId: `k-${pid}-dca2` }]);
    expect(a!.adoptedPositions).toEqual([]);
    expect(a!.unadopted).toEqual([
      { symbol: 'ETHUSDT', clientOrderIds: ['k-60-tp'], reason: expect.stringContaining(`the books hold position ${pid} open on ETHUSDT`) },
      { symbol: 'XRPUSDT', clientOrderIds: ['k-61-dca1'], reason: expect.stringContaining('no exposure on XRPUSDT') },
    ]);
    expect(a!.foreignPositions).toEqual([{ symbol: 'LTCUSDT', positionAmt: '-1' }]);
    expect(report.highestPositionId).toBe(61);

    const rung2 = (await store.findRows('orders', { client_order_id: `k-${pid}-dca2` })).map(toOrder)[0]!;
    expect(rung2).toMatchObject({ positionId: pid, role: 'rung', rung: 2, status: 'working', price: '3200', quantity: '0.1' });
    expect(rung2.exchangeOrderId).not.toBeNull();
    // Reads only, and nothing new on the exchange; the unadopted orders are still working.
    expect(new Set(calls)).toEqual(new Set(['getPositions', 'getOpenOrders', 'getOpenAlgoOrders']));
    expect(sim.account('rk')!.orders.size).toBe(orderCount);
    expect((await ex.getOpenOrders()).map((o) => o.clientOrderId).sort()).toEqual([`k-${pid}-dca1`, `k-${pid}-dca2`, 'k-60-tp', 'k-61-dca1'].sort());
  });

  it('refuses to adopt a position whose entry never filled', async () => {
    await ex.placeOrder({ symbol: 'BNBUSDT', side: 'BUY', type: 'MARKET', quantity: '1', clientOrderId: 'manual-bnb' });
    await ex.placeOrder({ symbol: 'BNBUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '700', reduceOnly: true, clientOrderId: 'k-70-tp' });
    const [a] = (await reconcile()).accounts;
    expect(a!.adoptedPositions).toEqual([]);
    expect(a!.unadopted).toEqual([{ symbol: 'BNBUSDT', clientOrderIds: ['k-70-tp'], reason: expect.stringContaining('the entry k-70-en is unknown to the exchange') }]);
    expect(await store.findRows('positions', {})).toEqual([]);
  });
});
