// Open block, steps 7-11, and its failure resolver. The market entry re-checks readiness right
// before it is sent; the stop-loss goes out right after the entry's fill, ahead of the rungs (which
// follow as parallel siblings), and before the take-profit (structural: the TP step only starts
// once the SL step has completed); activation verifies every order and freezes the worst-case loss.
import { compareDecimal, dec, toDecimalString } from '../../core/exchange/precision.ts';
import { result, type Effect } from '../../core/steps/effects.ts';
import { defineHandler, type HandlerDefinition } from '../../core/steps/registry.ts';
import { insertOrder } from '../../core/trading/order-effects.ts';
import type { OrderRow } from '../../core/trading/order.ts';
import { activatePosition, movePosition, patchPosition } from '../../core/trading/position-effects.ts';
import { findOrderByClientId, getAccount } from '../../core/trading/reads.ts';
import { cancelBlock, dedupe, placeStep, positionArgs } from './blocks.ts';
import type { TradingDeps } from './deps.ts';
import { computeLadder, LadderError, type Ladder } from './ladder.ts';
import { profitOrder, rungOrder, stopOrder } from './order-rows.ts';
import { findOnExchange, placeOrAdopt } from './placement.ts';
import { placeRow } from './place.handler.ts';
import { observeOrder } from './reactions.ts';
import { loadScope, ordersOfScope, requireScope, type Scope } from './scope.ts';

const lane = 'positions';

/** The ladder as placed: priced from the entry's fill, sized from its filled quantity. */
function placedLadder(s: Scope): Ladder {
  const p = s.position;
  if (p.openingPrice === null || p.quantity === null || p.leverage === null) throw new LadderError('position has no entry fill yet');
  return computeLadder({ ...p, leverage: p.leverage, ref: p.openingPrice, entryQty: p.quantity, filters: s.filters });
}

function ladderOrFail(s: Scope): Ladder | string {
  try {
    return placedLadder(s);
  } catch (error) {
    if (error instanceof LadderError) return `ladder does not fit ${s.position.symbol}: ${error.message}`;
    throw error;
  }
}

/** Loss if every rung fills and the stop fills at its trigger, from the rows as placed. */
function worstCaseLoss(entryPrice: string, orders: OrderRow[]): string {
  const stop = orders.find((o) => o.role === 'stop')!.price!;
  let loss = dec(0);
  for (const o of orders) {
    if (o.role === 'entry') loss = loss.plus(dec(o.executedQty ?? 0).times(dec(entryPrice).minus(stop).abs()));
    if (o.role === 'rung' && o.replacement === 0) loss = loss.plus(dec(o.quantity!).times(dec(o.price!).minus(stop).abs()));
  }
  return toDecimalString(loss);
}

/** Steps 9 and 10: place the stop-loss, then the take-profit (rows written by step 8). */
function protectionStep(name: string, role: 'stop' | 'profit', deps: TradingDeps): HandlerDefinition {
  return defineHandler({
    name, lane, args: positionArgs,
    async run(job, ctx) {
      const s = await requireScope(ctx, deps, job.args.position);
      if (s.position.status !== 'opening') return result.fail(`position is ${s.position.status}`);
      const row = (await ordersOfScope(ctx, s)).find((o) => o.role === role && o.replacement === 0);
      if (!row) return result.fail(`the ${role} order row is missing`);
      const placed = await placeRow(ctx, s, row, job.attempt);
      // Skipped means already placed: fine. Anything short of a placement leaves the position bare.
      return placed.outcome.kind === 'skip' && row.exchangeOrderId === null ? result.fail(`${role} not placed: ${placed.outcome.reason}`) : placed;
    },
  });
}

