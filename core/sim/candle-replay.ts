// A price source from historical candles: each candle becomes four prices at fixed moments inside
// it — open, the nearer extreme, the farther extreme, close — so a stop or take-profit the candle
// reached fills where it would have, and a candle's range is walked in the order most likely
// (the extreme nearer the open is usually touched first). Finer data is simply finer candles.
// Prices reach the simulator through its replay seam (PricePath.replay, one price per step).
import { dec } from './decimal.ts';
import type { SimExchange } from './sim-exchange.ts';

/** One OHLC candle; prices are decimal strings as the exchange sends them. */
export interface ReplayCandle {
  openTime: number;
  open: string;
  high: string;
  low: string;
  close: string;
}

/** One moment of the path: the price `symbol` trades at from `time`. */
export interface ReplayPoint {
  time: number;
  symbol: string;
  price: string;
}

/**
 * The four prices of one candle at openTime + k·interval/4 (k = 0..3): open → nearer extreme →
 * farther extreme → close. A tie (open equally far from both) goes to the low first.
 */
export function intraCandlePath(symbol: string, c: ReplayCandle, intervalMs: number): ReplayPoint[] {
  const open = dec(c.open);
  const toHigh = dec(c.high).minus(open).abs();
  const toLow = open.minus(dec(c.low)).abs();
  const [near, far] = toHigh.lessThan(toLow) ? [c.high, c.low] : [c.low, c.high];
  const q = intervalMs / 4;
  return [c.open, near, far, c.close].map((price, k) => ({ time: c.openTime + Math.round(k * q), symbol, price }));
}

/** Every point of every symbol's candles, in time order (symbols in the given order at equal times). */
export function candlePath(candles: Record<string, readonly ReplayCandle[]>, intervalMs: number): ReplayPoint[] {
  const points: ReplayPoint[] = [];
  for (const [symbol, list] of Object.entries(candles)) for (const c of list) points.push(...intraCandlePath(symbol, c, intervalMs));
  const order = new Map(Object.keys(candles).map((s, i) => [s, i]));
  return points.sort((a, b) => a.time - b.time || order.get(a.symbol)! - order.get(b.symbol)!);
}

/**
 * Moves the simulator to the prices of one moment: each symbol's price is queued on the replay seam
 * and one path step applies them all (resting orders the last price crossed fill, then triggers fire).
 * The simulator's random walk must be frozen (`sim.freeze()`) so unlisted moves never happen.
 */
export function applyReplayPoints(sim: SimExchange, points: readonly ReplayPoint[]): void {
  for (const p of points) sim.replay(p.symbol, [p.price]);
  sim.step();
}
