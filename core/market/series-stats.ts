// Statistics over close-price series: log returns, Pearson correlation, elasticity (the beta of a
// symbol's returns on BTC's) and the stability of a rolling correlation. Plain numbers: these rank
// candidates and never price an order.

/** Log returns of consecutive closes (length n − 1); non-positive prices are skipped as gaps. */
export function logReturns(closes: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < closes.length; i++) {
    const a = closes[i - 1]!;
    const b = closes[i]!;
    out.push(a > 0 && b > 0 ? Math.log(b / a) : 0);
  }
  return out;
}

/** Arithmetic mean (NaN for an empty list). */
export function mean(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Population standard deviation. */
export function stddev(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
}

function aligned(a: readonly number[], b: readonly number[]): [number[], number[]] {
  const n = Math.min(a.length, b.length);
  return [a.slice(a.length - n), b.slice(b.length - n)];
}

/** Pearson correlation of the overlapping tails of two series; null when undefined (flat or too short). */
export function correlation(a: readonly number[], b: readonly number[]): number | null {
  const [x, y] = aligned(a, b);
  if (x.length < 3) return null;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Elasticity: how many percent the symbol moves per percent of BTC (beta of returns); null when BTC is flat. */
export function elasticity(symbolReturns: readonly number[], btcReturns: readonly number[]): number | null {
  const [x, y] = aligned(symbolReturns, btcReturns);
  if (x.length < 3) return null;
  const mx = mean(x);
  const my = mean(y);
  let cov = 0, varY = 0;
  for (let i = 0; i < x.length; i++) {
    cov += (x[i]! - mx) * (y[i]! - my);
    varY += (y[i]! - my) ** 2;
  }
  return varY === 0 ? null : cov / varY;
}

/** Standard deviation of the correlation over sliding windows; null when fewer than two windows exist. */
export function rollingCorrelationStddev(a: readonly number[], b: readonly number[], window = 24, stride = 6): number | null {
  const [x, y] = aligned(a, b);
  const values: number[] = [];
  for (let end = x.length; end - window >= 0; end -= stride) {
    const c = correlation(x.slice(end - window, end), y.slice(end - window, end));
    if (c !== null) values.push(c);
  }
  return values.length < 2 ? null : stddev(values);
}
