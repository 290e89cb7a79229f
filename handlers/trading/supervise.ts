// The exit supervisor (issue 13): nothing may leave a position `closing`, `cancelling` or `waping`
// for good. A block that gave up (its attempts spent, its resolver only paging) leaves the position
// where it was; once it has had no write for the deadline, the supervisor starts its workflow again.
// Every re-drive's first step writes the position, so the deadline restarts and a re-drive never
// overlaps the one before it. Runs every minute on its own schedule entry, cooldown or not.
import { z } from 'zod';
import type { BlockStepSpec, Effect } from '../../core/steps/effects.ts';
import { result } from '../../core/steps/effects.ts';
import { defineHandler, type HandlerDefinition } from '../../core/steps/registry.ts';
import type { PositionRow } from '../../core/trading/position.ts';
import { allAccounts, openPositionsFor } from '../../core/trading/reads.ts';
import { cancelBlock, closeBlock, wapBlock } from './blocks.ts';
import { TRADING_DEFAULTS, type TradingDeps } from './deps.ts';
import { perAccount } from './fan-out.ts';

/** Whether the position has sat in a non-terminal, non-`active` status past the deadline. */
export function isStuck(p: PositionRow, now: number, deadlineMs: number): boolean {
  return p.status !== 'active' && now - p.updatedAt >= deadlineMs;
}

/** The workflow that drives a stuck position on, or null when only a person can (new, opening, syncing). */
function redriveSteps(p: PositionRow): BlockStepSpec[] | null {
  const reason = `re-driven: ${p.status} since ${new Date(p.updatedAt).toISOString()}`;
  switch (p.status) {
    case 'closing': return closeBlock(p.uuid, reason);
    case 'cancelling': return cancelBlock(p.uuid, reason);
    // A WAP that never finished: back to `active` first (wap.begin waits while `waping`), then a fresh WAP.
    case 'waping': return [{ handler: 'trading.wap.restore', args: { position: p.uuid }, index: 0 }, ...wapBlock(p.uuid)];
    default: return null;
  }
}

/** The block that re-drives a stuck position, deduplicated per deadline window; none when it is not stuck. */
export function redriveStuck(p: PositionRow, now: number, deadlineMs: number): Effect[] {
  const steps = isStuck(p, now, deadlineMs) ? redriveSteps(p) : null;
  if (!steps) return [];
  return [{ kind: 'start-block', set: 'trading', steps, dedupeKey: `redrive:${p.uuid}:${Math.floor(now / deadlineMs)}` }];
}

/** The supervisor handler. */
export function superviseHandlers(deps: TradingDeps): HandlerDefinition[] {
  const deadline = deps.exitDeadlineMs ?? TRADING_DEFAULTS.exitDeadlineMs;
  return [
    defineHandler({
      name: 'trading.supervise-exits', lane: 'priority', args: z.object({ accountId: z.number().int().positive().optional() }),
      async run(job, ctx) {
        const now = ctx.clock.now();
        if (job.args.accountId === undefined) return result.complete(perAccount('trading.supervise-exits', 'priority', await allAccounts(ctx.rows), now, 60_000));
        const effects: Effect[] = [];
        for (const p of await openPositionsFor(ctx.rows, job.args.accountId)) {
          const redrive = redriveStuck(p, now, deadline);
          if (redrive.length === 0) continue;
          ctx.log.warn('re-driving a stuck position', { position: p.id, symbol: p.symbol, status: p.status, since: p.updatedAt });
          effects.push(...redrive);
        }
        return result.complete(effects);
      },
    }),
  ];
}
