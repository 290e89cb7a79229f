// At start, on the box that runs the scheduler: fetch the market data a fresh install lacks (the
// `market.first-run` step decides what), then run one open tick, so an account added and symbols
// approved before the start trade within minutes instead of after the next :01 and :05 slots.
// On a fleet that has its data the first step skips and the open tick simply comes early.
import type { Logger } from '../../core/ports/logger.ts';
import type { StepEngine } from '../../core/steps/engine.ts';
import type { Step } from '../../core/steps/step.ts';

/** Starts the first-run block (once per minute fleet-wide, by dedupe key); null when this process lacks the handler. */
export async function startFirstRun(engine: StepEngine, logger: Logger): Promise<Step | null> {
  const { registry, clock } = engine.o;
  if (!registry.has('market.first-run')) return null;
  const open = registry.has('trading.open-positions') ? [{ handler: 'trading.open-positions', lane: 'positions', index: 2 }] : [];
  try {
    const [root] = await engine.start([{ handler: 'market.first-run', index: 1, label: 'first-run' }, ...open], {
      set: 'default', dedupeKey: `first-run:${Math.floor(clock.now() / 60_000)}`,
    });
    return root ?? null;
  } catch (error) {
    // The cron table still brings the data, an hour later: say so rather than stop the box.
    logger.error('first run could not start; symbols and klines arrive with the hourly schedule', { error });
    return null;
  }
}
