// The one-minute shock detector: live mark prices of a reference basket (BTC first) against their
// price a minute ago. Downside only: a basket falling hard within a minute blocks new opens for a
// hold period, long before the hourly score can see it. A rally never triggers it.

/** Detector settings. */
export interface ShockOptions {
  /** Look-back window (default 60 s). */
  windowMs?: number;
  /** Median basket drop over the window that counts as a shock, percent (default 2.5). */
  dropPercent?: number;
  /** Fewest basket symbols with a price a window ago (default 3). */
  minSymbols?: number;
}

/** A detected shock. */
export interface Shock {
  at: number;
  /** Median drop across the basket, percent (positive = down). */
  dropPercent: number;
  symbols: number;
}

/** Defaults. */
export const SHOCK_DEFAULTS = { windowMs: 60_000, dropPercent: 2.5, minSymbols: 3 } as const;

/** Keeps a minute of prices per symbol and reports a shock when the basket's median drop crosses the line. */
export class ShockDetector {
  private readonly o: Required<ShockOptions>;
  private readonly prices = new Map<string, { at: number; price: number }[]>();

  constructor(options: ShockOptions = {}) {
    this.o = { ...SHOCK_DEFAULTS, ...options };
  }

  /** Feeds one mark price; returns a shock when this update completes one. */
  observe(symbol: string, price: number, at: number): Shock | null {
    if (!(price > 0)) return null;
    const series = this.prices.get(symbol) ?? [];
    series.push({ at, price });
    // Keep one point at or before the window start, so "a minute ago" always has a price.
    while (series.length > 2 && series[1]!.at <= at - this.o.windowMs) series.shift();
    this.prices.set(symbol, series);
    return this.evaluate(at);
  }

  /** The basket's state at `at` without a new price. */
  evaluate(at: number): Shock | null {
    const drops: number[] = [];
    for (const series of this.prices.values()) {
      // The reference is the newest price at or before the window start.
      const start = at - this.o.windowMs;
      const ref = series.findLast((p) => p.at <= start);
      const last = series.at(-1)!;
      if (!ref || last.at <= start) continue;
      drops.push((1 - last.price / ref.price) * 100);
    }
    if (drops.length < this.o.minSymbols) return null;
    drops.sort((a, b) => a - b);
    const mid = drops.length >> 1;
    const median = drops.length % 2 ? drops[mid]! : (drops[mid - 1]! + drops[mid]!) / 2;
    return median >= this.o.dropPercent ? { at, dropPercent: median, symbols: drops.length } : null;
  }
}