/** Steps 7-11 of the open block and its abort resolver. */
export function openOrderHandlers(deps: TradingDeps): HandlerDefinition[] {
  return [
    defineHandler({
      name: 'trading.open.market-entry', lane, args: positionArgs,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        if (s.position.status !== 'opening') return result.fail(`position is ${s.position.status}`);
        const entry = (await ordersOfScope(ctx, s)).find((o) => o.role === 'entry');
        if (!entry) return result.fail('the entry order row is missing');
        const now = ctx.clock.now();
        const effects: Effect[] = [];
        let echo;
        if (entry.exchangeOrderId === null) {
          // Readiness right before the money moves: switching trading off stops new exposure at once.
          const account = await getAccount(ctx.rows, s.account.id);
          if (!account?.tradingEnabled) return result.fail('trading is switched off for this account');
          ({ echo } = await placeOrAdopt(s.exchange, entry, s.filters, job.attempt));
        } else {
          const found = await findOnExchange(s.exchange, entry, s.filters);
          if (!found) return result.fail(`entry ${entry.clientOrderId} has an exchange id the exchange does not know`);
          echo = found;
        }
        // Binance's new-order answer carries no average price: the fill price comes from a look-up.
        if (echo.status === 'filled' && echo.avgPrice === undefined) echo = { ...echo, avgPrice: (await findOnExchange(s.exchange, entry, s.filters))?.avgPrice };
        // A stream frame may have moved the row while the request was out: merge onto what it left.
        effects.push(...observeOrder((await findOrderByClientId(ctx.rows, entry.clientOrderId)) ?? entry, echo, s.position, now));
        if (echo.status === 'working' || echo.status === 'partially_filled') {
          return { ...result.retryAfter(200, 'market entry still working'), effects };
        }
        if (compareDecimal(echo.executedQty ?? 0, 0) <= 0) return result.fail(`market entry ended ${echo.exchangeStatus} without a fill`, effects);
        const avg = echo.avgPrice;
        if (!avg) return { ...result.retryAfter(200, 'entry fill price not reported yet'), effects };
        effects.push(patchPosition(s.position.id, 'opening', { at: now, set: { openingPrice: avg, quantity: echo.executedQty! } }));
        return result.complete(effects);
      },
    }),
    defineHandler({
      name: 'trading.open.rungs', lane, args: positionArgs,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        if (s.position.status !== 'opening') return result.fail(`position is ${s.position.status}`);
        const ladder = ladderOrFail(s);
        if (typeof ladder === 'string') return result.fail(ladder);
        const at = ctx.clock.now();
        const rows = ladder.rungs.map((r) => insertOrder(rungOrder(s.position, s.prefix, r.rung, r.price, r.quantity), at));
        // The protection rows go in now too, so steps 9 and 10 place them without a child step each.
        const stop = insertOrder(stopOrder(s.position, s.prefix, ladder.stopPrice), at);
        const protection = [stop, insertOrder(profitOrder(s.position, s.prefix, ladder.takeProfitPrice, s.position.quantity!), at)];
        // The entry has filled: the stop goes out first, the rungs after it. A close-all stop cannot
        // precede the entry (Binance answers -4509 with no position and no resting order), so this
        // is the shortest window; step 9 then finds it placed (and still places it for a block
        // spawned before this order existed).
        return result.complete([
          ...[...rows, ...protection].map((r) => r.effect),
          { kind: 'spawn', steps: [placeStep(job.args.position, stop.clientOrderId, 1), ...rows.map((r) => placeStep(job.args.position, r.clientOrderId, 2))] },
        ]);
      },
    }),
    protectionStep('trading.open.stop-loss', 'stop', deps),
    protectionStep('trading.open.take-profit', 'profit', deps),
    defineHandler({
      name: 'trading.open.activate', lane, args: positionArgs,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        // A take-profit that filled right after entry already handed the position to close.
        if (s.position.status !== 'opening') return result.skip(`position is ${s.position.status}`);
        const orders = await ordersOfScope(ctx, s);
        const unplaced = orders.filter((o) => o.role !== 'close' && o.exchangeOrderId === null);
        if (unplaced.length > 0) return result.fail(`orders not placed: ${unplaced.map((o) => o.clientOrderId).join(', ')}`);
        if (!orders.some((o) => o.role === 'stop') || !orders.some((o) => o.role === 'profit')) return result.fail('protection is missing');
        const loss = worstCaseLoss(s.position.openingPrice!, orders);
        ctx.log.info('position active', { position: s.position.id, symbol: s.position.symbol, direction: s.position.direction, entry: s.position.openingPrice, worstCaseLoss: loss });
        return result.complete([activatePosition(s.position.id, loss, { at: ctx.clock.now() })]);
      },
    }),
    defineHandler({
      name: 'trading.open.abort', lane, args: positionArgs,
      async run(job, ctx) {
        const s = await loadScope(ctx, deps, job.args.position);
        if (!s) return result.complete([], 'no position to clean up');
        const from = s.position.status;
        if (from !== 'new' && from !== 'opening' && from !== 'active') return result.complete([], `position is ${from}: its own workflow owns it`);
        return result.complete([
          movePosition(s.position.id, from, 'cancelling', { at: ctx.clock.now(), set: { statusReason: 'open block failed' } }),
          { kind: 'start-block', set: 'trading', steps: cancelBlock(job.args.position, 'open block failed'), dedupeKey: dedupe.cancel(job.args.position) },
        ]);
      },
    }),
  ];
}
