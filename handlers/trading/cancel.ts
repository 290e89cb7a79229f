// The cancel workflow, the failure path of an open (trading.md): cancel the rungs, close any
// residual, cancel the protection only once the exchange is flat (exposure always goes before
// protection), verify the exchange is clear. Proven clean → `cancelled`, silently (an empty cleanup
// is clean). Not provable → the operator is paged and the symbol blocked automatically; the
// position is `failed` only when the exchange shows it flat with no order of ours, otherwise it
// stays `cancelling` with its protection armed and the supervisor re-drives it (issue 13): `failed`
// is terminal, and nothing re-drives a terminal position whose exposure remains.
import { z } from 'zod';
import { result } from '../../core/steps/effects.ts';
import { defineHandler, type HandlerDefinition } from '../../core/steps/registry.ts';
import { blockSymbol } from '../../core/trading/exchange-symbol.ts';
import { movePosition, patchPosition } from '../../core/trading/position-effects.ts';
import type { OrderRow } from '../../core/trading/order.ts';
import { TERMINAL_POSITION_STATUSES } from '../../core/trading/statuses.ts';
import { positionArgs } from './blocks.ts';
import { TRADING_DEFAULTS, type TradingDeps } from './deps.ts';
import { cancelLeftovers, ExposureRemainsError, firstFlatRead, flattenHandler } from './exit-steps.ts';
import { cancelWorking, everExposed, isFlat, leftoverOrders, readExposure } from './exits.ts';
import { settleFromExchange } from './ledger.ts';
import { ordersOfScope, requireScope, type Scope } from './scope.ts';

const lane = 'positions';

/**
 * What the exchange still holds of the position (exposure, orders of ours), or null when one read
 * each shows it clear. A read that fails proves nothing, so it counts as something remaining.
 */
async function whatRemains(s: Scope, rows: readonly OrderRow[]): Promise<string | null> {
  try {
    const amount = await readExposure(s);
    if (!isFlat(amount)) return `exposure ${amount} remains`;
    const leftover = await leftoverOrders(s, rows);
    return leftover.length > 0 ? `orders still open: ${leftover.join(', ')}` : null;
  } catch (error) {
    return `the exchange could not be read: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The cancel block's handlers. */
export function cancelHandlers(deps: TradingDeps): HandlerDefinition[] {
  const gap = deps.flatReadGapMs ?? TRADING_DEFAULTS.flatReadGapMs;
  const deadline = deps.exitDeadlineMs ?? TRADING_DEFAULTS.exitDeadlineMs;
  return [
    defineHandler({
      name: 'trading.cancel.begin', lane, args: positionArgs.extend({ reason: z.string().max(200) }),
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        const from = s.position.status;
        // Already cancelling (a re-drive): touch the row so the supervisor's deadline restarts.
        if (from === 'cancelling') return result.complete([patchPosition(s.position.id, 'cancelling', { at: ctx.clock.now() })]);
        if (TERMINAL_POSITION_STATUSES.includes(from)) return result.stop(`position is ${from}`);
        return result.complete([movePosition(s.position.id, from, 'cancelling', { at: ctx.clock.now(), set: { statusReason: job.args.reason } })]);
      },
    }),
    defineHandler({
      name: 'trading.cancel.orders', lane, args: positionArgs, maxAttempts: 8,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        const amount = await readExposure(s);
        if (!isFlat(amount)) throw new ExposureRemainsError(amount, s.position.symbol);
        return result.complete(await cancelWorking(s, await ordersOfScope(ctx, s), ctx.clock.now()));
      },
    }),
    flattenHandler('trading.cancel.flatten', deps),
    defineHandler({
      name: 'trading.cancel.verify', lane, args: positionArgs, maxAttempts: 5,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        const rows = await ordersOfScope(ctx, s);
        await cancelLeftovers(s, rows, ctx.clock.now(), 'cancel');
        // Nothing ever filled: there is no exposure whose absence needs proving.
        if (!everExposed(rows)) return result.complete([], 'nothing was exposed');
        const read = await firstFlatRead(s, job.args.position, gap);
        if ('outcome' in read) return read;
        return result.fail(`residual ${read.residual} ${s.position.symbol} after cancel`);
      },
    }),
    defineHandler({
      name: 'trading.cancel.finish', lane, args: positionArgs, maxAttempts: 8,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        if (s.position.status !== 'cancelling') return result.skip(`position is ${s.position.status}`);
        const at = ctx.clock.now();
        // A cancel after the entry filled made or lost money too: its books come from the exchange like a close's.
        const books = await settleFromExchange(s, await ordersOfScope(ctx, s), at);
        ctx.log.info('position cancelled', { position: s.position.id, symbol: s.position.symbol, reason: s.position.statusReason, net: books.patch.netPnl });
        return result.complete([...books.effects, movePosition(s.position.id, 'cancelling', 'cancelled', { at, set: books.patch })]);
      },
    }),
    defineHandler({
      name: 'trading.cancel.unprovable', lane, args: positionArgs,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        if (s.position.status !== 'cancelling') return result.complete([], `position is ${s.position.status}`);
        const at = ctx.clock.now();
        const reason = `cancel of position ${s.position.id} could not be proven clean`;
        const block = blockSymbol(s.position.symbol, reason, at, s.position.exchange);
        const left = await whatRemains(s, await ordersOfScope(ctx, s));
        if (left !== null) {
          return result.complete([block, {
            kind: 'notify', severity: 'critical', subject: `position ${s.position.id} cancel stuck`,
            message: `${s.position.symbol} on account ${s.account.name}: ${reason} (${left}); protection left armed, symbol blocked from selection; the exit supervisor tries again ${Math.round(deadline / 60_000)} minutes after its last attempt`,
          }]);
        }
        return result.complete([
          movePosition(s.position.id, 'cancelling', 'failed', { at, set: { statusReason: reason } }),
          block,
          { kind: 'notify', severity: 'critical', subject: `position ${s.position.id} failed`, message: `${s.position.symbol} on account ${s.account.name}: ${reason}; symbol blocked from selection` },
        ]);
      },
    }),
  ];
}
