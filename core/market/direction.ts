// Progressive direction conclusion (market.md): 1h first; only an inconclusive timeframe moves on
// to 4h, then 1d; all inconclusive clears the direction. A change of an existing direction must be
// reached at or above a minimum timeframe and must not contradict the timeframes read before it
// (a faster timeframe leaning the other way); a refused flip keeps the current direction.
// A stale provider candle anywhere clears the direction silently, to be retried next cycle.
import type { Direction } from '../trading/statuses.ts';
import type { TimeframeVerdict } from './readouts.ts';
import { TIMEFRAMES, timeframeRank, type Timeframe } from './timeframes.ts';

/** Settings of the conclusion. */
export interface DirectionOptions {
  /** Lowest timeframe allowed to flip an existing direction (default 4h). */
  minChangeTimeframe?: Timeframe;
}

/** What the conclusion decided for one symbol. */
export interface DirectionDecision {
  /** The direction to store (null clears it). */
  direction: Direction | null;
  /** The timeframe that concluded, if any. */
  timeframe: Timeframe | null;
  /** Human-readable reason, stored with the readouts. */
  reason: string;
  /** Whether the stored direction changes. */
  changed: boolean;
  /** When true the change is not notified (a stale provider is not news). */
  silent: boolean;
  /** Every verdict read, in order. */
  verdicts: TimeframeVerdict[];
}

/** Default lowest timeframe that may flip a direction. */
export const DEFAULT_MIN_CHANGE_TIMEFRAME: Timeframe = '4h';

/**
 * Concludes a symbol's direction, reading timeframes lazily through `evaluate` (each read may cost
 * a provider request, so 4h and 1d are read only when needed). Pure apart from `evaluate`.
 */
export async function concludeDirection(
  current: Direction | null,
  evaluate: (tf: Timeframe) => Promise<TimeframeVerdict>,
  options: DirectionOptions = {},
): Promise<DirectionDecision> {
  const minChange = options.minChangeTimeframe ?? DEFAULT_MIN_CHANGE_TIMEFRAME;
  const verdicts: TimeframeVerdict[] = [];
  const decide = (direction: Direction | null, timeframe: Timeframe | null, reason: string, silent = false): DirectionDecision =>
    ({ direction, timeframe, reason, changed: direction !== current, silent, verdicts });

  let refused: string | null = null;
  for (const tf of TIMEFRAMES) {
    const verdict = await evaluate(tf);
    verdicts.push(verdict);
    if (verdict.stale) return decide(null, null, `${tf}: ${verdict.reason}; direction cleared until the provider catches up`, true);
    const found = verdict.conclusion;
    if (found === null) continue;
    if (current === null || found === current) return decide(found, tf, `${tf} conclusive ${found}`);
    // A flip below the minimum timeframe is not enough on its own: read the slower timeframes.
    if (timeframeRank(tf) < timeframeRank(minChange)) {
      refused ??= `${tf} says ${found} but a change needs ${minChange} or above`;
      continue;
    }
    const against = verdicts.slice(0, -1).find((v) => v.leaning !== null && v.leaning !== found);
    if (against) return decide(current, null, `${tf} says ${found} but ${against.timeframe} leans ${against.leaning}; keeping ${current}`);
    return decide(found, tf, `${tf} conclusive ${found} (changed from ${current})`);
  }
  // A refused flip keeps the direction: clearing it would let the next cycle set it from null.
  if (refused) return decide(current, null, `${refused}; slower timeframes inconclusive; keeping ${current}`);
  return decide(null, null, 'every timeframe inconclusive');
}
