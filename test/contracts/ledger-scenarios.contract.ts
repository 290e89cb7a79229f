// The money-truth scenarios of issue 13 (the ledger), run against every runner: order rows merge
// forward whatever order their sources arrive in, and every position's books equal the exchange's.
import { afterEach, describe, expect, it } from 'vitest';
import type { ExchangePort, PlaceOrderRequest } from '../../core/exchange/exchange.port.ts';
import { compareDecimal, dec } from '../../core/exchange/precision.ts';
import { toOrder } from '../../core/trading/order.ts';
import type { PositionRow } from '../../core/trading/position.ts';
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

/** The exchange's own books for one symbol, read from the simulator's account (not through REST). */
function exchangeBooks(t: TradingHarness, symbol: string, exitSide: 'BUY' | 'SELL') {
  const account = t.sim.account('paper-key')!;
  const trades = account.trades.filter((x) => x.symbol === symbol);
  const exits = trades.filter((x) => x.side === exitSide);
  const sum = (values: { toString(): string }[]) => values.reduce((a: ReturnType<typeof dec>, v) => a.plus(v.toString()), dec(0));
  const gross = sum(trades.map((x) => x.realizedPnl));
  const fees = sum(trades.map((x) => x.commission));
  const funding = sum(account.funding.filter((f) => f.symbol === symbol).map((f) => f.amount));
  const exitQty = sum(exits.map((x) => x.qty));
  return {
    gross, fees, funding, net: gross.minus(fees).plus(funding),
    closingPrice: exitQty.isZero() ? null : sum(exits.map((x) => x.qty.times(x.price))).div(exitQty),
  };
}

