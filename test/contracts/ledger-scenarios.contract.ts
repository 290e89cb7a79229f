// The money-truth scenarios of issue 13 (the ledger), run against every runner: order rows merge
// forward whatever order their sources arrive in, and every position's books equal the exchange's.
import { afterEach, describe, expect, it } from 'vitest';
import type { ExchangePort, PlaceOrderRequest } from '../../core/exchange/exchange.port.ts';
import { compareDecimal, dec } from '../../core/exchange/precision.ts';
import { toOrder } from '../../core/trading/order.ts';
import { startTradingHarness, type TradingHarness, type TradingHarnessOptions, type TradingParts } from '../support/trading-harness.ts';
import { until } from '../support/wait-until.ts';

type Frame = Record<string, unknown> & { e?: unknown; o?: { c?: string; X?: string } };

/**
 * Bridges the simulator's frames into steps as the stream would, except those `lose` says were lost.
 * Returns the promises of the started steps so a test can wait for them.
 */
function bridgeFrames(t: TradingHarness, lose: (frame: Frame) => boolean): Promise<unknown>[] {
  const started: Promise<unknown>[] = [];
  t.sim.subscribe((e) => {
    if (e.kind !== 'user' || e.apiKey !== 'paper-key' || lose(e.frame as Frame)) return;
    started.push(t.engine.start([{ handler: 'trading.user-data-frame', args: { accountId: t.accountId, eventId: null, frame: e.frame } }], { set: 'trading' }));
  });
  return started;
}

/** The paper account's exchange, with `after` run once a placement was answered and before the answer is handed back. */
function onPlacement(t: () => TradingHarness, after: (request: PlaceOrderRequest) => Promise<void>): ExchangePort {
  return new Proxy({} as ExchangePort, {
    get(_target, key) {
      const ex = t().exchange;
      if (key === 'placeOrder') {
        return async (request: PlaceOrderRequest) => {
          const answer = await ex.placeOrder(request);
          await after(request);
          return answer;
        };
      }
      const value = Reflect.get(ex, key) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(ex) : value;
    },
  });
}

/** The ledger scenarios, over a fresh store and queue per test. */
export function ledgerScenarios(name: string, makeParts: () => Promise<TradingParts>): void {
  describe(`the ledger on ${name}`, () => {
    let h: TradingHarness | null = null;
    const begin = async (options: TradingHarnessOptions = {}) => (h = await startTradingHarness(await makeParts(), options));
    afterEach(async () => {
      await h?.close();
      h = null;
    });

    it('class 4: the entry\'s FILLED answer is kept although its NEW frame landed first and its FILLED frame was lost; WAP sizes the TP with it', async () => {
      let started: Promise<unknown>[] = [];
      const entryRow = async () => toOrder((await t.store.findRows('orders', { role: 'entry' }))[0]!);
      const t: TradingHarness = await begin({
        stream: false,
        deps: {
          exchanges: {
            forAccount: async () => onPlacement(() => t, async (request) => {
              if (!request.clientOrderId.endsWith('-en')) return;
              // The NEW frame is processed before the placement answer is recorded.
              await Promise.all(started);
              await until('the entry NEW frame applied', async () => (await entryRow()).status === 'working', 20_000);
            }),
          },
        },
      });
      started = bridgeFrames(t, (f) => f.e === 'ORDER_TRADE_UPDATE' && String(f.o?.c).endsWith('-en') && f.o?.X !== 'NEW');
      await t.start('trading.open-positions');
      await t.settle();
      await Promise.all(started);
      await t.settle();
      const [position] = await t.positions();
      expect(position!.status).toBe('active');
      const entry = await entryRow();
      expect(entry).toMatchObject({ status: 'filled', exchangeStatus: 'FILLED' });
      expect(compareDecimal(entry.executedQty!, position!.quantity!)).toBe(0);
      expect(compareDecimal(entry.avgPrice!, position!.openingPrice!)).toBe(0);

      // A rung fills: the take-profit covers the entry and the rung, all the exchange holds.
      const rung = (await t.orders(position!.id)).find((o) => o.rung === 1)!;
      t.sim.setMark('ETHUSDT', rung.price!);
      await t.settle();
      await Promise.all(started);
      await t.settle();
      const profit = (await t.orders(position!.id)).find((o) => o.role === 'profit')!;
      const [tp] = (await t.exchange.getOpenOrders('ETHUSDT')).filter((o) => o.clientOrderId === profit.clientOrderId);
      const held = (await t.exchange.getPositions('ETHUSDT')).reduce((s, l) => s.plus(l.positionAmt), dec(0));
      expect(compareDecimal(tp!.origQty, held.toString())).toBe(0);
      expect(compareDecimal(held.toString(), dec(position!.quantity!).plus(rung.quantity!).toString())).toBe(0);
    });
  });
}
