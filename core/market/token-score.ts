// The token score (market.md): base = ln(1 + |elasticity|) × |correlation with BTC|, times three
// multipliers: correlation stability, batch diversification and support/resistance proximity.
import type { Direction } from '../trading/statuses.ts';

/** What the score of one candidate is computed from. */
export interface ScoreInputs {
  elasticity: number;
  correlation: number;
  /** Stddev of the rolling correlation; null = unknown (stability 1). */
  correlationStddev: number | null;
  /** Already computed diversification multiplier (see diversificationFactor). */
  diversification: number;
  /** Already computed S/R proximity multiplier (see proximityFactor). */
  proximity: number;
}

/** A score and its parts, kept for the audit of why a symbol was picked. */
export interface ScoreBreakdown {
  base: number;
  stability: number;
  diversification: number;
  proximity: number;
  score: number;
}

/** ln(1 + |elasticity|) × |correlation|. */
export function baseScore(elasticity: number, correlation: number): number {
  return Math.log(1 + Math.abs(elasticity)) * Math.abs(correlation);
}

/** max(0, 1 − 2 × stddev of the rolling correlation); missing → 1. */
export function stabilityFactor(correlationStddev: number | null): number {
  return correlationStddev === null || !Number.isFinite(correlationStddev) ? 1 : Math.max(0, 1 - 2 * correlationStddev);
}

/** The full score with its breakdown. */
export function tokenScore(i: ScoreInputs): ScoreBreakdown {
  const base = baseScore(i.elasticity, i.correlation);
  const stability = stabilityFactor(i.correlationStddev);
  return { base, stability, diversification: i.diversification, proximity: i.proximity, score: base * stability * i.diversification * i.proximity };
}

/** Correlation clusters: candidates in the same one move together. */
export type CorrelationCluster = 'high' | 'mid' | 'low' | 'inverse';

/** The cluster of a correlation with BTC. */
export function correlationCluster(correlation: number): CorrelationCluster {
  if (correlation < 0) return 'inverse';
  return correlation >= 0.7 ? 'high' : correlation >= 0.4 ? 'mid' : 'low';
}

/** Each pick already in the batch with the same direction and cluster halves the multiplier. */
export const DIVERSIFICATION_DISCOUNT = 0.5;

/** Diversification multiplier for a candidate against the symbols already picked in the batch. */
export function diversificationFactor(
  candidate: { direction: Direction; cluster: CorrelationCluster },
  picked: readonly { direction: Direction; cluster: CorrelationCluster }[],
): number {
  const same = picked.filter((p) => p.direction === candidate.direction && p.cluster === candidate.cluster).length;
  return DIVERSIFICATION_DISCOUNT ** same;
}

/** Within this relative distance of a major level a candidate counts as pinned (1 %). */
export const PROXIMITY_BAND = 0.01;
/** The multiplier for a candidate sitting right on the level (softly rising to 1 at the band's edge). */
export const PROXIMITY_FLOOR = 0.5;

/**
 * S/R proximity multiplier: a LONG is discounted when price sits just under resistance, a SHORT
 * when it sits just over support; the discount fades linearly to none at PROXIMITY_BAND.
 * Missing levels → 1.
 */
export function proximityFactor(direction: Direction, price: number, levels: { support: number | null; resistance: number | null }): number {
  const level = direction === 'LONG' ? levels.resistance : levels.support;
  if (level === null || !(price > 0) || !(level > 0)) return 1;
  const room = direction === 'LONG' ? (level - price) / price : (price - level) / price;
  if (room <= 0) return 1; // already through the level: nothing pins it
  if (room >= PROXIMITY_BAND) return 1;
  return PROXIMITY_FLOOR + (1 - PROXIMITY_FLOOR) * (room / PROXIMITY_BAND);
}
