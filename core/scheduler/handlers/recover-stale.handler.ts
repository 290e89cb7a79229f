// steps.recover-stale: one stale-recovery pass over each named step set (the scheduler's 1-minute
// safety net beside the dispatch daemon's own pass).
import { z } from 'zod';
import { result } from '../../steps/effects.ts';
import { defineHandler } from '../../steps/registry.ts';
import { STEP_SETS } from '../../steps/step.ts';
import type { SystemDeps } from './system-deps.ts';

/** The handler over `deps`. */
export function recoverStaleHandler(deps: SystemDeps) {
  return defineHandler({
    name: 'steps.recover-stale',
    lane: 'cronjobs',
    maxAttempts: 1,
    args: z.object({ sets: z.array(z.enum(STEP_SETS)).min(1).default([...STEP_SETS]) }),
    run: async (job) => {
      const reports = [];
      for (const set of job.args.sets) reports.push(await deps.recover(set));
      return result.complete([], reports);
    },
  });
}
