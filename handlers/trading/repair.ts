// Keeping a managed position whole: replacement of a cancelled / expired / rejected rung or
// protection, correction of a working order that drifted from our intent (skipped once the order
// is terminal), the quantity sync (no longer started: a partial fill runs WAP; kept for steps
// already queued), and cancelling the DCA limits of a position on its way out (priority lane).
import { z } from 'zod';
import { compareDecimal, dec, roundQty } from '../../core/exchange/precision.ts';
import { result, type Effect } from '../../core/steps/effects.ts';
import { defineHandler, type HandlerDefinition } from '../../core/steps/registry.ts';
import { echoOfOrder, insertOrder } from '../../core/trading/order-effects.ts';
import { mergeEffects } from '../../core/trading/order-merge.ts';
import type { OrderRow } from '../../core/trading/order.ts';
import { patchPosition } from '../../core/trading/position-effects.ts';
import { findOrderByClientId } from '../../core/trading/reads.ts';
import { isOpenPosition, isTerminalOrder, type PositionStatus } from '../../core/trading/statuses.ts';
import { closeBlock, dedupe, orderArgs, placeStep, positionArgs } from './blocks.ts';
import type { TradingDeps } from './deps.ts';
import { cancelOnExchange, cancelWorking, heldAmount, leftoverOrders } from './exits.ts';
import { profitOrder, rungOrder, stopOrder } from './order-rows.ts';
import { findOnExchange } from './placement.ts';
import { MissingRowError, ordersOfScope, requireScope } from './scope.ts';
import { giveUpRung } from './smaller-ladder.ts';
import { ownHeld } from './wap.ts';

/** Replacements of one order before the position is closed instead (a stop that keeps bouncing). */
export const MAX_REPLACEMENTS = 3;

/** Statuses whose ladder stays: the open block is placing it, or the position is managed. */
const KEEPS_LADDER: readonly PositionStatus[] = ['new', 'opening', 'active', 'syncing', 'waping'];

const sameSlot = (a: OrderRow, b: OrderRow) => a.role === b.role && a.rung === b.rung;

