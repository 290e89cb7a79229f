// Steps both exit workflows share: placing a reduce-only close of any residual, and the two reads
// 20 s apart that flatness needs (the first read spawns the second as a delayed child, so the step
// completes only once both reads saw the symbol flat).
import { RetryableExchangeError } from '../../core/exchange/exchange-errors.ts';
import { dec, roundQty } from '../../core/exchange/precision.ts';
import { result, type HandlerResult } from '../../core/steps/effects.ts';
import { defineHandler, type HandlerDefinition } from '../../core/steps/registry.ts';
import type { HandlerContext } from '../../core/steps/context.ts';
import { insertOrder } from '../../core/trading/order-effects.ts';
import { confirmFlatStep, placeStep, positionArgs } from './blocks.ts';
import { TRADING_DEFAULTS, type TradingDeps } from './deps.ts';
import { cancelWorking, isFlat, leftoverOrders, readExposure } from './exits.ts';
import { closeOrder } from './order-rows.ts';
import { ordersOfScope, requireScope, type Scope } from './scope.ts';
import type { OrderRow } from '../../core/trading/order.ts';

/** Places (or resumes) a reduce-only market close of whatever the exchange still holds. */
export async function flattenResidual(ctx: HandlerContext, s: Scope, uuid: string): Promise<HandlerResult> {
  const amount = await readExposure(s);
  if (isFlat(amount)) return result.complete([], 'nothing to close');
  const closes = (await ordersOfScope(ctx, s)).filter((o) => o.role === 'close');
  const pending = closes.find((o) => o.status === 'pending');
  if (pending) return result.complete([{ kind: 'spawn', steps: [placeStep(uuid, pending.clientOrderId)] }]);
  const qty = roundQty(dec(amount).abs(), s.filters.marketStepSize ?? s.filters.stepSize, 'down');
  const row = insertOrder(closeOrder(s.position, s.prefix, qty, closes.length), ctx.clock.now());
  return result.complete([row.effect, { kind: 'spawn', steps: [placeStep(uuid, row.clientOrderId)] }]);
}

/** A workflow's "close any residual" step (the close and the cancel blocks each have one). */
export function flattenHandler(name: string, deps: TradingDeps): HandlerDefinition {
  return defineHandler({
    name, lane: 'positions', args: positionArgs,
    async run(job, ctx) {
      return flattenResidual(ctx, await requireScope(ctx, deps, job.args.position), job.args.position);
    },
  });
}

/**
 * Throws (retryable) while an order of ours is still open on the exchange, cancelling it first:
 * a placement that started before the workflow began may have landed after its cancel pass.
 */
export async function cancelLeftovers(s: Scope, rows: readonly OrderRow[], at: number, what: string): Promise<void> {
  const leftover = await leftoverOrders(s, rows);
  if (leftover.length === 0) return;
  await cancelWorking(s, rows.filter((r) => leftover.includes(r.clientOrderId)).map((r) => ({ ...r, status: 'working' as const })), at);
  throw new RetryableExchangeError('EXCHANGE_UNAVAILABLE', `orders still open after ${what}: ${leftover.join(', ')}`);
}

/** First read of the flatness rule: flat → the second read is scheduled `gap` later as a child. */
export async function firstFlatRead(s: Scope, uuid: string, gapMs: number): Promise<HandlerResult | { residual: string }> {
  const amount = await readExposure(s);
  if (!isFlat(amount)) return { residual: amount };
  return result.complete([{ kind: 'spawn', steps: [confirmFlatStep(uuid, gapMs)] }], 'flat on the first read');
}

/** `trading.confirm-flat`: the second read; exposure seen now means the first read lied. */
export function confirmFlatHandler(deps: TradingDeps, load: (ctx: HandlerContext, uuid: string) => Promise<Scope>): HandlerDefinition {
  return defineHandler({
    name: 'trading.confirm-flat', lane: 'positions', args: positionArgs, maxAttempts: 5,
    async run(job, ctx) {
      const s = await load(ctx, job.args.position);
      const amount = await readExposure(s);
      if (isFlat(amount)) return result.complete([], `flat on two reads ${deps.flatReadGapMs ?? TRADING_DEFAULTS.flatReadGapMs} ms apart`);
      return result.fail(`exposure ${amount} ${s.position.symbol} on the second read`);
    },
  });
}

/** Thrown while exposure remains: protection must stay armed, so the step waits and retries. */
export class ExposureRemainsError extends RetryableExchangeError {
  constructor(amount: string, symbol: string) {
    super('EXCHANGE_UNAVAILABLE', `exposure ${amount} ${symbol} remains: protection stays armed`);
  }
}
