// The step blocks of the trading lifecycle (trading.md), as data. Each step names its position by
// uuid; equal indexes run in parallel; resolve-exception steps run only when their block fails.
import { z } from 'zod';
import type { BlockStepSpec } from '../../core/steps/effects.ts';

/** Arguments of every position-scoped step. */
export const positionArgs = z.object({ position: z.string().min(1).max(64) });
/** Arguments of a step about one order row of a position. */
export const orderArgs = positionArgs.extend({ clientOrderId: z.string().min(1).max(36) });

const step = (handler: string, position: string, index: number, extra: Partial<BlockStepSpec> = {}): BlockStepSpec =>
  ({ handler, args: { position }, index, ...extra });

/** The 11-step open block, with the resolver that routes any failure to the cancel workflow. */
export function openBlock(position: string): BlockStepSpec[] {
  return [
    step('trading.open.verify-pair', position, 1),
    step('trading.open.margin-mode', position, 2),
    step('trading.open.prepare', position, 3),
    step('trading.open.leverage', position, 4),
    step('trading.open.set-leverage', position, 5),
    step('trading.open.simulate-ladder', position, 6),
    step('trading.open.market-entry', position, 7),
    step('trading.open.rungs', position, 8),
    step('trading.open.stop-loss', position, 9),
    step('trading.open.take-profit', position, 10),
    step('trading.open.activate', position, 11),
    step('trading.open.abort', position, 12, { resolveException: true }),
  ];
}

/** Placement of one order row (a child of the step that inserted it). */
export function placeStep(position: string, clientOrderId: string, index = 1, lane = 'orders'): BlockStepSpec {
  return { handler: 'trading.order.place', args: { position, clientOrderId }, index, lane };
}

/**
 * The cancel workflow, in the close's order: out of `active` and the rungs cancelled at once on the
 * priority lane, then exposure before protection (the residual closed, and only once the exchange
 * is flat the stop and take-profit cancelled), the two flat reads, then `cancelled`. When it
 * cannot be proven clean the resolver fails it only if the exchange is clear; with exposure or an
 * order of ours left it stays `cancelling`, protection armed, and the supervisor re-drives it.
 */
export function cancelBlock(position: string, reason: string): BlockStepSpec[] {
  return [
    { handler: 'trading.cancel.begin', args: { position, reason }, index: 1, lane: 'priority' },
    step('trading.cancel-rungs', position, 2, { lane: 'priority' }),
    step('trading.cancel.flatten', position, 3),
    step('trading.cancel.orders', position, 4),
    step('trading.cancel.verify', position, 5),
    step('trading.cancel.finish', position, 6),
    step('trading.cancel.unprovable', position, 7, { resolveException: true }),
  ];
}

/**
 * The close workflow: exposure first, protection after, the residual hard gate, then `closed`. The
 * DCA limits are cancelled at once, right after the position leaves `active` (so no replacement
 * reacts to those cancels), on the priority lane: a position on its way out must never buy more.
 * `flat`: the exchange already showed the position flat, so the whole close runs on the priority lane.
 */
export function closeBlock(position: string, reason: string, options: { flat?: boolean } = {}): BlockStepSpec[] {
  const lane = options.flat ? 'priority' : 'positions';
  return [
    { handler: 'trading.close.begin', args: { position, reason }, index: 1, lane: 'priority' },
    step('trading.cancel-rungs', position, 2, { lane: 'priority' }),
    step('trading.close.flatten', position, 3, { lane }),
    step('trading.close.cancel-orders', position, 4, { lane }),
    step('trading.close.sync-orders', position, 5, { lane }),
    step('trading.close.verify', position, 6, { lane }),
    step('trading.close.finish', position, 7, { lane }),
    step('trading.close.stuck', position, 8, { lane, resolveException: true }),
  ];
}

/**
 * An operator's "close now": the ordinary close workflow under the one close dedupe key (a position
 * already closing keeps its block), with a reason naming the operator, so the ledger records the
 * exit reason `operator` (ledger.ts reads it from the status reason).
 */
export function operatorClose(position: string, who: string): { steps: BlockStepSpec[]; dedupeKey: string } {
  return { steps: closeBlock(position, `operator close now by ${who}`.slice(0, 200)), dedupeKey: dedupe.close(position) };
}

/** WAP after a rung fill, with the resolver that restores `active` when it fails. */
export function wapBlock(position: string): BlockStepSpec[] {
  return [
    step('trading.wap.begin', position, 1),
    step('trading.wap.reprice', position, 2),
    step('trading.wap.finish', position, 3),
    step('trading.wap.restore', position, 4, { resolveException: true }),
  ];
}

/** The second read of the flatness rule, `delayMs` after the first. */
export function confirmFlatStep(position: string, delayMs: number): BlockStepSpec {
  return { handler: 'trading.confirm-flat', args: { position }, index: 1, delayMs };
}

/** Dedupe keys: one block per cause, so no event is ever acted on twice. */
export const dedupe = {
  open: (uuid: string) => `open:${uuid}`,
  cancel: (uuid: string) => `cancel:${uuid}`,
  close: (uuid: string) => `close:${uuid}`,
  wap: (orderRowId: number) => `wap:${orderRowId}`,
  heal: (uuid: string, bucket: number) => `heal:${uuid}:${bucket}`,
  replace: (clientOrderId: string) => `replace:${clientOrderId}`,
  correct: (clientOrderId: string, stamp: number) => `correct:${clientOrderId}:${stamp}`,
  wapPartial: (orderRowId: number, executed: string) => `wap:${orderRowId}:${executed}`,
  syncPartial: (orderRowId: number, executed: string) => `sync:${orderRowId}:${executed}`,
};
