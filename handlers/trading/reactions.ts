// What an observed order change means (trading.md's reaction table). Placement answers, the stream
// handler and the 5-minute poll all come here, so a fill seen twice (answer and frame, frame and
// poll, a duplicated frame) is merged once — the merge only moves the row forward — and its
// reaction block carries a dedupe key, so no block is ever started twice for one event.
import { compareDecimal } from '../../core/exchange/precision.ts';
import type { Effect } from '../../core/steps/effects.ts';
import type { OrderEcho } from '../../core/trading/order-effects.ts';
import { mergeEffects, mergeFields, type TradeReport } from '../../core/trading/order-merge.ts';
import type { OrderRow } from '../../core/trading/order.ts';
import type { PositionRow } from '../../core/trading/position.ts';
import { isTerminalOrder, type PositionStatus } from '../../core/trading/statuses.ts';
import { closeBlock, dedupe, wapBlock } from './blocks.ts';

const MANAGED: readonly PositionStatus[] = ['active', 'syncing', 'waping'];

/** Block starters for the reactions that are not WAP or close. */
export const reactionSteps = {
  replace: (uuid: string, clientOrderId: string) => [{ handler: 'trading.order.replace', args: { position: uuid, clientOrderId }, index: 1 }],
  correct: (uuid: string, clientOrderId: string) => [{ handler: 'trading.order.correct', args: { position: uuid, clientOrderId }, index: 1 }],
  syncQuantity: (uuid: string) => [{ handler: 'trading.sync-position', args: { position: uuid }, index: 1 }],
};

function differs(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return false;
  return compareDecimal(a, b) !== 0;
}

/**
 * Effects for an observed echo of one of our order rows, from any source (placement answer, frame,
 * poll, look-up): the monotone merge (order-merge.ts), then at most one reaction to what the merge
 * moved. An echo that is not news changes nothing.
 */
export function observeOrder(row: OrderRow, echo: OrderEcho & { trade?: TradeReport }, position: PositionRow, at: number): Effect[] {
  const fields = mergeFields(row, echo);
  if (!fields) return [];
  const effects: Effect[] = mergeEffects(row, echo, { at });
  const uuid = position.uuid;
  const start = (steps: Effect & { kind: 'start-block' }) => effects.push(steps);
  const moved = fields.status;

  if (moved === 'filled') {
    if (row.role === 'rung' && (MANAGED.includes(position.status) || position.status === 'opening')) {
      start({ kind: 'start-block', set: 'trading', steps: wapBlock(uuid), dedupeKey: dedupe.wap(row.id) });
    } else if ((row.role === 'profit' || row.role === 'stop') && position.status !== 'closing' && position.status !== 'cancelling') {
      start({ kind: 'start-block', set: 'trading', steps: closeBlock(uuid, `${row.role === 'profit' ? 'take-profit' : 'stop-loss'} filled`), dedupeKey: dedupe.close(uuid) });
    }
  } else if (moved === 'cancelled' || moved === 'expired' || moved === 'rejected') {
    if (row.role !== 'entry' && row.role !== 'close' && MANAGED.includes(position.status)) {
      start({ kind: 'start-block', set: 'trading', steps: reactionSteps.replace(uuid, row.clientOrderId), dedupeKey: dedupe.replace(row.clientOrderId) });
    }
  } else if (echo.status === 'partially_filled' && fields.executedQty !== undefined && row.role === 'profit' && MANAGED.includes(position.status)) {
    // A take-profit that sold part of the position: the quantity drops now (its rest still covers
    // the remainder, so nothing is re-priced).
    start({ kind: 'start-block', set: 'trading', steps: reactionSteps.syncQuantity(uuid), dedupeKey: dedupe.syncPartial(row.id, echo.executedQty ?? '0') });
  } else if (echo.status === 'partially_filled' && fields.executedQty !== undefined && row.role === 'rung' && MANAGED.includes(position.status)) {
    // A partial fill is exposure the take-profit must cover now, not at the next drift check: WAP.
    start({ kind: 'start-block', set: 'trading', steps: wapBlock(uuid), dedupeKey: dedupe.wapPartial(row.id, echo.executedQty ?? '0') });
  } else if (echo.status === 'working' && !isTerminalOrder(row.status) && position.status === 'active' /* a WAP's own amendment is no drift */
    && (fields.exchangePrice !== undefined || fields.exchangeQuantity !== undefined) && (differs(echo.price, row.price) || differs(echo.quantity, row.quantity))) {
    start({ kind: 'start-block', set: 'trading', steps: reactionSteps.correct(uuid, row.clientOrderId), dedupeKey: dedupe.correct(row.clientOrderId, echo.updatedAt) });
  }
  return effects;
}

/** The account update showed the position flat: cancel its DCA limits at once, then close. */
export function observeFlat(position: PositionRow): Effect[] {
  if (!MANAGED.includes(position.status)) return [];
  return [{ kind: 'start-block', set: 'trading', steps: closeBlock(position.uuid, 'position flat on the exchange', { flat: true }), dedupeKey: dedupe.close(position.uuid) }];
}
