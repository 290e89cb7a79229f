// Issue 13's exit, WAP, partial-fill and drift scenarios, run against every runner: faults the
// simulator injects (5xx on reads, lost frames, thin books, -4164) must never leave a position open,
// unguarded or stuck.
import { afterEach, describe, expect, it } from 'vitest';
import type { ExchangePort } from '../../core/exchange/exchange.port.ts';
import { compareDecimal, dec } from '../../core/exchange/precision.ts';
import { applyRowEffects } from '../../core/trading/apply-row-effects.ts';
import { insertOrder } from '../../core/trading/order-effects.ts';
import { rungOrder } from '../../handlers/trading/order-rows.ts';
import { startTradingHarness, type TradingHarness, type TradingHarnessOptions, type TradingParts } from '../support/trading-harness.ts';

const SYMBOL = 'ETHUSDT';
const TERMINAL = ['filled', 'cancelled', 'expired', 'rejected'];

/** What the exchange holds for the symbol, keyed by client id. */
async function exchangeBook(ex: ExchangePort) {
  const [orders, algos, legs] = await Promise.all([ex.getOpenOrders(SYMBOL), ex.getOpenAlgoOrders(SYMBOL), ex.getPositions(SYMBOL)]);
  return {
    orders: new Map(orders.map((o) => [o.clientOrderId, o])),
    algos: new Map(algos.map((a) => [a.clientAlgoId, a])),
    amount: legs.reduce((s, l) => s.plus(l.positionAmt), dec(0)).toString(),
  };
}

/**
 * Bridges the simulator's frames into steps like the harness does, but through `lose`: a frame it
 * returns true for never arrives (the stream dropped it). Returns a settle that waits for the bridge.
 */
function lossyStream(t: TradingHarness, lose: (frame: Record<string, unknown>) => boolean) {
  const bridged: Promise<unknown>[] = [];
  t.sim.subscribe((e) => {
    if (e.kind !== 'user' || lose(e.frame)) return;
    bridged.push(t.start('trading.user-data-frame', { accountId: t.accountId, eventId: null, frame: e.frame }, 'user-data-stream'));
  });
  return async (options?: { maxAdvanceMs?: number }) => {
    do {
      await Promise.all(bridged.splice(0));
      await t.settle(options);
    } while (bridged.length > 0);
  };
}

const clientIdOf = (frame: Record<string, unknown>) => (frame.o as { c?: string } | undefined)?.c;

