// fleet.health-check: the maintenance sentinel. Runs during a deploy cooldown too (its entry is
// not paused), and pages when the fleet has stayed in maintenance longer than allowed, so a deploy
// that died half-way never leaves the fleet silently dark. It also raises "mark price stale" for
// open positions whose symbol's mark price stopped moving, and "user-data stream stale" for trading
// accounts whose stream stopped showing life (Binance pings every 3 minutes, so a quiet account is
// not silent): both checked here, away from the daemons, so a daemon that is down is caught too.
import { z } from 'zod';
import { result, type Effect } from '../../steps/effects.ts';
import { defineHandler } from '../../steps/registry.ts';
import { SYSTEM_DEFAULTS, type SystemDeps } from './system-deps.ts';

/** The handler over `deps`. */
export function healthCheckHandler(deps: SystemDeps) {
  return defineHandler({
    name: 'fleet.health-check',
    lane: 'cronjobs',
    maxAttempts: 1,
    args: z.object({}),
    run: async (_job, ctx) => {
      const now = ctx.clock.now();
      const limit = deps.maintenancePageMs ?? SYSTEM_DEFAULTS.maintenancePageMs;
      const cooldown = await deps.cooldown.current();
      const effects: Effect[] = [];
      const inMaintenanceMs = cooldown ? now - cooldown.since : 0;
      if (cooldown && inMaintenanceMs > limit) {
        effects.push({
          kind: 'notify', subject: 'fleet:maintenance', severity: 'critical',
          message: `the fleet has been in maintenance (deploy cooldown: ${cooldown.reason}, by ${cooldown.by}) for ${Math.round(inMaintenanceMs / 60_000)} min, longer than ${Math.round(limit / 60_000)} min: finish the deploy and run \`kraite deploy:warmup\`, or end the cooldown`,
        });
      }
      const staleLimit = deps.markPriceStaleMs ?? SYSTEM_DEFAULTS.markPriceStaleMs;
      const stale = deps.staleMarkPrices ? await deps.staleMarkPrices(now - staleLimit) : [];
      if (stale.length > 0) {
        const shown = stale.slice(0, 10).map((s) => `${s.symbol} (${s.markPriceAt === null ? 'never' : `${Math.round((now - s.markPriceAt) / 1000)} s old`})`).join(', ');
        effects.push({
          kind: 'notify', subject: 'mark-price:stale', severity: 'critical',
          message: `mark price stale on ${stale.length} symbol${stale.length === 1 ? '' : 's'} with open positions: ${shown}${stale.length > 10 ? ', …' : ''}`,
        });
      }
      const streams = deps.staleUserDataStreams ? await deps.staleUserDataStreams(now - (deps.userDataStaleMs ?? SYSTEM_DEFAULTS.userDataStaleMs)) : [];
      if (streams.length > 0) {
        const shown = streams.slice(0, 10).map((a) => `${a.name} (${a.lastFrameAt === null ? 'no frame yet' : `last frame ${Math.round((now - a.lastFrameAt) / 60_000)} min ago`})`).join(', ');
        effects.push({
          kind: 'notify', subject: 'user-data:stale', severity: 'critical',
          message: `user-data stream stale on ${streams.length} trading account${streams.length === 1 ? '' : 's'}: ${shown}${streams.length > 10 ? ', …' : ''} — fills reach the books only through the 5-minute poll; check \`kraite streams:user-data\` on the ingestion box`,
        });
      }
      return result.complete(effects, {
        maintenance: cooldown !== null, inMaintenanceMs, staleMarkPrices: stale.map((s) => s.symbol),
        ...(deps.staleUserDataStreams ? { staleUserDataStreams: streams.map((a) => a.accountId) } : {}),
      });
    },
  });
}
