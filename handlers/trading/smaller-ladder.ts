// A rung that cannot be placed again (the exchange refused its replacement for min notional, or
// what a partial fill left is below the symbol's filters) is given up, never left `pending`: the
// position records the smaller ladder and the operator sees a warning.
import type { HandlerContext } from '../../core/steps/context.ts';
import type { Effect } from '../../core/steps/effects.ts';
import { shrinkLadder } from '../../core/trading/position-effects.ts';
import type { Scope } from './scope.ts';

/** The effects of giving up one rung of the position in scope, logged as a warning. */
export function giveUpRung(ctx: HandlerContext, s: Scope, rung: number, reason: string): Effect[] {
  const at = ctx.clock.now();
  const message = `${s.position.symbol} position ${s.position.id}: rung ${rung} given up (${reason}); the ladder now has ${Math.max(0, s.position.rungs - 1)} rungs`;
  ctx.log.warn('rung given up', { position: s.position.id, symbol: s.position.symbol, rung, reason });
  return [shrinkLadder(s.position, { at }), { kind: 'notify', severity: 'warning', subject: `position ${s.position.id} smaller ladder`, message }];
}
