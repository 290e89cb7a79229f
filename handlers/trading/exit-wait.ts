// Exits are driven to the end (issue 13): a burst of 5xx or network errors while an exit step reads
// the exchange is a wait, not a spent attempt. Within a time budget counted from the step's creation
// (a block's steps are created together, so the budget bounds the whole block's waiting), such an
// error becomes the engine's throttle wait, which gives the attempt back; past the budget it is
// thrown and spends attempts as before, and the supervisor (supervise.ts) re-drives what gave up.
import { AmbiguousMutationError, RetryableExchangeError } from '../../core/exchange/exchange-errors.ts';
import type { HandlerContext, Job } from '../../core/steps/context.ts';
import { result, type HandlerResult } from '../../core/steps/effects.ts';
import type { HandlerDefinition } from '../../core/steps/registry.ts';

/**
 * Whether `error` is the exchange being unreachable rather than refusing: a 5xx or network error on
 * a read, or a cancel whose answer was lost (re-sending a cancel is safe: an unknown order is looked
 * up). Our own "exposure remains" waits carry no endpoint and still spend attempts.
 */
export function isExchangeOutage(error: unknown): boolean {
  if (error instanceof RetryableExchangeError) return error.exchangeCode === 'EXCHANGE_UNAVAILABLE' && (error.endpoint?.startsWith('GET ') ?? false);
  if (error instanceof AmbiguousMutationError) return error.exchangeCode === 'AMBIGUOUS_MUTATION' && (error.endpoint?.startsWith('DELETE ') ?? false);
  return false;
}

/** The next wait: half the time waited so far, between 1 s and 1 min, so a long outage costs few runs. */
export function outageWaitMs(elapsedMs: number): number {
  return Math.min(60_000, Math.max(1_000, Math.floor(elapsedMs / 2)));
}

/** Runs `run`; an outage within `budgetMs` of the step's creation becomes a throttle wait. */
export async function waitingOutOutages<A>(job: Job<A>, ctx: HandlerContext, budgetMs: number, run: () => Promise<HandlerResult>): Promise<HandlerResult> {
  try {
    return await run();
  } catch (error) {
    const elapsed = ctx.clock.now() - job.createdAt;
    if (!isExchangeOutage(error) || elapsed >= budgetMs) throw error;
    const wait = Math.max(1, Math.min(outageWaitMs(elapsed), budgetMs - elapsed));
    ctx.log.warn('exchange unavailable during an exit step: waiting', { handler: job.handler, waitMs: wait, error: (error as Error).message });
    return result.throttle(wait, `exchange unavailable, waiting ${wait} ms: ${(error as Error).message}`);
  }
}

/** The same handler, waiting out outages within `budgetMs` (the exit steps: flatten, cancels, flat reads). */
export function waitsOutOutages<D extends HandlerDefinition<any>>(definition: D, budgetMs: number): D {
  return { ...definition, run: (job, ctx) => waitingOutOutages(job, ctx, budgetMs, () => definition.run(job, ctx)) };
}