/** The repair handlers. */
export function repairHandlers(deps: TradingDeps): HandlerDefinition[] {
  return [
    defineHandler({
      name: 'trading.order.replace', lane: 'orders', args: orderArgs,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        if (s.position.status === 'waping' || s.position.status === 'syncing') return result.throttle(500, `position is ${s.position.status}`);
        if (s.position.status !== 'active') return result.skip(`position is ${s.position.status}`);
        const orders = await ordersOfScope(ctx, s);
        const dead = orders.find((o) => o.clientOrderId === job.args.clientOrderId);
        if (!dead) throw new MissingRowError(`order ${job.args.clientOrderId}`);
        const latest = orders.filter((o) => sameSlot(o, dead)).sort((a, b) => b.replacement - a.replacement)[0]!;
        if (latest.id !== dead.id || !['cancelled', 'expired', 'rejected'].includes(dead.status)) return result.skip('already replaced or alive');
        // A flat position is the close path's business: re-arming it would place orders on nothing.
        if (dec(heldAmount(await s.exchange.getPositions(s.position.symbol))).isZero()) return result.skip('position flat on the exchange');
        const next = dead.replacement + 1;
        if (next > MAX_REPLACEMENTS) {
          const reason = `${dead.role} ${dead.clientOrderId} died ${next} times`;
          return result.complete([
            { kind: 'notify', severity: 'critical', subject: `position ${s.position.id} unprotected`, message: `${s.position.symbol}: ${reason}; closing the position` },
            { kind: 'start-block', set: 'trading', steps: closeBlock(job.args.position, reason), dedupeKey: dedupe.close(job.args.position) },
          ]);
        }
        let rungQty = dead.quantity!;
        if (dead.role === 'rung') {
          // Only what the dead rung had left: its filled part is already exposure (and in the TP).
          rungQty = roundQty(dec(dead.quantity!).minus(dead.executedQty ?? 0), s.filters.stepSize, 'down');
          const tooSmall = dec(rungQty).lt(s.filters.minQty) || dec(rungQty).times(dead.price!).lt(s.filters.minNotional);
          if (tooSmall) return result.complete(giveUpRung(ctx, s, dead.rung!, `remainder ${rungQty} of ${dead.clientOrderId} is below the filters`), 'remainder below the filters');
        }
        const order = dead.role === 'rung' ? rungOrder(s.position, s.prefix, dead.rung!, dead.price!, rungQty, next)
          : dead.role === 'stop' ? stopOrder(s.position, s.prefix, dead.price!, next)
            : dead.role === 'profit' ? profitOrder(s.position, s.prefix, dead.price!, dead.quantity!, next)
              : null;
        if (!order) return result.skip(`${dead.role} orders are not replaced`);
        const row = insertOrder(order, ctx.clock.now());
        return result.complete([row.effect, { kind: 'spawn', steps: [placeStep(job.args.position, row.clientOrderId)] }]);
      },
    }),
    defineHandler({
      name: 'trading.order.correct', lane: 'orders', args: orderArgs,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        if (s.position.status !== 'active') return result.skip(`position is ${s.position.status}`);
        const row = await findOrderByClientId(ctx.rows, job.args.clientOrderId);
        if (!row || row.exchangeOrderId === null || isTerminalOrder(row.status)) return result.skip('order is not working');
        const echo = await findOnExchange(s.exchange, row, s.filters);
        const at = ctx.clock.now();
        if (!echo || isTerminalOrder(echo.status)) return result.skip('order went terminal', echo ? mergeEffects(row, echo, { at }) : []);
        const priceOk = row.price === null || compareDecimal(echo.price ?? 0, row.price) === 0;
        const qtyOk = row.quantity === null || compareDecimal(echo.quantity ?? 0, row.quantity) === 0;
        if (priceOk && qtyOk) return result.skip('order matches intent');
        if (row.isAlgo) {
          // Conditional orders cannot be modified: cancel, and the cancel's reaction replaces it.
          return result.complete(await cancelWorking(s, [row], at));
        }
        const fixed = await s.exchange.modifyOrder({ symbol: row.symbol, clientOrderId: row.clientOrderId, side: row.side, price: row.price!, quantity: row.quantity! });
        return result.complete(mergeEffects(row, echoOfOrder(fixed, s.filters), { at }));
      },
    }),
    defineHandler({
      name: 'trading.sync-position', lane: 'positions', args: positionArgs,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        if (s.position.status !== 'active') return result.skip(`position is ${s.position.status}`);
        const held = dec(heldAmount(await s.exchange.getPositions(s.position.symbol))).abs();
        const ours = dec(ownHeld(await ordersOfScope(ctx, s)));
        const quantity = roundQty(held.lt(ours) ? held : ours, s.filters.stepSize, 'down');
        if (s.position.quantity !== null && compareDecimal(quantity, s.position.quantity) === 0) return result.skip('quantity unchanged');
        return result.complete([patchPosition(s.position.id, 'active', { at: ctx.clock.now(), set: { quantity } })]);
      },
    }),
    defineHandler({
      name: 'trading.cancel-rungs', lane: 'priority', args: positionArgs,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        // A managed position keeps its ladder; only one on its way out (or gone) loses it.
        if (KEEPS_LADDER.includes(s.position.status)) return result.skip(`position is ${s.position.status}`);
        const rungs = (await ordersOfScope(ctx, s)).filter((o) => o.role === 'rung');
        return result.complete(await cancelWorking(s, rungs, ctx.clock.now()));
      },
    }),
    defineHandler({
      name: 'trading.cancel-orphans', lane: 'priority', args: positionArgs,
      async run(job, ctx) {
        // Orders still working for a position that already ended (the drift check found them).
        const s = await requireScope(ctx, deps, job.args.position);
        if (isOpenPosition(s.position.status)) return result.skip(`position is ${s.position.status}: its own workflow owns its orders`);
        const rows = await ordersOfScope(ctx, s);
        const live = await leftoverOrders(s, rows);
        // A row our books already show finished gets the cancel without a write; every other row is
        // cancelled or, when the exchange finished it meanwhile, recorded as what it became.
        for (const r of rows.filter((o) => isTerminalOrder(o.status) && live.includes(o.clientOrderId))) await cancelOnExchange(s, r);
        return result.complete(await cancelWorking(s, rows.filter((o) => !isTerminalOrder(o.status)), ctx.clock.now()));
      },
    }),
    defineHandler({
      name: 'trading.close.start', lane: 'priority', args: positionArgs.extend({ reason: z.string().max(200) }),
      async run(job) {
        const effects: Effect[] = [{ kind: 'start-block', set: 'trading', steps: closeBlock(job.args.position, job.args.reason), dedupeKey: dedupe.close(job.args.position) }];
        return result.complete(effects);
      },
    }),
  ];
}
