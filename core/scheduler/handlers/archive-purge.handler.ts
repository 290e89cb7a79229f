// steps.archive-purge: the daily retention pass: settled step trees move to the archive after N
// days, archived trees are deleted after M days (tree-aware, in the store); candles past their
// timeframe's retention are deleted where there is a SQL store.
import { z } from 'zod';
import { result } from '../../steps/effects.ts';
import { defineHandler } from '../../steps/registry.ts';
import { STEP_SETS } from '../../steps/step.ts';
import type { SystemDeps } from './system-deps.ts';

const DAY = 86_400_000;

/** The handler over `deps`. */
export function archivePurgeHandler(deps: SystemDeps) {
  return defineHandler({
    name: 'steps.archive-purge',
    lane: 'cronjobs',
    maxAttempts: 2,
    args: z.object({ archiveAfterDays: z.number().int().min(1).default(7), purgeAfterDays: z.number().int().min(1).default(30) }),
    run: async (job, ctx) => {
      const now = ctx.clock.now();
      const done: Record<string, { archived: number; purged: number }> = {};
      for (const set of STEP_SETS) {
        done[set] = {
          archived: await deps.archive(set, now - job.args.archiveAfterDays * DAY),
          purged: await deps.purge(set, now - job.args.purgeAfterDays * DAY),
        };
      }
      const candles = deps.purgeKlines ? await deps.purgeKlines(now) : null;
      return result.complete([], { ...done, ...(candles === null ? {} : { klinesPurged: candles }) });
    },
  });
}
