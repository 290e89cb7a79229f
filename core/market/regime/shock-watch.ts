// Feeds live mark prices of the reference basket into the shock detector and reports each shock
// once per hold period: the mark-price daemon calls it on every frame and stores what it reports,
// and the open allowance blocks new opens for the hold (allowance.ts).
import { ShockDetector, type Shock, type ShockOptions } from './shock.ts';

/** One mark price as the stream delivers it (decimal string). */
export interface LivePrice {
  symbol: string;
  price: string;
}

/** Returns a function to call per frame; it hands `record` each new shock, at most once per `holdMs`. */
export function shockWatch(basket: readonly string[], record: (shock: Shock) => void, options: ShockOptions & { holdMs?: number } = {}): (prices: readonly LivePrice[], at: number) => void {
  const detector = new ShockDetector(options);
  const members = new Set(basket);
  const holdMs = options.holdMs ?? 30 * 60_000;
  let lastAt = -Infinity;
  return (prices, at) => {
    let shock: Shock | null = null;
    for (const p of prices) if (members.has(p.symbol)) shock = detector.observe(p.symbol, Number(p.price), at) ?? shock;
    if (shock && at - lastAt >= holdMs) {
      lastAt = at;
      record(shock);
    }
  };
}
