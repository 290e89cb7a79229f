// The hourly regime: compute the score from stored 1h klines (BTC and the followed symbols) and
// store it with every sub-signal; then apply the cooldown state machine to the newest snapshot.
import { z } from 'zod';
import { result, type Effect } from '../../steps/effects.ts';
import { defineHandler } from '../../steps/registry.ts';
import { DEFAULT_EXCHANGE } from '../../trading/tables.ts';
import { recentCandles } from '../klines-store.ts';
import { snapshotStale } from '../regime/allowance.ts';
import { bandOf } from '../regime/bands.ts';
import { applyCooldown, DEFAULT_COOLDOWN_MS } from '../regime/cooldown.ts';
import { cooldownWrites, latestSnapshot, readCooldown, snapshotInserts } from '../regime/regime-store.ts';
import { readSignals, regimeScore } from '../regime/signals.ts';
import { lastClosedOpenTime } from '../timeframes.ts';
import { MARKET_LANES, type MarketDeps } from './deps.ts';
import { followedSymbols } from './kline-steps.ts';

/** BTC closes the score reads: 30 days of hours plus one. */
const BTC_HOURS = 30 * 24 + 1;
/** Other symbols: 7 days plus one (breadth needs 25, downside correlation 169). */
const SYMBOL_HOURS = 7 * 24 + 1;
const BTC = 'BTCUSDT';

/** `market.regime.compute`: one snapshot per hour (a retry in the same hour is a no-op). */
export function computeRegimeHandler(deps: MarketDeps) {
  return defineHandler({
    name: 'market.regime.compute', lane: MARKET_LANES.cron, args: z.object({}),
    async run(_job, ctx) {
      const exchange = deps.exchangeName ?? DEFAULT_EXCHANGE;
      const now = ctx.clock.now();
      const closed = (c: { closeTime: number }) => c.closeTime < now;
      const btc = (await recentCandles(ctx.rows, BTC, '1h', BTC_HOURS, exchange)).filter(closed);
      if (btc.length === 0) return result.skip('no BTC klines stored yet: the regime stays stale and fails open');
      const symbols: Record<string, number[]> = {};
      for (const s of (await followedSymbols(ctx.rows, deps)).filter((x) => x !== BTC)) {
        const candles = (await recentCandles(ctx.rows, s, '1h', SYMBOL_HOURS, exchange)).filter(closed);
        // Only symbols whose data reaches the same last hour as BTC count: no stale breadth.
        if (candles.at(-1)?.openTime === btc.at(-1)!.openTime) symbols[s] = candles.map((c) => c.close);
      }
      const { score, signals } = regimeScore(readSignals({ btc: btc.map((c) => c.close), symbols }));
      const effects: Effect[] = snapshotInserts({ periodAt: lastClosedOpenTime('1h', now), computedAt: now, score, signals });
      const band = bandOf(score);
      if (band === 'Critical' || band === 'Fragile') {
        const fired = signals.filter((s) => s.fired).map((s) => `${s.name}=${s.reading?.toFixed(3)}`).join(', ');
        effects.push({ kind: 'notify', subject: 'regime', message: `market regime ${band} (score ${score.toFixed(2)}): ${fired}`, severity: band === 'Critical' ? 'critical' : 'warning' });
      }
      return result.complete(effects, { score, band, symbols: Object.keys(symbols).length });
    },
  });
}

/** `market.regime.cooldown`: arms the cooldown on a fresh Critical snapshot, clears it once elapsed. */
export function applyCooldownHandler(deps: MarketDeps) {
  return defineHandler({
    name: 'market.regime.cooldown', lane: MARKET_LANES.cron, args: z.object({}),
    async run(_job, ctx) {
      const now = ctx.clock.now();
      const [snapshot, state] = await Promise.all([latestSnapshot(ctx.rows), readCooldown(ctx.rows)]);
      const input = snapshot && { band: snapshot.band, score: snapshot.score, computedAt: snapshot.computedAt, stale: snapshotStale(snapshot, now, deps.freshnessMs) };
      const { state: next, transition } = applyCooldown(state, input, now, deps.cooldownMs ?? DEFAULT_COOLDOWN_MS);
      if (transition === 'unchanged') return result.complete([], { transition });
      const effects: Effect[] = cooldownWrites(next, now);
      const message = transition === 'expired' ? 'regime cooldown over: new opens follow the score again'
        : `regime cooldown ${transition} by score ${snapshot!.score.toFixed(2)}: new opens blocked until ${new Date(next.until!).toISOString()}`;
      effects.push({ kind: 'notify', subject: 'regime', message, severity: transition === 'expired' ? 'info' : 'critical' });
      return result.complete(effects, { transition, until: next.until });
    },
  });
}