/** Asserts that a settled position's ledger equals the exchange's books for its symbol. */
function expectBooksEqual(p: PositionRow, books: ReturnType<typeof exchangeBooks>): void {
  const eq = (ours: string | null, theirs: { toString(): string } | null, what: string) => {
    expect(ours, `${what} of position ${p.id}`).not.toBeNull();
    expect(compareDecimal(ours!, dec(theirs!.toString()).toDecimalPlaces(18).toString()), `${what} of position ${p.id}: ours ${ours}, exchange ${String(theirs)}`).toBe(0);
  };
  eq(p.closingPrice, books.closingPrice, 'closing price');
  eq(p.pnl, books.net, 'pnl');
  eq(p.grossPnl, books.gross, 'gross PnL');
  eq(p.fees, books.fees, 'fees');
  eq(p.funding, books.funding, 'funding');
  eq(p.netPnl, books.net, 'net PnL');
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

    /** Each filled row's commission beside the simulator's commission of that order's trades. */
    const feesOfFills = async (t: TradingHarness, positionId: number) => {
      const trades = t.sim.account('paper-key')!.trades;
      return (await t.orders(positionId)).filter((o) => compareDecimal(o.executedQty ?? 0, 0) > 0).map((o) => ({
        order: o.clientOrderId, ours: o.commission,
        exchange: trades.filter((x) => String(x.orderId) === o.exchangeOrderId).reduce((sum, x) => sum.plus(x.commission.toString()), dec(0)).toString(),
      }));
    };
    const expectFeesMatch = (fees: Awaited<ReturnType<typeof feesOfFills>>, fills: number) => {
      expect(fees).toHaveLength(fills);
      for (const f of fees) {
        expect(f.ours, `commission of ${f.order}`).not.toBeNull();
        expect(compareDecimal(f.ours!, f.exchange), `commission of ${f.order}: ours ${f.ours}, exchange ${f.exchange}`).toBe(0);
        expect(compareDecimal(f.exchange, 0), `the simulator charged ${f.order}`).toBe(1);
      }
    };
    /** Fills two rungs of an open position, one at a time. */
    const fillTwoRungs = async (t: TradingHarness, positionId: number, between: () => Promise<void>) => {
      for (const rung of [1, 2]) {
        t.sim.setMark('ETHUSDT', (await t.orders(positionId)).find((o) => o.rung === rung && o.replacement === 0)!.price!);
        await between();
      }
    };

    it('an open position shows each fill\'s fee from the stream\'s trade commission; after the close the ledger\'s fees are their sum', async () => {
      const t = await begin();
      const recorded: Frame[] = [];
      t.sim.subscribe((e) => {
        if (e.kind === 'user' && e.apiKey === 'paper-key') recorded.push(e.frame as Frame);
      });
      await t.start('trading.open-positions');
      await t.settle();
      const [position] = await t.positions();
      expect(position!.status).toBe('active');
      await fillTwoRungs(t, position!.id, () => t.settle());
      expect((await t.positions())[0]!.status).toBe('active');
      const open = await feesOfFills(t, position!.id);
      expectFeesMatch(open, 3);

      // A replayed frame (the stream reconnecting, a duplicate delivery) adds nothing.
      expect(t.sim.account('paper-key')!.trades).toHaveLength(3);
      for (const e of recorded.filter((f) => f.e === 'ORDER_TRADE_UPDATE' && (f.o as { x?: string } | undefined)?.x === 'TRADE')) {
        await t.engine.start([{ handler: 'trading.user-data-frame', args: { accountId: t.accountId, eventId: null, frame: e } }], { set: 'trading' });
      }
      await t.settle();
      expect(await feesOfFills(t, position!.id)).toEqual(open);

      // Closed by the operator where the second rung filled: the close's market order is the fourth fill.
      await t.start('trading.close.start', { position: position!.uuid, reason: 'operator' }, 'priority');
      await t.settle();
      const closed = (await t.positions())[0]!;
      expect(closed.status).toBe('closed');
      const after = await feesOfFills(t, closed.id);
      expectFeesMatch(after, 4);
      expect(after.slice(0, 3)).toEqual(open);
      const sum = after.reduce((total, f) => total.plus(f.ours!), dec(0));
      expect(compareDecimal(closed.fees!, sum.toString())).toBe(0);
      expectBooksEqual(closed, exchangeBooks(t, 'ETHUSDT', 'SELL'));
    });

    it('with no stream at all, the poll fills in each fill\'s fee from the order\'s trades', async () => {
      const t = await begin({ stream: false });
      await t.start('trading.open-positions');
      await t.settle();
      const [position] = await t.positions();
      expect(position!.status).toBe('active');
      const poll = async () => {
        await t.start('trading.sync-orders', { accountId: t.accountId }, 'orders');
        await t.settle();
      };
      await fillTwoRungs(t, position!.id, poll);
      await poll();
      expectFeesMatch(await feesOfFills(t, position!.id), 3);
    });

    it('class 1: a MARKET close whose answer has no average price, with no frame to tell it, books PnL and closing price equal to the exchange\'s', async () => {
      // No stream: the entry's and the close's fill prices are nowhere but on the exchange.
      const t = await begin({ stream: false });
      await t.start('trading.open-positions');
      await t.settle();
      const [position] = await t.positions();
      expect(position!.status).toBe('active');
      t.sim.setMark('ETHUSDT', dec(position!.openingPrice!).times('1.004').toDecimalPlaces(2).toString());
      await t.start('trading.close.start', { position: position!.uuid, reason: 'operator' }, 'priority');
      await t.settle();
      const closed = (await t.positions())[0]!;
      expect(closed.status).toBe('closed');
      expectBooksEqual(closed, exchangeBooks(t, 'ETHUSDT', 'SELL'));
      expect(closed.exitReason).toBe('operator');
      // Every fill on our rows carries the exchange's price, quantity and commission.
      for (const o of (await t.orders(closed.id)).filter((x) => compareDecimal(x.executedQty ?? 0, 0) > 0)) {
        expect(o.avgPrice, o.clientOrderId).not.toBeNull();
        expect(o.commission, o.clientOrderId).not.toBeNull();
      }
    });

    it('a position the exchange liquidated books the liquidation\'s fill as its exit, equal to the exchange\'s books', async () => {
      const t = await begin();
      await t.start('trading.open-positions');
      await t.settle();
      const [position] = await t.positions();
      expect(position!.status).toBe('active');
      // The exchange closes the position with its own order (Binance names them "autoclose-…").
      t.sim.setMark('ETHUSDT', dec(position!.openingPrice!).times('0.996').toDecimalPlaces(2).toString());
      t.sim.call('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'SELL', type: 'MARKET', quantity: position!.quantity!, reduceOnly: 'true', newClientOrderId: 'autoclose-1767614400000' }, 'paper-key');
      await t.settle();
      const closed = (await t.positions())[0]!;
      expect(closed.status).toBe('closed');
      expect(closed.exitReason).toBe('liquidation');
      expectBooksEqual(closed, exchangeBooks(t, 'ETHUSDT', 'SELL'));
      expect(compareDecimal(closed.grossPnl!, 0)).toBe(-1);
    });

    it('a paper run: every position\'s gross, fees, funding and net PnL, and their total, equal the exchange\'s trades and income history', async () => {
      // One price-path step a minute keeps eight simulated hours cheap; the clock crosses a funding time.
      const t = await begin({ directions: { ETHUSDT: 'LONG', BNBUSDT: 'SHORT' }, sim: { stepMs: 60_000 } });
      const wallet = t.sim.account('paper-key')!.wallet;
      await t.start('trading.open-positions');
      await t.settle();
      const opened = await t.positions();
      expect(opened.map((p) => [p.symbol, p.status]).sort()).toEqual([['BNBUSDT', 'active'], ['ETHUSDT', 'active']]);
      const eth = opened.find((p) => p.symbol === 'ETHUSDT')!;
      const bnb = opened.find((p) => p.symbol === 'BNBUSDT')!;

      // ETH: a rung fills, funding is charged (at a positive rate longs pay, shorts receive), then the take-profit fills.
      t.sim.setMark('ETHUSDT', (await t.orders(eth.id)).find((o) => o.rung === 1)!.price!);
      await t.settle();
      t.sim.advance(8 * 3600_000);
      await t.settle();
      const tp = (await t.exchange.getOpenOrders('ETHUSDT')).find((o) => o.clientOrderId.endsWith('-tp'))!;
      t.sim.setMark('ETHUSDT', tp.price);
      await t.settle();

      // BNB SHORT: the market gaps up through its rungs and its stop.
      const stop = (await t.orders(bnb.id)).find((o) => o.role === 'stop')!;
      t.sim.setMark('BNBUSDT', dec(stop.price!).times('1.002').toDecimalPlaces(2).toString());
      await t.settle();

      const closed = await t.positions();
      expect(closed.map((p) => [p.symbol, p.status, p.exitReason]).sort()).toEqual([['BNBUSDT', 'closed', 'stop-loss'], ['ETHUSDT', 'closed', 'take-profit']]);
      const ethBooks = exchangeBooks(t, 'ETHUSDT', 'SELL');
      const bnbBooks = exchangeBooks(t, 'BNBUSDT', 'BUY');
      expect(ethBooks.funding.isNegative()).toBe(true);
      expect(bnbBooks.funding.isNegative()).toBe(false);
      expect(bnbBooks.funding.isZero()).toBe(false);
      expectBooksEqual(closed.find((p) => p.symbol === 'ETHUSDT')!, ethBooks);
      expectBooksEqual(closed.find((p) => p.symbol === 'BNBUSDT')!, bnbBooks);
      // In total: what the positions say they made is what the wallet gained, and what the income history lists.
      const total = closed.reduce((sum, p) => sum.plus(p.netPnl!), dec(0));
      expect(total.toString()).toBe(t.sim.account('paper-key')!.wallet.minus(wallet).toString());
      const income = await t.exchange.getIncome({ limit: 1000 });
      expect(total.toString()).toBe(income.reduce((sum, r) => sum.plus(r.income), dec(0)).toString());
    });
  });
}
