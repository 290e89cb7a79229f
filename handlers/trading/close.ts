// The close workflow (trading.md): `closing` → the DCA rungs cancelled at once (priority lane) →
// reduce-only close of any residual → cancel the remaining orders only once exposure is gone →
// sync the orders → the residual hard gate (two flat reads 20 s apart) → closing price, PnL,
// fast-trade flag → `closed`. Its steps wait out exchange outages (exit-wait.ts); if one still
// fails, the stop and take-profit stay armed, the operator is paged and the supervisor re-drives it.
import { z } from 'zod';
import { result, type Effect } from '../../core/steps/effects.ts';
import { defineHandler, type HandlerDefinition } from '../../core/steps/registry.ts';
import { movePosition, patchPosition } from '../../core/trading/position-effects.ts';
import type { PositionStatus } from '../../core/trading/statuses.ts';
import { positionArgs } from './blocks.ts';
import { TRADING_DEFAULTS, type TradingDeps } from './deps.ts';
import { cancelLeftovers, ExposureRemainsError, firstFlatRead, flattenHandler } from './exit-steps.ts';
import { cancelWorking, isFlat, readExposure, refreshRow } from './exits.ts';
import { settleFromExchange } from './ledger.ts';
import { ordersOfScope, requireScope } from './scope.ts';

const lane = 'positions';
const CLOSABLE: readonly PositionStatus[] = ['opening', 'active', 'syncing', 'waping'];

/** The close block's handlers. */
export function closeHandlers(deps: TradingDeps): HandlerDefinition[] {
  const gap = deps.flatReadGapMs ?? TRADING_DEFAULTS.flatReadGapMs;
  const fast = deps.fastTradeMs ?? TRADING_DEFAULTS.fastTradeMs;
  const deadline = deps.exitDeadlineMs ?? TRADING_DEFAULTS.exitDeadlineMs;
  return [
    defineHandler({
      name: 'trading.close.begin', lane, args: positionArgs.extend({ reason: z.string().max(200) }),
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        const from = s.position.status;
        // Already closing (a re-drive): touch the row so the supervisor's deadline restarts.
        if (from === 'closing') return result.complete([patchPosition(s.position.id, 'closing', { at: ctx.clock.now() })]);
        if (!CLOSABLE.includes(from)) return result.stop(`position is ${from}`);
        return result.complete([movePosition(s.position.id, from, 'closing', { at: ctx.clock.now(), set: { statusReason: job.args.reason } })]);
      },
    }),
    flattenHandler('trading.close.flatten', deps),
    defineHandler({
      name: 'trading.close.cancel-orders', lane, args: positionArgs, maxAttempts: 8,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        const amount = await readExposure(s);
        if (!isFlat(amount)) throw new ExposureRemainsError(amount, s.position.symbol);
        return result.complete(await cancelWorking(s, await ordersOfScope(ctx, s), ctx.clock.now()));
      },
    }),
    defineHandler({
      name: 'trading.close.sync-orders', lane, args: positionArgs,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        const at = ctx.clock.now();
        const effects: Effect[] = [];
        for (const row of await ordersOfScope(ctx, s)) {
          if (row.exchangeOrderId !== null) effects.push(...(await refreshRow(s.exchange, s, row, at)));
        }
        return result.complete(effects);
      },
    }),
    defineHandler({
      name: 'trading.close.verify', lane, args: positionArgs,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        // A placement that started before `closing` may have landed after the cancel pass.
        await cancelLeftovers(s, await ordersOfScope(ctx, s), ctx.clock.now(), 'close');
        const read = await firstFlatRead(s, job.args.position, gap);
        if ('outcome' in read) return read;
        return result.fail(`residual ${read.residual} ${s.position.symbol} after close`, [{
          kind: 'notify', severity: 'critical', subject: `position ${s.position.id} residual`,
          message: `${s.position.symbol} on account ${s.account.name} still holds ${read.residual} after its close; stop and take-profit left armed`,
        }]);
      },
    }),
    defineHandler({
      name: 'trading.close.finish', lane, args: positionArgs, maxAttempts: 8,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        if (s.position.status !== 'closing') return result.skip(`position is ${s.position.status}`);
        const at = ctx.clock.now();
        const books = await settleFromExchange(s, await ordersOfScope(ctx, s), at);
        const isFastTrade = at - (s.position.openedAt ?? s.position.createdAt) < fast;
        ctx.log.info('position closed', { position: s.position.id, symbol: s.position.symbol, ...books.patch, reason: s.position.statusReason });
        return result.complete([...books.effects, movePosition(s.position.id, 'closing', 'closed', { at, set: { ...books.patch, isFastTrade } })]);
      },
    }),
    defineHandler({
      name: 'trading.close.stuck', lane, args: positionArgs,
      async run(job, ctx) {
        // The position stays `closing` with its protection armed; the supervisor re-drives it after the deadline.
        const s = await requireScope(ctx, deps, job.args.position);
        if (s.position.status !== 'closing') return result.complete([], `position is ${s.position.status}`);
        return result.complete([{
          kind: 'notify', severity: 'critical', subject: `position ${s.position.id} close stuck`,
          message: `${s.position.symbol} on account ${s.account.name} could not be closed; protection left armed, rungs cancelled; the exit supervisor tries again ${Math.round(deadline / 60_000)} minutes after its last attempt`,
        }]);
      },
    }),
  ];
}
