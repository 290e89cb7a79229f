// Whether a market's price history is in time order, checked incrementally, and a binary search
// over it. The history grows by push (every price step), loses its oldest points by splice and gains
// older ones by unshift (backfill, a followed market); nothing rewrites a point in place. So a check
// that remembers the first point and the last point it saw only re-reads what was appended since —
// or the whole history again when its front moved — instead of every point on every klines request.
import type { Dec } from './decimal.ts';

type History = ReadonlyArray<readonly [number, Dec]>;

interface Checked {
  first: readonly [number, Dec];
  last: readonly [number, Dec];
  length: number;
  ordered: boolean;
}

const checked = new WeakMap<History, Checked>();

/** Whether every point's time is ≥ the one before it. */
export function isTimeOrdered(hist: History): boolean {
  if (hist.length < 2) return true;
  const seen = checked.get(hist);
  let from = 1;
  let ordered = true;
  if (seen && hist[0] === seen.first && hist.length >= seen.length && hist[seen.length - 1] === seen.last) {
    if (!seen.ordered) return false;
    from = seen.length;
  }
  for (let i = Math.max(from, 1); i < hist.length && ordered; i++) if (hist[i - 1]![0] > hist[i]![0]) ordered = false;
  checked.set(hist, { first: hist[0]!, last: hist.at(-1)!, length: hist.length, ordered });
  return ordered;
}

/** The index of the first point at or after `time` in a time-ordered history (its length if none). */
export function firstAtOrAfter(hist: History, time: number): number {
  let lo = 0;
  let hi = hist.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (hist[mid]![0] < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
