// Token selection for free slots (market.md): operator override (tests only) → fast-track (a
// recently, cleanly closed profitable symbol, same direction) → BTC-bias scoring when BTC has a
// direction (candidates whose correlation sign disagrees with the slot are rejected) → fallback
// scoring without the sign filter when BTC has none. Scoring picks greedily, because the
// diversification multiplier depends on what the batch already holds.
import type { Direction } from '../trading/statuses.ts';
import {
  correlationCluster, diversificationFactor, proximityFactor, tokenScore, type CorrelationCluster, type ScoreBreakdown,
} from './token-score.ts';

/** One eligible candidate with its statistics (null = not computable from the stored klines). */
export interface Candidate {
  symbol: string;
  elasticity: number | null;
  correlation: number | null;
  correlationStddev: number | null;
  price: number;
  support: number | null;
  resistance: number | null;
}

/** Why a symbol was picked. */
export type PickPriority = 'override' | 'fast-track' | 'btc-bias' | 'fallback';

/** One chosen symbol. */
export interface Pick {
  symbol: string;
  priority: PickPriority;
  score: ScoreBreakdown | null;
}

/** What to choose for. */
export interface SelectionInput {
  /** The slot direction being filled. */
  direction: Direction;
  /** How many symbols to choose. */
  count: number;
  /** Eligible candidates concluded in `direction`, open pairs already removed. */
  candidates: readonly Candidate[];
  btcDirection: Direction | null;
  /** Operator override, for tests: these symbols first, in this order. */
  override?: readonly string[];
  /** Recently, cleanly closed profitable symbols in this direction, most recent first. */
  fastTrack?: readonly string[];
}

/** The correlation sign a candidate must have when BTC points `btc` and the slot is `slot`. */
export function expectedCorrelationSign(slot: Direction, btc: Direction): 1 | -1 {
  return slot === btc ? 1 : -1;
}

/** Chooses up to `count` symbols in priority order; deterministic (ties break on symbol name). */
export function selectTokens(input: SelectionInput): Pick[] {
  const bySymbol = new Map(input.candidates.map((c) => [c.symbol, c]));
  const picks: Pick[] = [];
  const batch: { direction: Direction; cluster: CorrelationCluster }[] = [];
  const take = (c: Candidate, priority: PickPriority, score: ScoreBreakdown | null) => {
    picks.push({ symbol: c.symbol, priority, score });
    bySymbol.delete(c.symbol);
    if (c.correlation !== null) batch.push({ direction: input.direction, cluster: correlationCluster(c.correlation) });
  };
  for (const [list, priority] of [[input.override, 'override'], [input.fastTrack, 'fast-track']] as const) {
    for (const symbol of list ?? []) {
      const c = bySymbol.get(symbol);
      if (c && picks.length < input.count) take(c, priority, null);
    }
  }
  const priority: PickPriority = input.btcDirection === null ? 'fallback' : 'btc-bias';
  const sign = input.btcDirection === null ? null : expectedCorrelationSign(input.direction, input.btcDirection);
  const pool = [...bySymbol.values()].filter((c) =>
    c.elasticity !== null && c.correlation !== null && (sign === null || Math.sign(c.correlation) === sign));
  while (picks.length < input.count && pool.length > 0) {
    let best: { c: Candidate; s: ScoreBreakdown; i: number } | null = null;
    pool.forEach((c, i) => {
      const s = tokenScore({
        elasticity: c.elasticity!, correlation: c.correlation!, correlationStddev: c.correlationStddev,
        diversification: diversificationFactor({ direction: input.direction, cluster: correlationCluster(c.correlation!) }, batch),
        proximity: proximityFactor(input.direction, c.price, { support: c.support, resistance: c.resistance }),
      });
      if (!best || s.score > best.s.score || (s.score === best.s.score && c.symbol < best.c.symbol)) best = { c, s, i };
    });
    const chosen = best as { c: Candidate; s: ScoreBreakdown; i: number } | null;
    if (!chosen) break;
    pool.splice(chosen.i, 1);
    take(chosen.c, priority, chosen.s);
  }
  return picks;
}
