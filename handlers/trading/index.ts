// Every trading handler, built over the deps a process wires in (trading.md).
import type { HandlerDefinition } from '../../core/steps/registry.ts';
import { balanceHandlers } from './balances.ts';
import { cancelHandlers } from './cancel.ts';
import { cancelOrderHandler } from './cancel-order.ts';
import { closeHandlers } from './close.ts';
import { TRADING_DEFAULTS, type TradingDeps } from './deps.ts';
import { driftHandlers } from './drift.ts';
import { confirmFlatHandler } from './exit-steps.ts';
import { waitsOutOutages } from './exit-wait.ts';
import { openOrderHandlers } from './open-orders.ts';
import { openPrepareHandlers } from './open-prepare.ts';
import { placeHandler } from './place.handler.ts';
import { preflightHandlers } from './preflight.ts';
import { repairHandlers } from './repair.ts';
import { requireScope } from './scope.ts';
import { superviseHandlers } from './supervise.ts';
import { syncHandlers } from './sync.ts';
import { wapHandlers } from './wap.ts';

export type { AllowanceSource, ExchangeDirectory, OpenAllowance, TradingDeps } from './deps.ts';
export { storedFlagRanking, type CandidateRanking, type RankQuery } from './preflight.ts';

/** The exit steps: each waits out 5xx and network errors on reads instead of spending attempts (exit-wait.ts). */
export const EXIT_STEPS: ReadonlySet<string> = new Set([
  'trading.close.flatten', 'trading.close.cancel-orders', 'trading.close.sync-orders', 'trading.close.verify', 'trading.close.finish',
  'trading.cancel.orders', 'trading.cancel.flatten', 'trading.cancel.verify', 'trading.confirm-flat', 'trading.cancel-rungs', 'trading.cancel-orphans',
]);

/**
 * Periodic reads (the preflight every minute, the drift check every five) wait out 5xx and network
 * errors on reads within most of their period, with the exit steps' mechanism: one burst no longer
 * fails the run that meets it, and a longer outage still gives way to the next run.
 */
export const PERIODIC_READS: ReadonlyMap<string, number> = new Map([['trading.preflight', 50_000], ['trading.drift-check', 4 * 60_000]]);

/** The trading step set's handlers. */
export function tradingHandlers(deps: TradingDeps): HandlerDefinition[] {
  const budget = deps.exitOutageBudgetMs ?? TRADING_DEFAULTS.exitOutageBudgetMs;
  return [
    ...preflightHandlers(deps),
    ...openPrepareHandlers(deps),
    ...openOrderHandlers(deps),
    placeHandler(deps),
    cancelOrderHandler(deps),
    ...closeHandlers(deps),
    ...cancelHandlers(deps),
    confirmFlatHandler(deps, (ctx, uuid) => requireScope(ctx, deps, uuid)),
    ...wapHandlers(deps),
    ...syncHandlers(deps),
    ...repairHandlers(deps),
    ...driftHandlers(deps),
    ...balanceHandlers(deps),
    ...superviseHandlers(deps),
  ].map((h) => {
    const wait = EXIT_STEPS.has(h.name) ? budget : PERIODIC_READS.get(h.name);
    return { ...(wait === undefined ? h : waitsOutOutages(h, wait)), set: 'trading' as const };
  });
}
