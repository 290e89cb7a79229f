// The regime score's sub-signals (market.md): each has a raw reading, a threshold at which it
// fires and an extreme at which it contributes its full weight. The score is the sum of the
// contributions, 0–100. Every reading is stored with whether it fired, so a score is explainable.
import { correlation, logReturns, mean, stddev } from '../series-stats.ts';

/** One sub-signal's definition. */
export interface SignalSpec {
  name: SignalName;
  /** Points at the extreme; the weights of all signals sum to 100. */
  weight: number;
  threshold: number;
  extreme: number;
  /** What the reading means, for the dashboard. */
  describes: string;
}

/** The sub-signals. */
export type SignalName = 'btc_drawdown' | 'btc_volatility' | 'breadth_falling' | 'downside_correlation' | 'btc_dislocation';

/** The documented definitions: thresholds and weights. */
export const SIGNALS: readonly SignalSpec[] = [
  { name: 'btc_drawdown', weight: 30, threshold: 8, extreme: 20, describes: 'BTC drawdown from its 7-day high close, percent' },
  { name: 'btc_volatility', weight: 20, threshold: 2, extreme: 4, describes: 'BTC realised volatility of the last 24 h over its 30-day baseline, ratio' },
  { name: 'breadth_falling', weight: 25, threshold: 0.4, extreme: 0.8, describes: 'share of symbols down 5 % or more over 24 h' },
  { name: 'downside_correlation', weight: 15, threshold: 0.7, extreme: 0.9, describes: 'mean correlation with BTC over the hours BTC fell, last 7 days' },
  { name: 'btc_dislocation', weight: 10, threshold: 4, extreme: 10, describes: 'largest single-hour BTC drop of the last 24 h, percent' },
];

/** A signal as computed: reading (null = not enough data), whether it fired, points contributed. */
export interface SignalReading {
  name: SignalName;
  reading: number | null;
  threshold: number;
  fired: boolean;
  points: number;
}

/** Points of one reading: 0 below the threshold, half the weight at it, the full weight at the extreme. */
export function signalPoints(spec: SignalSpec, reading: number | null): SignalReading {
  if (reading === null || !Number.isFinite(reading) || reading < spec.threshold) {
    return { name: spec.name, reading, threshold: spec.threshold, fired: false, points: 0 };
  }
  const across = Math.min(1, (reading - spec.threshold) / (spec.extreme - spec.threshold));
  return { name: spec.name, reading, threshold: spec.threshold, fired: true, points: spec.weight * (0.5 + 0.5 * across) };
}

/** Hourly closes the score reads, oldest first; the last entry is the last closed hour. */
export interface RegimeInputs {
  btc: readonly number[];
  /** Other basket symbols' hourly closes (at least 25 each to count in breadth). */
  symbols: Readonly<Record<string, readonly number[]>>;
}

const DAY = 24;

/** Raw readings of every signal from hourly closes (null when the series are too short). */
export function readSignals(inputs: RegimeInputs): Record<SignalName, number | null> {
  const btc = inputs.btc;
  const last = btc.at(-1);
  const week = btc.slice(-7 * DAY);
  const drawdown = last !== undefined && week.length >= DAY ? (1 - last / Math.max(...week)) * 100 : null;

  const r = logReturns(btc);
  const recent = r.slice(-DAY);
  const baseline = r.slice(-30 * DAY, -DAY);
  const baseSd = baseline.length >= 3 * DAY ? stddev(baseline) : 0;
  const volatility = recent.length === DAY && baseSd > 0 ? stddev(recent) / baseSd : null;

  const movers = Object.values(inputs.symbols).filter((c) => c.length > DAY);
  const breadth = movers.length === 0 ? null
    : movers.filter((c) => c.at(-1)! / c.at(-1 - DAY)! - 1 <= -0.05).length / movers.length;

  const weekReturns = r.slice(-7 * DAY);
  const down = weekReturns.map((x, i) => (x < 0 ? i : -1)).filter((i) => i >= 0);
  const correlations = down.length < 6 ? [] : movers.flatMap((c) => {
    const s = logReturns(c).slice(-weekReturns.length);
    if (s.length !== weekReturns.length) return [];
    const k = correlation(down.map((i) => s[i]!), down.map((i) => weekReturns[i]!));
    return k === null ? [] : [k];
  });
  const downsideCorrelation = correlations.length === 0 ? null : mean(correlations);

  const dislocation = recent.length === 0 ? null : Math.max(0, ...recent.map((x) => -(Math.exp(x) - 1) * 100));
  return {
    btc_drawdown: drawdown, btc_volatility: volatility, breadth_falling: breadth,
    downside_correlation: downsideCorrelation, btc_dislocation: dislocation,
  };
}

/** The score of a set of readings: the sum of contributions, rounded to 2 places, capped at 100. */
export function regimeScore(readings: Record<SignalName, number | null>): { score: number; signals: SignalReading[] } {
  const signals = SIGNALS.map((spec) => signalPoints(spec, readings[spec.name]));
  const total = signals.reduce((s, x) => s + x.points, 0);
  return { score: Math.min(100, Math.round(total * 100) / 100), signals };
}
