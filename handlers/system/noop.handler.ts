// A handler that does nothing: the unit of the step-throughput benchmark and a liveness probe.
import { z } from 'zod';
import { result } from '../../core/steps/effects.ts';
import { defineHandler } from '../../core/steps/registry.ts';

/** Completes at once with no effects. */
export const noopHandler = defineHandler({
  name: 'system.noop',
  lane: 'positions',
  args: z.object({ n: z.number().int().optional() }),
  run: async () => result.complete(),
});
