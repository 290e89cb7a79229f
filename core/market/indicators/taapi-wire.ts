// TAAPI's bulk request and response shapes (POST /bulk): one construct per symbol and interval
// with the calculations the seven readouts need; one HTTP request, one slot of the rate budget.
import { z } from 'zod';
import { CHOP_PERIOD, EMA_PERIODS, type RawReadouts } from '../readouts.ts';

/** One calculation of a bulk construct. */
export interface TaapiCalc {
  id: string;
  indicator: 'candle' | 'ema' | 'chop' | 'pivotpoints';
  period?: number;
  /** 1 = the last closed candle, 2 = the one before. */
  backtrack: number;
}

/** The calculations of one symbol and timeframe. */
export const TAAPI_CALCS: readonly TaapiCalc[] = [
  { id: 'candle', indicator: 'candle', backtrack: 1 },
  { id: 'candle_prev', indicator: 'candle', backtrack: 2 },
  ...(['fast', 'mid', 'slow'] as const).flatMap((k): TaapiCalc[] => [
    { id: `ema_${k}`, indicator: 'ema', period: EMA_PERIODS[k], backtrack: 1 },
    { id: `ema_${k}_prev`, indicator: 'ema', period: EMA_PERIODS[k], backtrack: 2 },
  ]),
  { id: 'chop', indicator: 'chop', period: CHOP_PERIOD, backtrack: 1 },
  // Pivot points of the previous period, evaluated against the last closed candle.
  { id: 'pivot', indicator: 'pivotpoints', backtrack: 2 },
];

/** The bulk request body for one symbol (TAAPI spelling, e.g. BTC/USDT) and interval. */
export function bulkBody(secret: string, exchange: string, symbol: string, interval: string): string {
  return JSON.stringify({ secret, construct: { exchange, symbol, interval, indicators: TAAPI_CALCS } });
}

const num = z.coerce.number();
const candle = z.object({ timestamp: z.number().int().optional(), close: num });
const value = z.object({ value: num });
const pivot = z.object({ p: num, r1: num, s1: num });
/** The bulk response: one entry per calculation, a result or errors. */
export const bulkResponse = z.object({
  data: z.array(z.object({ id: z.string(), result: z.record(z.string(), z.unknown()).nullable().optional(), errors: z.array(z.unknown()).optional() })),
});

/**
 * Maps a bulk response to raw readouts. A calculation that errored or is absent leaves its value
 * out (its check is unavailable); a malformed value is a ValidationError naming its id.
 */
export function readoutsFromBulk(response: z.output<typeof bulkResponse>): RawReadouts {
  const byId = new Map(response.data.filter((d) => d.result && !(d.errors?.length)).map((d) => [d.id, d.result!]));
  const parse = <T>(id: string, schema: z.ZodType<T>): T | undefined => {
    const r = byId.get(id);
    if (r === undefined) return undefined;
    const parsed = schema.safeParse(r);
    if (!parsed.success) throw new Error(`TAAPI ${id}: ${parsed.error.issues[0]?.path.join('.') || 'result'}: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  };
  const c = parse('candle', candle);
  const prev = parse('candle_prev', candle);
  const pair = (k: string): readonly [number, number] | undefined => {
    const a = parse(`ema_${k}`, value);
    const b = parse(`ema_${k}_prev`, value);
    return a && b ? [a.value, b.value] : undefined;
  };
  const out: RawReadouts = {
    // TAAPI timestamps are in seconds.
    candle: { openTime: c?.timestamp === undefined ? null : c.timestamp * 1000, close: c?.close ?? NaN },
  };
  if (prev) out.previousClose = prev.close;
  const fast = pair('fast'); const mid = pair('mid'); const slow = pair('slow');
  if (fast) out.emaFast = fast;
  if (mid) out.emaMid = mid;
  if (slow) out.emaSlow = slow;
  const chop = parse('chop', value);
  if (chop) out.chop = chop.value;
  const p = parse('pivot', pivot);
  if (p) out.pivot = p;
  return out;
}

/** BTCUSDT → BTC/USDT, as TAAPI names Binance pairs. */
export function taapiSymbol(symbol: string, quote = 'USDT'): string {
  return symbol.endsWith(quote) ? `${symbol.slice(0, -quote.length)}/${quote}` : symbol;
}
