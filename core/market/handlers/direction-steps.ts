// Direction conclusion: a schedule step starts a few chains of conclusion steps on the
// indicators lane; each reads 1h → 4h → 1d through the provider (a TAAPI wait throws
// ThrottledError: a throttle reschedule, never a spent attempt), stores the direction, the
// conclusion and every readout it read, and notifies a change unless the provider was stale.
import { z } from 'zod';
import { ThrottledError } from '../../errors.ts';
import { result, type Effect, type InsertEffect } from '../../steps/effects.ts';
import { defineHandler } from '../../steps/registry.ts';
import { setSymbolFlags } from '../../trading/exchange-symbol.ts';
import { getSymbol } from '../../trading/reads.ts';
import { DEFAULT_EXCHANGE } from '../../trading/tables.ts';
import { concludeDirection, type DirectionDecision } from '../direction.ts';
import { evaluateTimeframe, type RawReadouts } from '../readouts.ts';
import { MARKET_TABLES } from '../tables.ts';
import type { Timeframe } from '../timeframes.ts';
import { MARKET_LANES, type MarketDeps } from './deps.ts';
import { followedSymbols } from './kline-steps.ts';

/** Conclusion chains run side by side (each a sequence of conclusion steps). */
export const DEFAULT_INDICATOR_CHAINS = 4;

/**
 * `market.directions.schedule`: the followed symbols dealt round-robin into a few independent
 * chains, each running its conclusions one after another. A handful of steps contend for the
 * TAAPI budget at any moment, so waiting costs a few throttle reschedules per slot instead of one
 * per symbol; with four chains the budget is still used fully at TAAPI's latency.
 */
export function scheduleDirectionsHandler(deps: MarketDeps) {
  return defineHandler({
    name: 'market.directions.schedule', lane: MARKET_LANES.cron, args: z.object({}),
    async run(_job, ctx) {
      const symbols = await followedSymbols(ctx.rows, deps);
      if (symbols.length === 0) return result.skip('no symbol to conclude');
      const chains = Math.max(1, Math.min(deps.indicatorChains ?? DEFAULT_INDICATOR_CHAINS, symbols.length));
      const hour = Math.floor(ctx.clock.now() / 3_600_000);
      const effects: Effect[] = Array.from({ length: chains }, (_, c) => ({
        kind: 'start-block' as const,
        // One set of chains per hour, even if this step runs twice.
        dedupeKey: `market.directions:${hour}:${c}`,
        steps: symbols.filter((_, i) => i % chains === c).map((symbol, i) => ({
          handler: 'market.direction.conclude', args: { symbol }, index: i, lane: MARKET_LANES.indicators,
        })),
      }));
      return result.complete(effects, { symbols: symbols.length, chains });
    },
  });
}

function conclusionRows(uuid: string, symbol: string, provider: string, previous: string | null, d: DirectionDecision, raw: Map<Timeframe, RawReadouts>, at: number, exchange: string): InsertEffect[] {
  return [
    {
      kind: 'insert', table: MARKET_TABLES.conclusions,
      row: {
        uuid, exchange, symbol, provider, previous_direction: previous, direction: d.direction, timeframe: d.timeframe,
        changed: d.changed ? 1 : 0, reason: d.reason.slice(0, 255), created_at: at,
      },
    },
    ...d.verdicts.map((v): InsertEffect => ({
      kind: 'insert', table: MARKET_TABLES.readouts,
      row: {
        conclusion_uuid: uuid, symbol, timeframe: v.timeframe, candle_open_time: raw.get(v.timeframe)?.candle.openTime ?? null,
        readouts: JSON.stringify(raw.get(v.timeframe) ?? null), checks: JSON.stringify(v.checks),
        chop_gate: v.gates.chop ? 1 : 0, pivot_gate: v.gates.pivot ? 1 : 0, leaning: v.leaning, conclusion: v.conclusion,
        reason: v.reason.slice(0, 255), created_at: at,
      },
    })),
  ];
}

/** `market.direction.conclude`: the progressive conclusion for one symbol. */
export function concludeDirectionHandler(deps: MarketDeps) {
  return defineHandler({
    name: 'market.direction.conclude', lane: MARKET_LANES.indicators, args: z.object({ symbol: z.string().regex(/^[A-Z0-9]{2,32}$/) }),
    async run(job, ctx) {
      const exchange = deps.exchangeName ?? DEFAULT_EXCHANGE;
      const { symbol } = job.args;
      const row = await getSymbol(ctx.rows, symbol, exchange);
      if (!row) return result.skip(`unknown symbol ${symbol}`);
      const now = ctx.clock.now();
      const raw = new Map<Timeframe, RawReadouts>();
      let decision: DirectionDecision;
      try {
        decision = await concludeDirection(row.direction, async (tf) => {
          const r = await deps.indicators.readouts(symbol, tf, now);
          raw.set(tf, r);
          return evaluateTimeframe(tf, r, now);
        }, { minChangeTimeframe: deps.minChangeTimeframe });
      } catch (error) {
        // Throttles and early attempts go back to the engine; a last failed attempt skips this
        // symbol (direction untouched until the next cycle) so the rest of its chain still runs.
        if (error instanceof ThrottledError || job.attempt < job.maxAttempts) throw error;
        return result.skip(`${symbol}: provider failed on the last attempt: ${(error as Error).message}`);
      }
      const effects: Effect[] = conclusionRows(ctx.ids.uuid(), symbol, deps.indicators.name, row.direction, decision, raw, now, exchange);
      if (decision.changed) {
        effects.push(setSymbolFlags(symbol, { direction: decision.direction }, now, exchange));
        if (!decision.silent) {
          effects.push({ kind: 'notify', subject: 'direction', message: `${symbol}: ${row.direction ?? 'none'} → ${decision.direction ?? 'none'} (${decision.reason})`, severity: 'info' });
        }
      }
      return result.complete(effects, { direction: decision.direction, changed: decision.changed, reason: decision.reason });
    },
  });
}