/** The scenarios, over a fresh store and queue per test. */
export function exitScenarios(name: string, makeParts: () => Promise<TradingParts>): void {
  describe(`exits, WAP and drift under faults on ${name}`, () => {
    let h: TradingHarness | null = null;
    const begin = async (options: TradingHarnessOptions = {}) => (h = await startTradingHarness(await makeParts(), options));
    afterEach(async () => {
      await h?.close();
      h = null;
    });

    const openOne = async (t: TradingHarness, settle: () => Promise<void> = () => t.settle()) => {
      await t.start('trading.open-positions');
      await settle();
      const [position] = await t.positions();
      expect(position!.status).toBe('active');
      return { position: position!, orders: await t.orders(position!.id) };
    };
    const expectClosedAndClean = async (t: TradingHarness, positionId: number) => {
      expect((await t.positions()).find((p) => p.id === positionId)!.status).toBe('closed');
      const book = await exchangeBook(t.exchange);
      expect([...book.orders.keys(), ...book.algos.keys()]).toEqual([]);
      expect(compareDecimal(book.amount, 0)).toBe(0);
      expect((await t.orders(positionId)).filter((o) => !TERMINAL.includes(o.status))).toEqual([]);
    };

    it('class 2: a close that meets a burst of 5xx and lost answers waits it out and ends closed', async () => {
      const t = await begin();
      const { position, orders } = await openOne(t);
      // Every position read fails for a while: longer than three attempts' backoff.
      t.sim.faults.serverError({ applied: false }, { method: 'GET', path: '/fapi/v3/positionRisk' }, 8);
      // And the cancels' answers are lost on the way back (each cancel went through).
      t.sim.faults.loseResponse({ method: 'DELETE', path: '/fapi/v1/order' }, 2);
      t.sim.faults.loseResponse({ method: 'GET', path: '/fapi/v1/openOrders' }, 2);
      t.sim.setMark(SYMBOL, orders.find((o) => o.role === 'profit')!.price!);
      await t.settle({ maxAdvanceMs: 3_600_000 });
      await expectClosedAndClean(t, position.id);
      expect(t.events.filter((e) => e.severity === 'critical')).toEqual([]);
    });

    it('class 2: a closing position has its rungs cancelled at once, and a close that gave up is re-driven to the end', async () => {
      const t = await begin({ stream: false });
      const { position, orders } = await openOne(t);
      // Its reduce-only close is refused (-2022) while the exposure remains: the close gives up.
      t.sim.faults.failNext({ code: -2022, msg: 'ReduceOnly Order is rejected.', status: 400 }, { method: 'POST', path: '/fapi/v1/order', params: { type: 'MARKET' } }, 1);
      await t.start('trading.close.start', { position: position.uuid, reason: 'operator' }, 'priority');
      await t.settle({ maxAdvanceMs: 3_600_000 });
      expect((await t.positions())[0]!.status).toBe('closing');
      let book = await exchangeBook(t.exchange);
      // Protection stays armed, but no rung may add exposure to a position on its way out.
      expect(book.algos.has(orders.find((o) => o.role === 'stop')!.clientOrderId)).toBe(true);
      expect(orders.filter((o) => o.role === 'rung').filter((o) => book.orders.has(o.clientOrderId))).toEqual([]);
      const cancelRungs = (await t.steps()).find((s) => s.handler === 'trading.cancel-rungs')!;
      expect(cancelRungs.lane).toBe('priority');
      // A dip now buys nothing.
      t.sim.setMark(SYMBOL, orders.find((o) => o.rung === 2)!.price!);
      book = await exchangeBook(t.exchange);
      expect(compareDecimal(book.amount, position.quantity!)).toBe(0);
      // The supervisor finds it past its deadline and drives it to the end.
      t.sim.advance(30 * 60_000);
      await t.start('trading.supervise-exits', {}, 'priority');
      await t.settle({ maxAdvanceMs: 3_600_000 });
      await expectClosedAndClean(t, position.id);
    });

    it('class 3: a lost take-profit fill then a rung fill: WAP asks the exchange and hands over to close at once', async () => {
      let tpId = '';
      let losing = false;
      const t = await begin({ stream: false });
      const settle = lossyStream(t, (f) => losing && (f.e === 'ACCOUNT_UPDATE' || clientIdOf(f) === tpId));
      const { position, orders } = await openOne(t, () => settle());
      tpId = orders.find((o) => o.role === 'profit')!.clientOrderId;
      losing = true;
      t.sim.setMark(SYMBOL, orders.find((o) => o.role === 'profit')!.price!);
      await settle();
      losing = false;
      // The dip fills a rung on what is now a flat position: the WAP that follows must not re-arm it.
      t.sim.setMark(SYMBOL, orders.find((o) => o.rung === 1)!.price!);
      await settle({ maxAdvanceMs: 3_600_000 });
      await expectClosedAndClean(t, position.id);
      expect((await t.orders(position.id)).find((o) => o.clientOrderId === tpId)!.status).toBe('filled');
      expect((await t.orders(position.id)).filter((o) => o.role === 'rung' && o.status === 'filled')).toHaveLength(1);
    });

    it('class 3: a lost rung fill: WAP sizes the take-profit from the exchange and records the missing fill', async () => {
      let lostId = '';
      const t = await begin({ stream: false });
      const settle = lossyStream(t, (f) => clientIdOf(f) === lostId);
      const { position, orders } = await openOne(t, () => settle());
      lostId = orders.find((o) => o.rung === 1)!.clientOrderId;
      t.sim.setMark(SYMBOL, orders.find((o) => o.rung === 1)!.price!);
      await settle();
      lostId = '';
      t.sim.setMark(SYMBOL, orders.find((o) => o.rung === 2)!.price!);
      await settle();
      const book = await exchangeBook(t.exchange);
      const tp = book.orders.get(orders.find((o) => o.role === 'profit')!.clientOrderId)!;
      expect(compareDecimal(tp.origQty, book.amount)).toBe(0);
      const after = await t.orders(position.id);
      expect(after.filter((o) => o.role === 'rung' && o.status === 'filled').map((o) => o.rung).sort()).toEqual([1, 2]);
      expect((await t.positions())[0]!.status).toBe('active');
    });

    it('class 5: a partial rung fill re-sizes the take-profit at once, and its replacement places only the remainder', async () => {
      const t = await begin();
      const { position, orders } = await openOne(t);
      const rung = orders.find((o) => o.rung === 1)!;
      const part = dec(rung.quantity!).div(4).toDecimalPlaces(3, 1).toString();
      t.sim.setDepth(SYMBOL, part);
      t.sim.setMark(SYMBOL, rung.price!);
      // Lift off the rung before the book deepens again, so no later matching pass fills the rest.
      t.sim.setMark(SYMBOL, dec(rung.price!).times('1.001').toFixed(2));
      t.sim.setDepth(SYMBOL, null);
      await t.settle();
      const partial = (await t.orders(position.id)).find((o) => o.id === rung.id)!;
      expect(partial.status).toBe('partially_filled');
      let book = await exchangeBook(t.exchange);
      const profitId = orders.find((o) => o.role === 'profit')!.clientOrderId;
      expect(compareDecimal(book.orders.get(profitId)!.origQty, book.amount)).toBe(0);
      // Someone cancels the half-filled rung: only what it had left is placed again.
      // The market lifts off the rung (still far below the take-profit), so the replacement rests.
      t.sim.setMark(SYMBOL, dec(rung.price!).times('1.001').toFixed(2));
      t.sim.call('DELETE', '/fapi/v1/order', { symbol: SYMBOL, origClientOrderId: rung.clientOrderId }, 'paper-key');
      await t.settle();
      const replacement = (await t.orders(position.id)).find((o) => o.rung === 1 && o.replacement === 1)!;
      expect(compareDecimal(replacement.quantity!, dec(rung.quantity!).minus(part))).toBe(0);
      book = await exchangeBook(t.exchange);
      expect(compareDecimal(book.orders.get(replacement.clientOrderId)!.origQty, dec(rung.quantity!).minus(part))).toBe(0);
    });

    it('class 5: a partial take-profit fill lowers the position\'s quantity at once, and after a rung fill the take-profit covers exactly what the exchange holds', async () => {
      const t = await begin();
      const { position, orders } = await openOne(t);
      const profit = orders.find((o) => o.role === 'profit')!;
      const rung = orders.find((o) => o.rung === 1)!;
      const part = dec(profit.quantity!).div(3).toDecimalPlaces(3, 1).toString();
      t.sim.setDepth(SYMBOL, part);
      t.sim.setMark(SYMBOL, profit.price!);
      // Drop off the take-profit before the book deepens again, so only `part` of it fills.
      t.sim.setMark(SYMBOL, dec(profit.price!).times('0.999').toFixed(2));
      t.sim.setDepth(SYMBOL, null);
      await t.settle();
      expect((await t.orders(position.id)).find((o) => o.id === profit.id)!.status).toBe('partially_filled');
      let book = await exchangeBook(t.exchange);
      expect(compareDecimal(book.amount, dec(position.quantity!).minus(part))).toBe(0);
      expect((await t.positions())[0]!.quantity).toBe(book.amount);
      // A dip fills the first rung: WAP re-sizes the half-filled take-profit to cover what is held.
      t.sim.setMark(SYMBOL, rung.price!);
      await t.settle();
      book = await exchangeBook(t.exchange);
      const tp = book.orders.get(profit.clientOrderId)!;
      expect(compareDecimal(dec(tp.origQty).minus(tp.executedQty), book.amount)).toBe(0);
      const after = (await t.positions())[0]!;
      expect(after.status).toBe('active');
      expect(compareDecimal(after.quantity!, book.amount)).toBe(0);
    });

    it('class 5: a remainder below the filters is not placed again: the rung is given up and recorded', async () => {
      const t = await begin();
      const { position, orders } = await openOne(t);
      const rung = orders.find((o) => o.rung === 1)!;
      // What is left after this fill is worth less than the symbol's 20 USDT min notional.
      const left = dec(20).div(rung.price!).toDecimalPlaces(3, 1);
      t.sim.setDepth(SYMBOL, dec(rung.quantity!).minus(left).toString());
      t.sim.setMark(SYMBOL, rung.price!);
      t.sim.setMark(SYMBOL, dec(rung.price!).times('1.001').toFixed(2));
      t.sim.setDepth(SYMBOL, null);
      await t.settle();
      t.sim.setMark(SYMBOL, dec(rung.price!).times('1.001').toFixed(2));
      t.sim.call('DELETE', '/fapi/v1/order', { symbol: SYMBOL, origClientOrderId: rung.clientOrderId }, 'paper-key');
      await t.settle();
      expect((await t.orders(position.id)).filter((o) => o.rung === 1 && o.replacement > 0)).toEqual([]);
      expect(t.events.some((e) => e.severity === 'warning' && e.subject === `position ${position.id} smaller ladder`)).toBe(true);
      expect((await t.positions())[0]).toMatchObject({ status: 'active', rungs: position.rungs - 1 });
    });

    it('class 6: a replacement rung rejected for min notional ends rejected, warns, and the position records the smaller ladder', async () => {
      const t = await begin();
      const { position, orders } = await openOne(t);
      const rung = orders.find((o) => o.rung === 2)!;
      t.sim.faults.failNext({ code: -4164, msg: 'Order\'s notional must be no smaller than 20 (unless you choose reduce only).', status: 400 }, { method: 'POST', path: '/fapi/v1/order', params: { type: 'LIMIT' } }, 1);
      t.sim.call('DELETE', '/fapi/v1/order', { symbol: SYMBOL, origClientOrderId: rung.clientOrderId }, 'paper-key');
      await t.settle();
      const replacement = (await t.orders(position.id)).find((o) => o.rung === 2 && o.replacement === 1)!;
      expect(replacement.status).toBe('rejected');
      expect(t.events.some((e) => e.severity === 'warning' && e.message.includes(replacement.clientOrderId))).toBe(true);
      const after = (await t.positions())[0]!;
      expect(after.rungs).toBe(position.rungs - 1);
      expect(after.status).toBe('active');
    });

    it('class 7: the drift check finds and heals a lost fill (the exchange holds more than our fills)', async () => {
      let lostId = '';
      const t = await begin({ stream: false });
      const settle = lossyStream(t, (f) => clientIdOf(f) === lostId || (lostId !== '' && f.e === 'ACCOUNT_UPDATE'));
      const { position, orders } = await openOne(t, () => settle());
      lostId = orders.find((o) => o.rung === 1)!.clientOrderId;
      t.sim.setMark(SYMBOL, orders.find((o) => o.rung === 1)!.price!);
      await settle();
      lostId = '';
      await t.start('trading.drift-check', {}, 'orders');
      await settle();
      expect(t.events.some((e) => e.subject.includes('quantity-mismatch'))).toBe(true);
      const book = await exchangeBook(t.exchange);
      const tp = book.orders.get(orders.find((o) => o.role === 'profit')!.clientOrderId)!;
      expect(compareDecimal(tp.origQty, book.amount)).toBe(0);
      expect((await t.orders(position.id)).find((o) => o.rung === 1)!.status).toBe('filled');
    });

    it('class 7: the drift check finds and heals working orders of ours on a flat pair (the exchange holds less)', async () => {
      const t = await begin({ stream: false });
      const { position } = await openOne(t);
      t.sim.call('POST', '/fapi/v1/order', { symbol: SYMBOL, side: 'SELL', type: 'MARKET', quantity: position.quantity!, reduceOnly: 'true', newClientOrderId: 'web_manual1' }, 'paper-key');
      await t.start('trading.drift-check', {}, 'orders');
      await t.settle({ maxAdvanceMs: 3_600_000 });
      expect(t.events.some((e) => e.subject.includes('orders-on-flat-pair'))).toBe(true);
      await expectClosedAndClean(t, position.id);
    });

    it('class 7: the drift check cancels orders still working for a position that already ended', async () => {
      const t = await begin({ stream: false });
      const { position } = await openOne(t);
      t.sim.call('POST', '/fapi/v1/order', { symbol: SYMBOL, side: 'SELL', type: 'MARKET', quantity: position.quantity!, reduceOnly: 'true', newClientOrderId: 'web_manual1' }, 'paper-key');
      // Our books ended the position (a lost cancel, a person's edit); the exchange still holds its orders.
      await t.store.transaction((tx) => tx.updateRows('positions', { id: position.id }, { status: 'closed', is_open: null }));
      await t.start('trading.drift-check', {}, 'orders');
      await t.settle();
      expect(t.events.some((e) => e.subject.endsWith('orphan-order'))).toBe(true);
      const book = await exchangeBook(t.exchange);
      expect([...book.orders.keys(), ...book.algos.keys()]).toEqual([]);
      expect((await t.orders(position.id)).filter((o) => !TERMINAL.includes(o.status))).toEqual([]);
    });

    it('class 7: the drift check flags and re-drives a position stuck past its deadline, and flags a row left pending', async () => {
      const t = await begin({ stream: false });
      const { position } = await openOne(t);
      await t.store.transaction((tx) => tx.updateRows('positions', { id: position.id }, { status: 'waping' }));
      // A replacement row whose placement never happened (class 6's old symptom).
      const lost = insertOrder(rungOrder(position, 'k', 2, '3000', '0.01', 2), t.clock.now());
      await t.store.transaction((tx) => applyRowEffects(tx, [lost.effect]));
      t.sim.advance(30 * 60_000);
      await t.start('trading.drift-check', {}, 'orders');
      await t.settle();
      expect(t.events.some((e) => e.subject.endsWith('stuck-position'))).toBe(true);
      expect(t.events.filter((e) => e.subject.endsWith('stale-pending-order')).map((e) => e.message)).toEqual([expect.stringContaining(lost.clientOrderId)]);
      expect((await t.positions())[0]!.status).toBe('active');
    });
  });
}
