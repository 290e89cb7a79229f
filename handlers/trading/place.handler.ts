// `trading.order.place`: places one order row that an earlier step committed, following the
// idempotency rule (placement.ts). A position that has left the open statuses gets no new orders;
// a reduce-only close the exchange refuses (-2022) is recorded as rejected for the close workflow,
// whose two flat reads decide what it meant.
import { isExchangeError } from '../../core/exchange/exchange-errors.ts';
import type { HandlerContext } from '../../core/steps/context.ts';
import { result, type HandlerResult } from '../../core/steps/effects.ts';
import { defineHandler, type HandlerDefinition } from '../../core/steps/registry.ts';
import { moveOrder } from '../../core/trading/order-effects.ts';
import { findOrderByClientId } from '../../core/trading/reads.ts';
import type { PositionStatus } from '../../core/trading/statuses.ts';
import { orderArgs } from './blocks.ts';
import { TRADING_DEFAULTS, type TradingDeps } from './deps.ts';
import { waitingOutOutages } from './exit-wait.ts';
import { findOnExchange, placeOrAdopt } from './placement.ts';
import { observeOrder } from './reactions.ts';
import { giveUpRung } from './smaller-ladder.ts';
import { MissingRowError, requireScope, type Scope } from './scope.ts';
import type { OrderRow } from '../../core/trading/order.ts';

const PLACING: readonly PositionStatus[] = ['opening', 'active', 'syncing', 'waping'];
const CLOSING: readonly PositionStatus[] = ['closing', 'cancelling'];

/** Places the order row `row` of the position in scope (shared by the place step and the open block's SL/TP steps). */
export async function placeRow(ctx: HandlerContext, s: Scope, row: OrderRow, attempt: number): Promise<HandlerResult> {
  if (row.exchangeOrderId !== null || row.status !== 'pending') {
    // A re-run whose answer lost the race to another source (its merge matched nothing and rolled
    // back): ask the exchange again and merge, rather than drop what the answer said.
    const found = attempt > 1 ? await findOnExchange(s.exchange, row, s.filters) : null;
    if (found) return result.complete(observeOrder(row, found, s.position, ctx.clock.now()), `already ${row.status}; merged the exchange's copy`);
    return result.skip(`already ${row.status} on the exchange`);
  }
  const allowed = row.role === 'close' ? CLOSING : PLACING;
  if (!allowed.includes(s.position.status)) return result.skip(`position is ${s.position.status}: ${row.role} order not placed`);
  const at = ctx.clock.now();
  try {
    const { echo } = await placeOrAdopt(s.exchange, row, s.filters, attempt);
    // A stream frame may have moved the row while the request was out: merge onto what it left.
    const fresh = (await findOrderByClientId(ctx.rows, row.clientOrderId)) ?? row;
    return result.complete(observeOrder(fresh, echo, s.position, at));
  } catch (error) {
    if (row.role === 'close' && isExchangeError(error, 'REDUCE_ONLY_REJECTED', 'NO_OPEN_POSITION')) {
      return result.complete([moveOrder(row.clientOrderId, 'pending', 'rejected', { at })], 'reduce-only close refused: nothing to reduce');
    }
    // A replacement rung below min notional will never be accepted: the row ends rejected and the
    // ladder is one rung smaller (an original rung cannot get here: the open simulates the ladder first).
    if (row.role === 'rung' && row.replacement > 0 && isExchangeError(error, 'MIN_NOTIONAL')) {
      const effects = [moveOrder(row.clientOrderId, 'pending', 'rejected', { at }), ...giveUpRung(ctx, s, row.rung ?? 0, `${row.clientOrderId} rejected: ${(error as Error).message}`)];
      return result.complete(effects, 'rung rejected for min notional');
    }
    throw error;
  }
}

/** The placement handler. */
export function placeHandler(deps: TradingDeps): HandlerDefinition {
  return defineHandler({
    name: 'trading.order.place', lane: 'orders', args: orderArgs,
    async run(job, ctx) {
      const row = await findOrderByClientId(ctx.rows, job.args.clientOrderId);
      if (!row) throw new MissingRowError(`order ${job.args.clientOrderId}`);
      // A re-run merges the exchange's copy onto a row another source moved first (placeRow).
      if (job.attempt === 1 && (row.exchangeOrderId !== null || row.status !== 'pending')) return result.skip(`already ${row.status} on the exchange`);
      const place = async () => placeRow(ctx, await requireScope(ctx, deps, job.args.position), row, job.attempt);
      // A residual close is an exit step: from the second attempt on (which looks the client id up
      // before sending, so a wait that gives the attempt back can never send twice) it waits out outages.
      if (row.role === 'close' && job.attempt > 1) return waitingOutOutages(job, ctx, deps.exitOutageBudgetMs ?? TRADING_DEFAULTS.exitOutageBudgetMs, place);
      return place();
    },
  });
}
