// fleet.heartbeat: reads every box's newest heartbeat and alerts (one subject per box, so the
// notifier throttles each box on its own) when a box has gone quiet; forgets beats of processes
// gone for a day.
import { z } from 'zod';
import { staleBoxes } from '../../fleet/heartbeat.port.ts';
import { result, type Effect } from '../../steps/effects.ts';
import { defineHandler } from '../../steps/registry.ts';
import { SYSTEM_DEFAULTS, type SystemDeps } from './system-deps.ts';

/** The handler over `deps`. */
export function fleetHeartbeatHandler(deps: SystemDeps) {
  return defineHandler({
    name: 'fleet.heartbeat',
    lane: 'cronjobs',
    maxAttempts: 1,
    args: z.object({}),
    run: async (_job, ctx) => {
      const now = ctx.clock.now();
      const maxAge = deps.heartbeatStaleMs ?? SYSTEM_DEFAULTS.heartbeatStaleMs;
      await deps.heartbeats.prune(now - 86_400_000);
      const beats = await deps.heartbeats.list();
      const stale = staleBoxes(deps.expectedBoxes, beats, now, maxAge);
      const effects: Effect[] = stale.map((s) => ({
        kind: 'notify', subject: `fleet:heartbeat:${s.box}`, severity: 'critical',
        message: s.lastAt === null
          ? `box ${s.box} has never published a heartbeat`
          : `box ${s.box} last published a heartbeat ${Math.round((now - s.lastAt) / 1000)} s ago (limit ${Math.round(maxAge / 1000)} s)`,
      }));
      return result.complete(effects, { boxes: deps.expectedBoxes.length, stale: stale.map((s) => s.box) });
    },
  });
}
