// Candles for the fake TAAPI server: every price is a pure function of (symbol, interval, candle
// index), so any process asking at any time sees the same candle for the same open time.
import type { Candle } from '../../core/market/klines-store.ts';
import { INTERVAL_MS, type KlineInterval } from '../../core/market/timeframes.ts';

/** Where the fake server's candles come from: oldest first, the last one still forming at `now`. */
export type CandleSource = (symbol: string, interval: KlineInterval, now: number) => Candle[];

function hash(text: string, k: number): number {
  let h = 0x811c9dc5 ^ k;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  return (h ^ (h >>> 13)) / 4294967296;
}

/** `count` candles ending with the one forming at `now`: slow waves plus per-candle noise. */
export function seededCandles(count = 120): CandleSource {
  return (symbol, interval, now) => {
    const len = INTERVAL_MS[interval];
    const last = Math.floor(now / len);
    const key = `${symbol}|${interval}`;
    const phase = hash(key, 0) * 100;
    const price = (k: number) => 100 * (1 + 0.08 * Math.sin((k + phase) / 9) + 0.03 * Math.sin((k + phase) / 2.3) + 0.004 * (hash(key, k) - 0.5));
    const out: Candle[] = [];
    for (let k = last - count + 1; k <= last; k++) {
      const open = price(k);
      const close = price(k + 1);
      const high = Math.max(open, close) * (1 + 0.004 * hash(key, k + 7_919));
      const low = Math.min(open, close) * (1 - 0.004 * hash(key, k + 104_729));
      out.push({ openTime: k * len, closeTime: (k + 1) * len - 1, open, high, low, close, volume: 1 });
    }
    return out;
  };
}
