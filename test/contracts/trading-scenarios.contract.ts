// The trading lifecycle's scenarios (trading.md, issue 4), run against every runner: the real
// handlers through the real engine against the deterministic simulator with scripted prices.
import { afterEach, describe, expect, it } from 'vitest';
import type { ExchangePort } from '../../core/exchange/exchange.port.ts';
import { compareDecimal, dec } from '../../core/exchange/precision.ts';
import { symbolFilters } from '../../core/trading/exchange-symbol.ts';
import { applyRowEffects } from '../../core/trading/apply-row-effects.ts';
import { pauseOpensInsert } from '../../core/trading/pause-opens.ts';
import { insertPosition } from '../../core/trading/position-effects.ts';
import { getAccount, getSymbol } from '../../core/trading/reads.ts';
import { openBlock, operatorClose } from '../../handlers/trading/blocks.ts';
import { operatorCancelOrder } from '../../handlers/trading/cancel-order.ts';
import { takeProfitFrom } from '../../handlers/trading/ladder.ts';
import { startTradingHarness, type TradingHarness, type TradingHarnessOptions, type TradingParts } from '../support/trading-harness.ts';

/** What the exchange holds for a symbol, keyed by client id. */
async function exchangeBook(ex: ExchangePort, symbol: string) {
  const [orders, algos, legs] = await Promise.all([ex.getOpenOrders(symbol), ex.getOpenAlgoOrders(symbol), ex.getPositions(symbol)]);
  return {
    orders: new Map(orders.map((o) => [o.clientOrderId, o])),
    algos: new Map(algos.map((a) => [a.clientAlgoId, a])),
    amount: legs.reduce((s, l) => s.plus(l.positionAmt), dec(0)).toString(),
    breakEven: legs[0]?.breakEvenPrice,
  };
}

