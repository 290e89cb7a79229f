// Candle files for backtests: Binance's public kline CSV (data.binance.vision, with or without its
// header row) and the `[openTime, open, high, low, close, volume]` JSON shape. A folder holds one or
// more files per symbol, named after it (`XRPUSDT-5m-2021-11.csv`, `XRPUSDT.json`…).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '../../core/errors.ts';
import type { ReplayCandle } from '../../core/sim/candle-replay.ts';

/** A candle as a backtest reads it. */
export interface Candle extends ReplayCandle {
  volume: string;
}

const text = (v: unknown) => (typeof v === 'number' ? String(v) : String(v).trim());

function candleOf(row: readonly unknown[], where: string): Candle {
  if (row.length < 5) throw new ValidationError(`${where}: a candle needs openTime, open, high, low, close; got ${JSON.stringify(row)}`, 'INVALID_KLINES');
  const [t, o, h, l, c, v] = row;
  const openTime = Number(t);
  const prices = [o, h, l, c].map(text);
  if (!Number.isFinite(openTime) || prices.some((p) => !/^\d+(\.\d+)?(e-?\d+)?$/i.test(p) || Number(p) <= 0)) {
    throw new ValidationError(`${where}: not a candle (openTime, open, high, low, close as positive numbers): ${JSON.stringify(row)}`, 'INVALID_KLINES');
  }
  // JSON numbers print as plain decimals for every realistic price; exponents are normalised.
  const [open, high, low, close] = prices.map((p) => (/e/i.test(p) ? Number(p).toFixed(12).replace(/0+$/, '') : p)) as [string, string, string, string];
  if (Number(high) < Math.max(Number(open), Number(close), Number(low)) || Number(low) > Math.min(Number(open), Number(close))) {
    throw new ValidationError(`${where}: high/low do not enclose open and close: ${JSON.stringify(row)}`, 'INVALID_KLINES');
  }
  return { openTime, open, high, low, close, volume: v === undefined ? '0' : text(v) };
}

/** Parses one file's text: JSON rows or Binance CSV (a non-numeric first line is a header). */
export function parseKlines(body: string, where: string): Candle[] {
  const trimmed = body.trim();
  if (trimmed.startsWith('[')) {
    const rows = JSON.parse(trimmed) as unknown;
    if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r))) throw new ValidationError(`${where}: JSON klines must be an array of [t,o,h,l,c,v] rows`, 'INVALID_KLINES');
    return (rows as unknown[][]).map((r, i) => candleOf(r, `${where} row ${i + 1}`));
  }
  const lines = trimmed.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines[0] && !/^\d/.test(lines[0].trim())) lines.shift();
  return lines.map((l, i) => candleOf(l.split(','), `${where} line ${i + 1}`));
}

/** The candle interval: the most common gap between consecutive open times. */
export function candleInterval(candles: readonly Candle[]): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < candles.length; i++) {
    const gap = candles[i]!.openTime - candles[i - 1]!.openTime;
    if (gap > 0) counts.set(gap, (counts.get(gap) ?? 0) + 1);
  }
  let best = 60_000;
  let n = 0;
  for (const [gap, c] of counts) if (c > n) [best, n] = [gap, c];
  return best;
}

/** Reads every file in `dir` named after one of `symbols`, merged, sorted, de-duplicated and cut to [from, to). */
export async function loadKlines(dir: string, symbols: readonly string[], range: { from?: number; to?: number } = {}): Promise<Record<string, Candle[]>> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    throw new ValidationError(`--klines: cannot read the folder ${dir}`, 'INVALID_KLINES');
  }
  const out: Record<string, Candle[]> = {};
  for (const symbol of symbols) {
    const files = names.filter((n) => /\.(csv|json)$/i.test(n) && (n === `${symbol}.json` || n === `${symbol}.csv` || n.startsWith(`${symbol}-`) || n.startsWith(`${symbol}_`)));
    if (files.length === 0) throw new ValidationError(`--klines: no candle file for ${symbol} in ${dir} (expected ${symbol}-<interval>-<date>.csv or .json)`, 'INVALID_KLINES');
    const byTime = new Map<number, Candle>();
    for (const f of files) for (const c of parseKlines(await readFile(join(dir, f), 'utf8'), f)) byTime.set(c.openTime, c);
    const candles = [...byTime.values()]
      .filter((c) => (range.from === undefined || c.openTime >= range.from) && (range.to === undefined || c.openTime < range.to))
      .sort((a, b) => a.openTime - b.openTime);
    if (candles.length === 0) throw new ValidationError(`--from/--to: no ${symbol} candles in that range (${files.join(', ')})`, 'INVALID_KLINES');
    out[symbol] = candles;
  }
  return out;
}
