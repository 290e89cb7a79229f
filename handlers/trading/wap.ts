// WAP after a DCA rung fills (trading.md): `waping`, a fresh position snapshot with the exchange's
// break-even price, the take-profit modified in place to breakEven × (1 ± profit%) for the whole
// position, a double-check, back to `active`. WAP asks the exchange (issue 13): a snapshot smaller
// than our fills first looks the take-profit and stop up — filled or gone hands over to close at
// once (the close cancels the rungs first); both working means the fill is not in the snapshot yet,
// so it looks again. A larger snapshot is a fill whose frame was lost: the rungs are looked up and
// the TP covers what the exchange holds. Completion starts a WAP for any rung that filled meanwhile.
import { RetryableExchangeError, isExchangeError } from '../../core/exchange/exchange-errors.ts';
import { compareDecimal, dec, roundQty, toDecimalString } from '../../core/exchange/precision.ts';
import { result, type Effect, type HandlerResult } from '../../core/steps/effects.ts';
import { defineHandler, type HandlerDefinition } from '../../core/steps/registry.ts';
import { echoOfOrder, markFillApplied, reviseOrderIntent } from '../../core/trading/order-effects.ts';
import { mergeEffects } from '../../core/trading/order-merge.ts';
import type { OrderRow } from '../../core/trading/order.ts';
import { movePosition, patchPosition } from '../../core/trading/position-effects.ts';
import { findOrderByClientId, unappliedFills } from '../../core/trading/reads.ts';
import { canMoveOrder, isTerminalOrder } from '../../core/trading/statuses.ts';
import { closeBlock, dedupe, positionArgs, wapBlock } from './blocks.ts';
import type { TradingDeps } from './deps.ts';
import { heldAmount } from './exits.ts';
import { takeProfitFrom } from './ladder.ts';
import { findOnExchange } from './placement.ts';
import { ordersOfScope, requireScope, type Scope } from './scope.ts';

const lane = 'positions';

const EXITS: readonly OrderRow['role'][] = ['profit', 'stop', 'close'];

/**
 * What our fills say the position holds: the entry and every rung fill less every exit fill (a
 * take-profit that filled in part, a stop, a close), partial ones included.
 */
export function ownHeld(orders: readonly OrderRow[]): string {
  const sum = (roles: readonly OrderRow['role'][]) => orders.filter((o) => roles.includes(o.role)).reduce((total, o) => total.plus(o.executedQty ?? 0), dec(0));
  return toDecimalString(sum(['entry', 'rung']).minus(sum(EXITS)));
}

/** The take-profit row currently responsible for the position (the latest replacement). */
export function currentProfit(orders: readonly OrderRow[]): OrderRow | undefined {
  return orders.filter((o) => o.role === 'profit').sort((a, b) => b.replacement - a.replacement)[0];
}

/** The latest row of a role (replacements supersede the original). */
function latestOf(orders: readonly OrderRow[], role: OrderRow['role']): OrderRow | undefined {
  return orders.filter((o) => o.role === role).sort((a, b) => b.replacement - a.replacement)[0];
}

/**
 * Asks the exchange about the take-profit and the stop. Either filled, or gone from the exchange,
 * means the position ended (`reason`, with `effects` bringing the rows up to date); null while
 * both work. `orders` is the rows as the exchange now reads them: a take-profit that filled in
 * part, its frame lost, explains a snapshot smaller than our books.
 */
async function askProtection(s: Scope, orders: readonly OrderRow[], at: number): Promise<{ reason: string | null; effects: Effect[]; orders: OrderRow[] }> {
  const effects: Effect[] = [];
  let reason: string | null = null;
  const updated = new Map<number, OrderRow>();
  for (const row of [latestOf(orders, 'profit'), latestOf(orders, 'stop')]) {
    if (!row) continue;
    const echo = isTerminalOrder(row.status) ? null : await findOnExchange(s.exchange, row, s.filters);
    const status = isTerminalOrder(row.status) ? row.status : echo?.status ?? (row.exchangeOrderId === null ? 'pending' : 'cancelled');
    if (echo) {
      effects.push(...mergeEffects(row, echo, { at }));
      if (dec(echo.executedQty ?? 0).gt(row.executedQty ?? 0)) updated.set(row.id, { ...row, executedQty: echo.executedQty ?? row.executedQty });
    }
    if (isTerminalOrder(status)) reason ??= `${row.role === 'profit' ? 'take-profit' : 'stop-loss'} ${status} on the exchange`;
  }
  return { reason, effects, orders: orders.map((o) => updated.get(o.id) ?? o) };
}