/** The scenarios, over a fresh store and queue per test. */
export function tradingScenarios(name: string, makeParts: () => Promise<TradingParts>): void {
  describe(`trading lifecycle on ${name}`, () => {
    let h: TradingHarness | null = null;
    const begin = async (options: TradingHarnessOptions = {}) => (h = await startTradingHarness(await makeParts(), options));
    afterEach(async () => {
      await h?.close();
      h = null;
    });

    it('runs a full cycle: open with SL before TP, rungs fill, TP re-priced from break-even after each, TP fills, closed and clean', async () => {
      const t = await begin();
      await t.start('trading.open-positions');
      await t.settle();
      const [position] = await t.positions();
      expect(position).toMatchObject({ symbol: 'ETHUSDT', direction: 'LONG', status: 'active' });
      expect(position!.worstCaseLoss).not.toBeNull();
      const orders = await t.orders(position!.id);
      const byRole = (role: string) => orders.filter((o) => o.role === role);
      expect(byRole('entry')).toHaveLength(1);
      expect(byRole('entry')[0]!.status).toBe('filled');
      expect(byRole('rung')).toHaveLength(4);
      const stop = byRole('stop')[0]!;
      const profit = byRole('profit')[0]!;
      // The stop went out before the take-profit.
      expect(stop.exchangeUpdatedAt!).toBeLessThanOrEqual(profit.exchangeUpdatedAt!);
      expect(stop.id).toBeLessThan(profit.id);

      // The database matches the exchange, order for order.
      let book = await exchangeBook(t.exchange, 'ETHUSDT');
      expect([...book.orders.keys()].sort()).toEqual([...byRole('rung'), profit].map((o) => o.clientOrderId).sort());
      expect([...book.algos.keys()]).toEqual([stop.clientOrderId]);
      for (const o of [...byRole('rung'), profit]) {
        const ex = book.orders.get(o.clientOrderId)!;
        expect(compareDecimal(ex.price, o.price!)).toBe(0);
        expect(compareDecimal(ex.origQty, o.quantity!)).toBe(0);
        expect(o.exchangeOrderId).toBe(ex.orderId);
      }
      expect(compareDecimal(book.algos.get(stop.clientOrderId)!.triggerPrice, stop.price!)).toBe(0);

      const filters = symbolFilters((await getSymbol(t.store, 'ETHUSDT'))!);
      for (const rung of byRole('rung').slice(0, 2)) {
        t.sim.setMark('ETHUSDT', rung.price!);
        await t.settle();
        book = await exchangeBook(t.exchange, 'ETHUSDT');
        const tp = book.orders.get(profit.clientOrderId)!;
        expect(tp.price).toBe(takeProfitFrom('LONG', book.breakEven!, position!.profitPct, filters));
        expect(compareDecimal(tp.origQty, book.amount)).toBe(0);
        expect((await t.positions())[0]!.status).toBe('active');
      }
      const [r1, r2] = (await t.orders(position!.id)).filter((o) => o.role === 'rung');
      expect(r1!.fillAppliedAt).not.toBeNull();
      expect(r2!.fillAppliedAt).not.toBeNull();

      const tpPrice = (await exchangeBook(t.exchange, 'ETHUSDT')).orders.get(profit.clientOrderId)!.price;
      t.sim.setMark('ETHUSDT', tpPrice);
      await t.settle();
      const closed = (await t.positions())[0]!;
      expect(closed.status).toBe('closed');
      expect(closed.closingPrice).not.toBeNull();
      expect(compareDecimal(closed.pnl!, 0)).toBe(1);
      book = await exchangeBook(t.exchange, 'ETHUSDT');
      expect(book.orders.size + book.algos.size).toBe(0);
      expect(compareDecimal(book.amount, 0)).toBe(0);
      expect((await t.orders(position!.id)).every((o) => ['filled', 'cancelled', 'expired', 'rejected'].includes(o.status))).toBe(true);
    });

    it('places the stop right after the entry fills, before any rung and before the take-profit', async () => {
      const t = await begin();
      const placed: string[] = [];
      t.sim.subscribe((e) => {
        if (e.kind !== 'user') return;
        const o = e.frame.o as { c?: string; caid?: string; X?: string; x?: string } | undefined;
        if (e.frame.e === 'ORDER_TRADE_UPDATE' && o?.x === 'NEW') placed.push(o.c!.split('-').at(-1)!);
        if (e.frame.e === 'ALGO_UPDATE' && o?.X === 'NEW') placed.push(o.caid!.split('-').at(-1)!);
      });
      await t.start('trading.open-positions');
      await t.settle();
      expect((await t.positions())[0]!.status).toBe('active');
      // The unprotected window is the entry's fill to the stop: nothing is placed in between.
      expect(placed.slice(0, 2)).toEqual(['en', 'sl']);
      expect(placed.at(-1)).toBe('tp');
      expect(placed.slice(2, -1).sort()).toEqual(['dca1', 'dca2', 'dca3', 'dca4']);
    });

    /** Opens the default ETHUSDT LONG and returns it active with its orders. */
    const openOne = async (t: TradingHarness) => {
      await t.start('trading.open-positions');
      await t.settle();
      const [position] = await t.positions();
      expect(position!.status).toBe('active');
      return { position: position!, orders: await t.orders(position!.id) };
    };
    /** A market order of our own on the paper account, as a person on the exchange's UI would send it. */
    const manualClose = (t: TradingHarness, qty: string) =>
      t.sim.call('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'SELL', type: 'MARKET', quantity: qty, reduceOnly: 'true', newClientOrderId: 'web_manual1' }, 'paper-key');

    it('keeps a position protected when its take-profit fills milliseconds after entry, and ends closed', async () => {
      let sprung = false;
      const t = await begin({
        beforeStep: (handler) => {
          // The market runs through the take-profit the moment it rests, before activation.
          if (handler !== 'trading.open.activate' || sprung) return;
          sprung = true;
          void t.orders().then(() => undefined);
        },
      });
      t.sim.subscribe((e) => {
        if (sprung || e.kind !== 'user' || e.frame.e !== 'ORDER_TRADE_UPDATE') return;
        const o = e.frame.o as { c: string; X: string; p: string };
        if (o.c.endsWith('-tp') && o.X === 'NEW') {
          sprung = true;
          queueMicrotask(() => t.sim.setMark('ETHUSDT', o.p));
        }
      });
      await t.start('trading.open-positions');
      await t.settle();
      const [position] = await t.positions();
      const orders = await t.orders(position!.id);
      const stop = orders.find((o) => o.role === 'stop')!;
      const profit = orders.find((o) => o.role === 'profit')!;
      expect(sprung).toBe(true);
      expect(profit.status).toBe('filled');
      // The stop was on the exchange before the take-profit existed, so the position was never bare.
      expect(stop.createdAt).toBeLessThanOrEqual(profit.createdAt);
      expect(stop.id).toBeLessThan(profit.id);
      expect(position!.status).toBe('closed');
      const book = await exchangeBook(t.exchange, 'ETHUSDT');
      expect(book.orders.size + book.algos.size).toBe(0);
      expect(compareDecimal(book.amount, 0)).toBe(0);
    });

    it('re-prices the take-profit although modify answers carry no avgPrice', async () => {
      const t = await begin();
      const { orders } = await openOne(t);
      const profit = orders.find((o) => o.role === 'profit')!;
      // Binance dropped avgPrice from new/modify/cancel answers; the simulator answers the same way.
      expect(t.sim.state.behaviour.legacyOrderFields).toBe(false);
      t.sim.setMark('ETHUSDT', orders.find((o) => o.rung === 1)!.price!);
      await t.settle();
      const tp = (await t.orders()).find((o) => o.clientOrderId === profit.clientOrderId)!;
      expect(compareDecimal(tp.quantity!, profit.quantity!)).toBe(1);
      expect((await t.positions())[0]!.status).toBe('active');
    });

    it('gives a rung that fills while a WAP runs its own WAP afterwards', async () => {
      let second: string | null = null;
      let reprices = 0;
      const t = await begin({
        beforeStep: (handler) => {
          if (handler === 'trading.wap.reprice') reprices++;
          // After the re-price read the exchange (a fill before it is looked up there and applied at once).
          if (handler !== 'trading.wap.finish') return;
          if (second) t.sim.setMark('ETHUSDT', second);
          second = null;
        },
      });
      const { position, orders } = await openOne(t);
      const rungs = orders.filter((o) => o.role === 'rung');
      second = rungs[1]!.price!;
      t.sim.setMark('ETHUSDT', rungs[0]!.price!);
      await t.settle();
      const after = await t.orders(position.id);
      expect(after.filter((o) => o.role === 'rung' && o.status === 'filled').every((o) => o.fillAppliedAt !== null)).toBe(true);
      expect(after.filter((o) => o.role === 'rung' && o.status === 'filled')).toHaveLength(2);
      expect(reprices).toBeGreaterThanOrEqual(2);
      const book = await exchangeBook(t.exchange, 'ETHUSDT');
      const tp = book.orders.get(after.find((o) => o.role === 'profit')!.clientOrderId)!;
      expect(compareDecimal(tp.origQty, book.amount)).toBe(0);
      expect((await t.positions())[0]!.status).toBe('active');
    });

    it('names a lagging position and a take-profit that reads back wrong QUANTITY_MISMATCH (not EXCHANGE_UNAVAILABLE); WAP gives up and restores active', async () => {
      let lagging = false;
      // The account's exchange, except that while `lagging` its positions read half of what it holds
      // and the take-profit reads back twice its quantity.
      const lying = (ex: ExchangePort): ExchangePort => new Proxy(ex, {
        get(target, key) {
          if (key === 'getPositions' && lagging) {
            return async (symbol?: string) => (await target.getPositions(symbol)).map((l) => ({ ...l, positionAmt: dec(l.positionAmt).div(2).toString() }));
          }
          if (key === 'getOrder' && lagging) {
            return async (query: Parameters<ExchangePort['getOrder']>[0]) => {
              const order = await target.getOrder(query);
              return query.clientOrderId?.endsWith('-tp') ? { ...order, origQty: dec(order.origQty).times(2).toString() } : order;
            };
          }
          const value: unknown = Reflect.get(target, key);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const t = await begin({ deps: { exchanges: { forAccount: async () => lying(h!.exchange) } } });
      const { orders } = await openOne(t);
      lagging = true;
      t.sim.setMark('ETHUSDT', orders.find((o) => o.rung === 1)!.price!);
      await t.settle();
      const reprice = (await t.steps()).filter((s) => s.handler === 'trading.wap.reprice');
      expect(reprice.map((s) => s.state)).toEqual(['failed']);
      expect(reprice[0]!.attempts).toBe(reprice[0]!.maxAttempts);
      expect(reprice[0]!.errorMessage).toMatch(/^\[QUANTITY_MISMATCH\] take-profit reads /);
      expect((await t.positions())[0]!.status).toBe('active');
    });

    it('closes a position closed by hand on the exchange, cancelling its DCA limits first', async () => {
      const t = await begin();
      const { position } = await openOne(t);
      manualClose(t, position.quantity!);
      await t.settle();
      const after = await t.orders(position.id);
      expect(after.filter((o) => o.role === 'rung').every((o) => o.status === 'cancelled')).toBe(true);
      // Nothing was re-armed on the flat position.
      expect(after.filter((o) => o.replacement > 0)).toEqual([]);
      expect((await t.positions())[0]!.status).toBe('closed');
      const book = await exchangeBook(t.exchange, 'ETHUSDT');
      expect(book.orders.size + book.algos.size).toBe(0);
      const steps = await t.steps();
      expect(steps.find((s) => s.handler === 'trading.cancel-rungs')!.lane).toBe('priority');
    });

    it('-2022 on close with the position already flat ends closed only after two flat reads 20 s apart', async () => {
      let flattened = false;
      const t = await begin({
        stream: false,
        beforeStep: (handler, args) => {
          // Between our exposure read and our close order, the position goes flat by other means.
          if (handler !== 'trading.order.place' || !String(args.clientOrderId).includes('-cl') || flattened) return;
          flattened = true;
          manualClose(t, (position.quantity)!);
        },
      });
      const { position } = await openOne(t);
      await t.start('trading.close.start', { position: position.uuid, reason: 'operator' }, 'priority');
      await t.settle();
      expect(flattened).toBe(true);
      const close = (await t.orders(position.id)).find((o) => o.role === 'close')!;
      expect(close.status).toBe('rejected');
      const steps = await t.steps();
      const verify = steps.find((s) => s.handler === 'trading.close.verify')!;
      const confirm = steps.find((s) => s.handler === 'trading.confirm-flat')!;
      expect(confirm.state).toBe('completed');
      expect(confirm.startedAt! - verify.startedAt!).toBeGreaterThanOrEqual(20_000);
      expect((await t.positions())[0]!.status).toBe('closed');
    });

    it('-2022 on close with exposure remaining does not close: protection stays armed and the operator is paged', async () => {
      const t = await begin({ stream: false });
      const { position, orders } = await openOne(t);
      t.sim.faults.failNext({ code: -2022, msg: 'ReduceOnly Order is rejected.', status: 400 }, { method: 'POST', path: '/fapi/v1/order', params: { type: 'MARKET' } }, 1);
      await t.start('trading.close.start', { position: position.uuid, reason: 'operator' }, 'priority');
      await t.settle({ maxAdvanceMs: 3_600_000 });
      expect((await t.positions())[0]!.status).toBe('closing');
      const book = await exchangeBook(t.exchange, 'ETHUSDT');
      expect(compareDecimal(book.amount, 0)).not.toBe(0);
      expect(book.algos.has(orders.find((o) => o.role === 'stop')!.clientOrderId)).toBe(true);
      expect(book.orders.has(orders.find((o) => o.role === 'profit')!.clientOrderId)).toBe(true);
      expect(t.events.some((e) => e.severity === 'critical')).toBe(true);
    });

    it('converges by the 5-minute poll when no stream frame arrives', async () => {
      const t = await begin({ stream: false });
      const { position, orders } = await openOne(t);
      t.sim.setMark('ETHUSDT', orders.find((o) => o.rung === 1)!.price!);
      await t.settle();
      expect((await t.orders(position.id)).find((o) => o.rung === 1)!.status).toBe('working');
      await t.start('trading.sync-orders', {}, 'orders');
      await t.settle();
      const rung = (await t.orders(position.id)).find((o) => o.rung === 1)!;
      expect(rung.status).toBe('filled');
      expect(rung.fillAppliedAt).not.toBeNull();
    });

    it('acts once on a duplicated fill frame: one WAP block, one recorded fill', async () => {
      const frames: Record<string, unknown>[] = [];
      const t = await begin();
      const { position, orders } = await openOne(t);
      const rung = orders.find((o) => o.rung === 1)!;
      t.sim.subscribe((e) => {
        if (e.kind === 'user') frames.push(e.frame);
      });
      t.sim.setMark('ETHUSDT', rung.price!);
      await t.settle();
      // The stream delivers every frame of the fill a second time.
      for (const frame of frames) await t.start('trading.user-data-frame', { accountId: t.accountId, eventId: null, frame }, 'user-data-stream');
      await t.settle();
      const steps = await t.steps();
      expect(steps.filter((s) => s.handler === 'trading.wap.begin')).toHaveLength(1);
      expect((await t.orders(position.id)).find((o) => o.id === rung.id)!.status).toBe('filled');
    });

    it('replaces a rung cancelled on the exchange by someone else', async () => {
      const t = await begin();
      const { position, orders } = await openOne(t);
      const rung = orders.find((o) => o.rung === 2)!;
      t.sim.call('DELETE', '/fapi/v1/order', { symbol: 'ETHUSDT', origClientOrderId: rung.clientOrderId }, 'paper-key');
      await t.settle();
      const after = await t.orders(position.id);
      const replacement = after.find((o) => o.rung === 2 && o.replacement === 1)!;
      expect(replacement).toMatchObject({ status: 'working', price: rung.price, quantity: rung.quantity });
      expect((await exchangeBook(t.exchange, 'ETHUSDT')).orders.has(replacement.clientOrderId)).toBe(true);
    });

    it('restores the intent of a working order whose price drifted on the exchange', async () => {
      const t = await begin();
      const { position, orders } = await openOne(t);
      const rung = orders.find((o) => o.rung === 3)!;
      const drifted = dec(rung.price!).minus(5).toString();
      t.sim.call('PUT', '/fapi/v1/order', { symbol: 'ETHUSDT', origClientOrderId: rung.clientOrderId, side: 'BUY', quantity: rung.quantity!, price: drifted }, 'paper-key');
      await t.settle();
      const ex = (await exchangeBook(t.exchange, 'ETHUSDT')).orders.get(rung.clientOrderId)!;
      expect(compareDecimal(ex.price, rung.price!)).toBe(0);
      expect((await t.steps()).some((s) => s.handler === 'trading.order.correct' && s.state === 'completed')).toBe(true);
      expect((await t.orders(position.id)).find((o) => o.id === rung.id)!.exchangePrice).toBe(rung.price);
    });

    it('stops new exposure when trading is switched off right before the market entry', async () => {
      const t: TradingHarness = await begin({
        beforeStep: (handler) => {
          if (handler === 'trading.open.market-entry') void t.store.transaction((tx) => tx.updateRows('accounts', { id: t.accountId }, { trading_enabled: 0 }));
        },
      });
      await t.start('trading.open-positions');
      await t.settle();
      const [position] = await t.positions();
      expect(position!.status).toBe('cancelled');
      expect((await t.orders(position!.id)).filter((o) => o.exchangeOrderId !== null)).toEqual([]);
      const book = await exchangeBook(t.exchange, 'ETHUSDT');
      expect(book.orders.size + book.algos.size).toBe(0);
      expect(compareDecimal(book.amount, 0)).toBe(0);
    });

    it('drift check: reports an order the books do not know and re-runs WAP for a take-profit covering too little', async () => {
      const t = await begin({ stream: false });
      const { position, orders } = await openOne(t);
      const profit = orders.find((o) => o.role === 'profit')!;
      t.sim.call('PUT', '/fapi/v1/order', { symbol: 'ETHUSDT', origClientOrderId: profit.clientOrderId, side: 'SELL', quantity: '0.007', price: profit.price! }, 'paper-key');
      await t.store.transaction((tx) => tx.updateRows('orders', { id: profit.id }, { quantity: '0.007' }));
      t.sim.call('POST', '/fapi/v1/order', { symbol: 'XRPUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '10', price: '2', newClientOrderId: 'web_stray' }, 'paper-key');
      await t.start('trading.drift-check', {}, 'orders');
      await t.settle();
      expect(t.events.filter((e) => e.subject.includes('exchange-only-order')).map((e) => e.message)).toEqual(['order web_stray is not in our books']);
      const tp = (await exchangeBook(t.exchange, 'ETHUSDT')).orders.get(profit.clientOrderId)!;
      expect(compareDecimal(tp.origQty, position.quantity!)).toBe(0);
    });

    it('cancels an open that fails after its market entry: exposure closed, proven flat twice, cancelled silently', async () => {
      const t = await begin();
      t.sim.faults.failNext({ code: -1111, msg: 'Precision is over the maximum defined for this asset.', status: 400 }, { method: 'POST', path: '/fapi/v1/algoOrder' }, 5);
      await t.start('trading.open-positions');
      await t.settle();
      const [position] = await t.positions();
      expect(position!.status).toBe('cancelled');
      const book = await exchangeBook(t.exchange, 'ETHUSDT');
      expect(book.orders.size + book.algos.size).toBe(0);
      expect(compareDecimal(book.amount, 0)).toBe(0);
      expect((await t.orders(position!.id)).find((o) => o.role === 'close')!.status).toBe('filled');
      expect((await t.steps()).find((s) => s.handler === 'trading.confirm-flat')!.state).toBe('completed');
      expect(t.events.filter((e) => e.severity === 'critical')).toEqual([]);
    });

    it('a cancel that cannot remove the exposure never ends failed: its stop stays armed, the operator is paged, the symbol blocked, and the supervisor drives it to cancelled', async () => {
      const t = await begin();
      // The stop goes out right after the entry; the take-profit is refused, so the open is cancelled.
      t.sim.faults.failNext({ code: -1111, msg: 'Precision is over the maximum defined for this asset.', status: 400 }, { method: 'POST', path: '/fapi/v1/order', params: { type: 'LIMIT', reduceOnly: 'true' } }, 5);
      // Every reduce-only close is refused for now, so the exposure cannot be removed.
      t.sim.faults.failNext({ code: -2022, msg: 'ReduceOnly Order is rejected.', status: 400 }, { method: 'POST', path: '/fapi/v1/order', params: { type: 'MARKET', reduceOnly: 'true' } }, 50);
      await t.start('trading.open-positions');
      await t.settle({ maxAdvanceMs: 3_600_000 });
      let [position] = await t.positions();
      const stop = (await t.orders(position!.id)).find((o) => o.role === 'stop')!;
      let book = await exchangeBook(t.exchange, 'ETHUSDT');
      expect(compareDecimal(book.amount, 0)).not.toBe(0);
      // Exposure goes before protection: while it remains the position is not given up and its stop works.
      expect(position!.status).toBe('cancelling');
      expect(book.algos.has(stop.clientOrderId)).toBe(true);
      expect((await getSymbol(t.store, 'ETHUSDT'))!.isBlocked).toBe(true);
      expect(t.events.some((e) => e.severity === 'critical' && e.subject === `position ${position!.id} cancel stuck`)).toBe(true);
      // The exchange accepts closes again; past the deadline the supervisor re-drives the cancel to the end.
      t.sim.faults.clear();
      t.sim.advance(30 * 60_000);
      await t.start('trading.supervise-exits', {}, 'priority');
      await t.settle({ maxAdvanceMs: 3_600_000 });
      [position] = await t.positions();
      expect(position!.status).toBe('cancelled');
      book = await exchangeBook(t.exchange, 'ETHUSDT');
      expect(book.orders.size + book.algos.size).toBe(0);
      expect(compareDecimal(book.amount, 0)).toBe(0);
    });

    it('fails a cancel it cannot prove clean only once the exchange is clear: operator paged, symbol blocked automatically', async () => {
      const t = await begin();
      t.sim.faults.failNext({ code: -1111, msg: 'Precision is over the maximum defined for this asset.', status: 400 }, { method: 'POST', path: '/fapi/v1/algoOrder' }, 5);
      // The books cannot be settled (every trade-history read fails), though the exchange is flat and clear.
      t.sim.faults.failNext({ code: -1000, msg: 'An unknown error occured while processing the request.', status: 400 }, { method: 'GET', path: '/fapi/v1/userTrades' }, 500);
      await t.start('trading.open-positions');
      await t.settle({ maxAdvanceMs: 3_600_000 });
      const [position] = await t.positions();
      expect(position!.status).toBe('failed');
      const book = await exchangeBook(t.exchange, 'ETHUSDT');
      expect(book.orders.size + book.algos.size).toBe(0);
      expect(compareDecimal(book.amount, 0)).toBe(0);
      const symbol = (await getSymbol(t.store, 'ETHUSDT'))!;
      expect(symbol.isBlocked).toBe(true);
      expect(symbol.isEligible).toBe(true);
      expect(t.events.some((e) => e.severity === 'critical' && e.subject === `position ${position!.id} failed`)).toBe(true);
    });

    it('the preflight and the drift check wait out a burst of 5xx on reads instead of failing on it', async () => {
      const t = await begin();
      t.sim.faults.serverError({ applied: false }, { method: 'GET', path: '/fapi/v3/positionRisk' }, 6);
      await t.start('trading.open-positions');
      await t.settle({ maxAdvanceMs: 120_000 });
      const [position] = await t.positions();
      expect(position!.status).toBe('active');
      t.sim.faults.serverError({ applied: false }, { method: 'GET', path: '/fapi/v3/positionRisk' }, 6);
      await t.start('trading.drift-check', {}, 'orders');
      await t.settle({ maxAdvanceMs: 120_000 });
      const periodic = (await t.steps()).filter((s) => s.handler === 'trading.preflight' || s.handler === 'trading.drift-check');
      expect(periodic.filter((s) => s.handler === 'trading.drift-check' && s.args.accountId !== undefined)).toHaveLength(1);
      expect(periodic.map((s) => [s.handler, s.state]).filter(([, state]) => state !== 'completed' && state !== 'skipped')).toEqual([]);
    });

    it('stores each account\'s balance once per scheduler slot', async () => {
      const t = await begin();
      await t.start('trading.store-balances', {}, 'orders');
      await t.settle();
      await t.start('trading.store-balances', {}, 'orders');
      await t.settle();
      const rows = await t.store.findRows('account_balances', { account_id: t.accountId });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ asset: 'USDT' });
      expect(compareDecimal(String(rows[0]!.balance), '100000')).toBe(0);
    });

    it('passes over a ranked symbol the account size cannot open and gives the slot to the next one', async () => {
      // 10 USDT × 5 buys 0.0005 BTC, below BTCUSDT's step and min notional; ETHUSDT (ranked after it) fits.
      const t = await begin({ directions: { BTCUSDT: 'LONG', ETHUSDT: 'LONG' } });
      await t.start('trading.open-positions');
      await t.settle();
      expect((await t.positions()).map((p) => [p.symbol, p.status])).toEqual([['ETHUSDT', 'active']]);
      const book = await exchangeBook(t.exchange, 'BTCUSDT');
      expect(book.orders.size + book.algos.size).toBe(0);
    });

    it('aborts a ladder that would fall below min notional before the market order: cancelled, nobody paged', async () => {
      // The preflight passes such a symbol over; the open block still refuses one whose price moved after it.
      const t = await begin({ directions: { BTCUSDT: 'LONG' } });
      const uuid = 'ladder-too-small';
      const insert = insertPosition({ uuid, account: (await getAccount(t.store, t.accountId))!, symbol: 'BTCUSDT', direction: 'LONG' }, t.clock.now());
      await t.store.transaction((tx) => tx.insertRow(insert.table, { ...insert.row }));
      await t.engine.start(openBlock(uuid), { set: 'trading' });
      await t.settle();
      const [position] = await t.positions();
      expect(position!.status).toBe('cancelled');
      expect((await t.orders(position!.id)).filter((o) => o.exchangeOrderId !== null)).toHaveLength(0);
      const book = await exchangeBook(t.exchange, 'BTCUSDT');
      expect(book.orders.size + book.algos.size).toBe(0);
      expect(t.events.filter((e) => e.severity === 'critical')).toEqual([]);
      expect((await getSymbol(t.store, 'BTCUSDT'))!.isBlocked).toBe(false);
    });
    it('closes a position on the operator\'s "close now": flat, no order of ours left, closed with exit reason operator', async () => {
      const t = await begin();
      await t.start('trading.open-positions');
      await t.settle();
      const [position] = await t.positions();
      expect(position!.status).toBe('active');
      const close = operatorClose(position!.uuid, 'ada');
      await t.engine.start(close.steps, { set: 'trading', dedupeKey: close.dedupeKey });
      // A second click finds the same block (one close per position).
      await t.engine.start(close.steps, { set: 'trading', dedupeKey: close.dedupeKey });
      await t.settle();
      const [closed] = await t.positions();
      expect(closed).toMatchObject({ status: 'closed', exitReason: 'operator' });
      expect(closed!.closingPrice).not.toBeNull();
      const book = await exchangeBook(t.exchange, 'ETHUSDT');
      expect(book.orders.size + book.algos.size).toBe(0);
      expect(compareDecimal(book.amount, 0)).toBe(0);
      expect((await t.steps()).filter((s) => s.handler === 'trading.close.begin')).toHaveLength(1);
    });

    it('opens nothing while new opens are paused fleet-wide, and opens again once resumed', async () => {
      const t = await begin();
      await t.store.transaction((tx) => applyRowEffects(tx, [pauseOpensInsert({ paused: true, reason: 'scenario', by: 'ada', at: t.clock.now() })]));
      await t.start('trading.open-positions');
      await t.settle();
      expect(await t.positions()).toEqual([]);
      const preflight = (await t.steps()).find((s) => s.handler === 'trading.preflight')!;
      expect(preflight.response).toMatchObject({ skipped: expect.stringContaining('paused fleet-wide by ada') });
      await t.store.transaction((tx) => applyRowEffects(tx, [pauseOpensInsert({ paused: false, reason: 'resume', by: 'ada', at: t.clock.now() + 1 })]));
      t.sim.advance(120_000);
      await t.start('trading.open-positions');
      await t.settle();
      expect((await t.positions()).map((p) => p.status)).toEqual(['active']);
    });
    it('cancels a stuck working order of a position no longer managed, and refuses one of a managed position', async () => {
      const t = await begin();
      await t.start('trading.open-positions');
      await t.settle();
      const [position] = await t.positions();
      const rung = (await t.orders(position!.id)).find((o) => o.role === 'rung')!;
      const refused = operatorCancelOrder(position!.uuid, rung.clientOrderId, t.clock.now());
      await t.engine.start(refused.steps, { set: 'trading', dedupeKey: refused.dedupeKey });
      await t.settle();
      expect((await t.steps()).find((s) => s.handler === 'trading.order.cancel')!.response).toMatchObject({ stopped: expect.stringContaining('close the position instead') });
      expect((await exchangeBook(t.exchange, 'ETHUSDT')).orders.has(rung.clientOrderId)).toBe(true);
      // The position is left failed with its rung still working on the exchange (a stuck order).
      await t.store.transaction((tx) => tx.updateRows('positions', { id: position!.id }, { status: 'failed', is_open: null }));
      t.sim.advance(120_000);
      const cancel = operatorCancelOrder(position!.uuid, rung.clientOrderId, t.clock.now());
      await t.engine.start(cancel.steps, { set: 'trading', dedupeKey: cancel.dedupeKey });
      await t.settle();
      expect((await exchangeBook(t.exchange, 'ETHUSDT')).orders.has(rung.clientOrderId)).toBe(false);
      expect((await t.orders(position!.id)).find((o) => o.id === rung.id)!.status).toBe('cancelled');
    });
  });
}
