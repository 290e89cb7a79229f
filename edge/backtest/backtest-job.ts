// One backtest from plain options (what the CLI parsed, what a sweep worker receives): load the
// candles, validate the settings as the console does, replay, and build the report.
import { ValidationError } from '../../core/errors.ts';
import type { Direction } from '../../core/trading/statuses.ts';
import { settingsFromForm, withOverrides, defaultForm, type ShortSetting } from './backtest-settings.ts';
import { candleInterval, loadKlines, type Candle } from './kline-files.ts';
import { buildReport, type BacktestReport } from './report.ts';
import { runBacktest } from './run-backtest.ts';

/** Everything one run needs, as plain data (it crosses to worker threads). */
export interface BacktestJob {
  klines: string;
  symbols: string[];
  from?: number;
  to?: number;
  /** Direction per symbol. */
  directions: Record<string, Direction>;
  /** The console's settings form fields (long_gap_pct…); missing fields keep the account defaults. */
  form?: Record<string, unknown>;
  /** Short overrides for both directions (gap=0.4…), applied after the form. */
  overrides?: Partial<Record<ShortSetting, string>>;
  balance: string;
  seed?: number;
  fundingRate?: string;
  schedule?: string[];
}

/** Loaded candles per symbol, shared by the runs of one process. */
export type CandleSet = Record<string, Candle[]>;

/** Runs one job; `candles` skips loading when the caller already holds them. */
export async function runBacktestJob(job: BacktestJob, candles?: CandleSet): Promise<BacktestReport> {
  if (!/^\d+(\.\d+)?$/.test(job.balance) || Number(job.balance) <= 0) throw new ValidationError(`--balance must be a positive number, got "${job.balance}"`, 'INVALID_SETTINGS');
  const form = withOverrides({ ...defaultForm(), ...Object.fromEntries(Object.entries(job.form ?? {}).map(([k, v]) => [k, String(v)])) }, job.overrides ?? {});
  const settings = settingsFromForm(form);
  const loaded = candles ?? await loadKlines(job.klines, job.symbols, { from: job.from, to: job.to });
  const first = loaded[job.symbols[0]!]!;
  const run = await runBacktest({
    candles: loaded, intervalMs: candleInterval(first), directions: job.directions, settings, balance: job.balance,
    seed: job.seed, fundingRate: job.fundingRate, schedule: job.schedule,
  });
  return buildReport(run, {
    balance: job.balance,
    settings: { symbols: job.symbols.join(','), directions: job.directions, ...form, seed: job.seed ?? 1, fundingRate: job.fundingRate ?? '0.0001' },
  });
}
