// A past for a fresh simulator. Binance answers klines for years back; a simulator that only
// remembers what it walked since it started serves flat candles, so token selection (which ranks
// on a week of hourly returns against BTC) finds nothing to rank and a fleet against `kraite sim`
// cannot open until hours have passed. The backfill walks each market backwards from its current
// price, deterministically (seed and symbol), with a component shared by every symbol so the
// correlations with BTC are not all noise.
import { seededRandom } from '../ports/ids.ts';
import { dec } from './decimal.ts';
import type { SimMarket } from './market.ts';

/** How far back, and how far apart the points are. */
export interface HistoryBackfillOptions {
  days: number;
  /** Time between two points (default 15 minutes: every 15m, 1h, 4h and 1d candle moves). */
  stepMs?: number;
}

const RESOLUTION = 1_000_000;
/** One point's move, in units of the market's per-step volatility (a 15-minute move is several 1-second ones). */
const POINT_SCALE = 5;

const draws = (seed: number) => {
  const next = seededRandom(seed);
  return () => Math.floor(next() * (2 * RESOLUTION + 1)) - RESOLUTION;
};

function symbolSalt(symbol: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < symbol.length; i++) h = Math.imul(h ^ symbol.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Prepends `days` of price points to every market's history, ending at its current price at `now`. */
export function backfillHistory(markets: readonly SimMarket[], now: number, seed: number, options: HistoryBackfillOptions): void {
  const stepMs = options.stepMs ?? 15 * 60_000;
  const points = Math.floor((options.days * 86_400_000) / stepMs);
  if (points <= 0) return;
  const shared = draws((seed ^ 0x5eedbac) >>> 0);
  const common = Array.from({ length: points }, shared);
  for (const market of markets) {
    const own = draws((seed ^ symbolSalt(market.symbol) ^ 0xbac4f11) >>> 0);
    const past: [number, ReturnType<typeof dec>][] = [];
    let price = market.last;
    for (let k = 1; k <= points; k++) {
      // Integer draws only, so decimal.js never sees a binary fraction; walking backwards divides.
      const z = dec(common[k - 1]! * 6 + own() * 4).div(10 * RESOLUTION).times(market.volatility).times(POINT_SCALE).plus(1);
      price = market.onGrid(price.div(z));
      past.push([now - k * stepMs, price]);
    }
    market.history.unshift(...past.reverse());
  }
}