/** Looks up every rung still working in our books: a fill whose frame was lost is recorded now. */
async function lookUpMissingFills(s: Scope, orders: readonly OrderRow[], at: number): Promise<{ effects: Effect[]; orders: OrderRow[] }> {
  const effects: Effect[] = [];
  const updated: OrderRow[] = [];
  for (const row of orders) {
    const echo = row.role === 'rung' && row.exchangeOrderId !== null && !isTerminalOrder(row.status) ? await findOnExchange(s.exchange, row, s.filters) : null;
    if (!echo || !canMoveOrder(row.status, echo.status) || dec(echo.executedQty ?? 0).lte(row.executedQty ?? 0)) {
      updated.push(row);
      continue;
    }
    effects.push(...mergeEffects(row, echo, { at }));
    updated.push({ ...row, status: echo.status, executedQty: echo.executedQty ?? row.executedQty, avgPrice: echo.avgPrice ?? row.avgPrice });
  }
  return { effects, orders: updated };
}

function handOverToClose(s: Scope, uuid: string, reason: string, effects: Effect[] = []): HandlerResult {
  return result.stop(reason, [...effects, { kind: 'start-block', set: 'trading', steps: closeBlock(uuid, reason), dedupeKey: dedupe.close(uuid) }]);
}

/** The WAP block's handlers. */
export function wapHandlers(deps: TradingDeps): HandlerDefinition[] {
  return [
    defineHandler({
      name: 'trading.wap.begin', lane, args: positionArgs,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        const status = s.position.status;
        // Another WAP or a sync holds the position: wait for it without spending an attempt.
        if (status === 'waping' || status === 'syncing' || status === 'opening') return result.throttle(500, `position is ${status}`);
        if (status !== 'active') return result.stop(`position is ${status}`);
        const tp = currentProfit(await ordersOfScope(ctx, s));
        if (tp?.status === 'filled') return handOverToClose(s, job.args.position, 'take-profit filled');
        return result.complete([movePosition(s.position.id, 'active', 'waping', { at: ctx.clock.now() })]);
      },
    }),
    defineHandler({
      name: 'trading.wap.reprice', lane, args: positionArgs, maxAttempts: 6,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        if (s.position.status !== 'waping') return result.stop(`position is ${s.position.status}`);
        const orders = await ordersOfScope(ctx, s);
        const tp = currentProfit(orders);
        if (!tp || tp.status === 'filled') return handOverToClose(s, job.args.position, 'take-profit filled');
        const legs = await s.exchange.getPositions(s.position.symbol);
        const held = dec(heldAmount(legs)).abs();
        if (held.isZero()) return handOverToClose(s, job.args.position, 'position flat on the exchange');
        const at = ctx.clock.now();
        let known = orders;
        if (held.lt(ownHeld(orders))) {
          // Less than our books: a take-profit that filled in part unseen, the fill not in the
          // snapshot yet, or the position ended (a take-profit or stop whose fill frame was lost)
          // and a rung has bought since. Ask the exchange first.
          const asked = await askProtection(s, orders, at);
          if (asked.reason) return handOverToClose(s, job.args.position, asked.reason, asked.effects);
          // Both still work: what they sold so far is counted now; the take-profit's row learns it
          // from the double-check's merge below (one merge per row and write).
          known = asked.orders;
          const gap = `exchange holds ${held} but our books say ${ownHeld(known)}`;
          if (held.lt(ownHeld(known)) && job.attempt < job.maxAttempts) throw new RetryableExchangeError('QUANTITY_MISMATCH', gap);
          // Still less on the last look with both protections working (reduced by hand?): the
          // exchange is the truth, so the TP covers what it holds rather than WAP failing for good.
          if (held.lt(ownHeld(known))) ctx.log.warn('sizing the take-profit from the exchange', { position: s.position.id, symbol: s.position.symbol, gap });
        }
        // More than our books: a fill whose frame was lost. Look it up; the TP covers what the exchange holds.
        const found = held.gt(ownHeld(known)) ? await lookUpMissingFills(s, known, at) : { effects: [], orders: known };
        const ours = ownHeld(found.orders);
        // Binance's modify sets the order's whole size, its filled part included: what the
        // take-profit has already sold is added, read from the exchange, so its rest covers `held`.
        const live = await findOnExchange(s.exchange, tp, s.filters);
        if (live?.status === 'filled') return handOverToClose(s, job.args.position, 'take-profit filled', [...found.effects, ...mergeEffects(tp, live, { at })]);
        const sold = dec(live?.executedQty ?? tp.executedQty ?? 0);
        const qty = toDecimalString(dec(roundQty(held, s.filters.stepSize, 'down')).plus(sold));
        const breakEven = legs.find((l) => compareDecimal(l.positionAmt, 0) !== 0)!.breakEvenPrice;
        const price = takeProfitFrom(s.position.direction, breakEven, s.position.profitPct, s.filters);
        try {
          await s.exchange.modifyOrder({ symbol: s.position.symbol, clientOrderId: tp.clientOrderId, side: tp.side, quantity: qty, price });
        } catch (error) {
          if (!isExchangeError(error, 'UNKNOWN_ORDER', 'ORDER_NOT_FOUND', 'NOTHING_TO_MODIFY', 'MODIFY_LIMIT')) throw error;
          const now = await findOnExchange(s.exchange, tp, s.filters);
          if (now?.status === 'filled') return handOverToClose(s, job.args.position, 'take-profit filled during WAP', mergeEffects(tp, now, { at }));
          if (!isExchangeError(error, 'NOTHING_TO_MODIFY')) throw error;
        }
        // Double-check: the exchange's copy must carry the new price (within a tick) and exactly the quantity.
        const check = await s.exchange.getOrder({ symbol: s.position.symbol, clientOrderId: tp.clientOrderId });
        const echo = echoOfOrder(check, s.filters);
        if (echo.status === 'filled') return handOverToClose(s, job.args.position, 'take-profit filled during WAP', mergeEffects(tp, echo, { at }));
        const off = dec(echo.price ?? 0).minus(price).abs();
        if (off.gt(s.filters.tickSize) || compareDecimal(echo.quantity ?? 0, qty) !== 0) {
          throw new RetryableExchangeError('QUANTITY_MISMATCH', `take-profit reads ${echo.quantity} @ ${echo.price}, expected ${qty} @ ${price}`);
        }
        ctx.log.info('take-profit re-priced', { position: s.position.id, symbol: s.position.symbol, breakEven, price, quantity: qty });
        // The amendment's own frame may have merged into the row while we waited: merge onto what it left.
        const fresh = (await findOrderByClientId(ctx.rows, tp.clientOrderId)) ?? tp;
        return result.complete([
          ...found.effects,
          reviseOrderIntent(fresh.clientOrderId, fresh.status, { price, quantity: qty }, { at }),
          ...mergeEffects(fresh, echo, { at }),
          patchPosition(s.position.id, 'waping', { at, set: { quantity: ours, breakEvenPrice: breakEven } }),
          ...found.orders.filter((o) => o.role === 'rung' && o.status === 'filled' && o.fillAppliedAt === null).map((o) => markFillApplied(o.id, at)),
        ]);
      },
    }),
    defineHandler({
      name: 'trading.wap.finish', lane, args: positionArgs,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        if (s.position.status !== 'waping') return result.skip(`position is ${s.position.status}`);
        const pendingFills = await unappliedFills(ctx.rows, s.position.id);
        return result.complete([
          movePosition(s.position.id, 'waping', 'active', { at: ctx.clock.now() }),
          ...pendingFills.map((o): Effect => ({ kind: 'start-block', set: 'trading', steps: wapBlock(job.args.position), dedupeKey: dedupe.wap(o.id) })),
        ]);
      },
    }),
    defineHandler({
      name: 'trading.wap.restore', lane, args: positionArgs,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        if (s.position.status !== 'waping') return result.complete([], `position is ${s.position.status}`);
        return result.complete([movePosition(s.position.id, 'waping', 'active', { at: ctx.clock.now(), set: { statusReason: 'WAP failed; restored' } })]);
      },
    }),
  ];
}
