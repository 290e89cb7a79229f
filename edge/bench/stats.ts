// Small helpers for benchmark figures: percentiles, medians, and aligned printing.

/** The p-th percentile (0–100) of `values`, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Formats a number with `digits` decimals. */
export function fmt(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : String(n);
}

/** One printed figure: name, value, unit, and an optional target / comparison. */
export interface Figure {
  name: string;
  value: string;
  target?: string;
  note?: string;
}

/** Renders figures as an aligned table. */
export function table(figures: readonly Figure[]): string[] {
  const w = Math.max(...figures.map((f) => f.name.length));
  const v = Math.max(...figures.map((f) => f.value.length));
  return figures.map((f) => `${f.name.padEnd(w)}  ${f.value.padStart(v)}${f.target ? `   target ${f.target}` : ''}${f.note ? `   ${f.note}` : ''}`);
}
