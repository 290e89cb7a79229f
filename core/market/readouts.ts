// The seven readouts of one symbol on one timeframe (market.md): five directional checks and two
// validation gates, evaluated from the raw indicator values a provider returns. Both providers
// (TAAPI over HTTP, local from stored klines) return the same RawReadouts, so the rules live once.
import type { Direction } from '../trading/statuses.ts';
import { lastClosedOpenTime, type Timeframe } from './timeframes.ts';

/** EMA periods of the three EMA checks. */
export const EMA_PERIODS = { fast: 9, mid: 21, slow: 50 } as const;
/** Choppiness lookback, and the level at or above which a market counts as choppy (gate fails). */
export const CHOP_PERIOD = 14;
export const CHOP_MAX = 61.8;

/** An EMA value at the last closed candle and at the one before it. */
export type EmaPair = readonly [current: number, previous: number];

/** Raw indicator values at the last closed candle; a missing value makes its check unavailable. */
export interface RawReadouts {
  /** The candle the provider evaluated; `openTime` null when the provider gave no timestamp. */
  candle: { openTime: number | null; close: number };
  previousClose?: number;
  emaFast?: EmaPair;
  emaMid?: EmaPair;
  emaSlow?: EmaPair;
  /** Choppiness index over CHOP_PERIOD candles (0–100). */
  chop?: number;
  /** Classic floor pivot of the previous candle. */
  pivot?: { p: number; r1: number; s1: number };
}

/** One directional check's answer: a direction, neutral, or unavailable (value missing). */
export type CheckAnswer = Direction | 'neutral' | 'unavailable';

/** The five directional checks. */
export const DIRECTIONAL_CHECKS = ['candle', 'emaCross', 'emaTrend', 'emaPrice', 'emaSlopes'] as const;
export type DirectionalCheck = (typeof DIRECTIONAL_CHECKS)[number];

/** A timeframe's verdict: the checks, the gates, and the conclusion (null = inconclusive). */
export interface TimeframeVerdict {
  timeframe: Timeframe;
  checks: Record<DirectionalCheck, CheckAnswer>;
  /** Direction every available check agrees on, gates aside (null when they do not agree). */
  leaning: Direction | null;
  gates: { chop: boolean; pivot: boolean };
  conclusion: Direction | null;
  /** Why the timeframe is inconclusive, or 'conclusive'. */
  reason: string;
  /** True when the provider candle broke the freshness rule. */
  stale: boolean;
}

/** Fewest available directional checks a conclusion needs: one lonely check is not unanimity. */
export const MIN_AVAILABLE_CHECKS = 3;

function compare(a: number | undefined, b: number | undefined): CheckAnswer {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) return 'unavailable';
  return a > b ? 'LONG' : a < b ? 'SHORT' : 'neutral';
}

function slopes(r: RawReadouts): CheckAnswer {
  const pairs = [r.emaFast, r.emaMid, r.emaSlow];
  if (pairs.some((p) => p === undefined)) return 'unavailable';
  const answers = pairs.map((p) => compare(p![0], p![1]));
  if (answers.includes('unavailable')) return 'unavailable';
  return answers.every((a) => a === answers[0]) ? answers[0]! : 'neutral';
}

/** The five directional checks of raw readouts. */
export function directionalChecks(r: RawReadouts): Record<DirectionalCheck, CheckAnswer> {
  const close = r.candle.close;
  return {
    candle: compare(close, r.previousClose),
    emaCross: compare(r.emaFast?.[0], r.emaMid?.[0]),
    emaTrend: compare(r.emaMid?.[0], r.emaSlow?.[0]),
    emaPrice: compare(close, r.emaSlow?.[0]),
    emaSlopes: slopes(r),
  };
}

/**
 * Whether the provider candle may be trusted at `now`: only the last closed candle is. A missing
 * timestamp, a candle not closed yet, or one older than the last closed candle is not.
 */
export function candleFreshness(openTime: number | null, tf: Timeframe, now: number): 'fresh' | 'missing' | 'future' | 'old' {
  if (openTime === null || !Number.isFinite(openTime)) return 'missing';
  const closed = lastClosedOpenTime(tf, now);
  // A candle that has not closed yet (or starts after now) reads values that will still move.
  if (openTime > closed) return 'future';
  if (openTime < closed) return 'old';
  return 'fresh';
}

/** Evaluates one timeframe: unanimity of the available checks, then both gates. */
export function evaluateTimeframe(tf: Timeframe, r: RawReadouts, now: number): TimeframeVerdict {
  const checks = directionalChecks(r);
  const available = Object.values(checks).filter((a) => a !== 'unavailable');
  const first = available[0];
  const unanimous = available.length >= MIN_AVAILABLE_CHECKS && (first === 'LONG' || first === 'SHORT') && available.every((a) => a === first);
  const leaning: Direction | null = unanimous ? (first as Direction) : null;
  const chop = r.chop !== undefined && Number.isFinite(r.chop) && r.chop < CHOP_MAX;
  const pivot = leaning !== null && r.pivot !== undefined && (leaning === 'LONG' ? r.candle.close > r.pivot.p : r.candle.close < r.pivot.p);
  const freshness = candleFreshness(r.candle.openTime, tf, now);
  const base = { timeframe: tf, checks, leaning, gates: { chop, pivot } };
  if (freshness !== 'fresh') return { ...base, conclusion: null, reason: `provider candle ${freshness}`, stale: true };
  if (leaning === null) {
    const why = available.length < MIN_AVAILABLE_CHECKS ? `only ${available.length} checks available` : 'checks disagree';
    return { ...base, conclusion: null, reason: why, stale: false };
  }
  if (!chop) return { ...base, conclusion: null, reason: 'choppiness gate failed', stale: false };
  if (!pivot) return { ...base, conclusion: null, reason: 'pivot gate failed', stale: false };
  return { ...base, conclusion: leaning, reason: 'conclusive', stale: false };
}
