// An operator's "cancel this order": one working order left behind by a position that is no
// longer managed (closed, cancelled or failed), cancelled on the exchange and merged back. A
// managed position's orders are refused: the fleet replaces a cancelled rung, stop or take-profit
// by design, so the way to take exposure off a live position is its close workflow ("Close now").
import { result } from '../../core/steps/effects.ts';
import { defineHandler, type HandlerDefinition } from '../../core/steps/registry.ts';
import { isTerminalOrder, TERMINAL_POSITION_STATUSES } from '../../core/trading/statuses.ts';
import { orderArgs } from './blocks.ts';
import type { TradingDeps } from './deps.ts';
import { cancelWorking } from './exits.ts';
import { ordersOfScope, requireScope } from './scope.ts';

/** The step an operator's "cancel this order" starts (orders lane, one per client id). */
export function cancelOrderHandler(deps: TradingDeps): HandlerDefinition {
  return defineHandler({
    name: 'trading.order.cancel', lane: 'orders', args: orderArgs,
    async run(job, ctx) {
      const s = await requireScope(ctx, deps, job.args.position);
      const row = (await ordersOfScope(ctx, s)).find((o) => o.clientOrderId === job.args.clientOrderId);
      if (!row) return result.stop(`order ${job.args.clientOrderId} is not one of position ${s.position.id}'s`);
      if (isTerminalOrder(row.status)) return result.skip(`order is already ${row.status}`);
      if (row.role === 'entry' || row.role === 'close') return result.stop(`a ${row.role} order is the exit workflows' to settle, not the operator's`);
      if (!TERMINAL_POSITION_STATUSES.includes(s.position.status)) {
        return result.stop(`position ${s.position.id} is ${s.position.status}: the fleet would replace this order; close the position instead`);
      }
      return result.complete(await cancelWorking(s, [row], ctx.clock.now()));
    },
  });
}

/** The block an operator's "cancel this order" starts, and its dedupe key (one per order and minute, so a retry later is possible). */
export function operatorCancelOrder(position: string, clientOrderId: string, now: number): { steps: { handler: string; args: Record<string, unknown>; index: number }[]; dedupeKey: string } {
  return { steps: [{ handler: 'trading.order.cancel', args: { position, clientOrderId }, index: 1 }], dedupeKey: `operator-cancel:${clientOrderId}:${Math.floor(now / 60_000)}` };
}
