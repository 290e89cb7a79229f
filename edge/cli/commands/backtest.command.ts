// `kraite backtest`: replays historical candles through the fleet's own trading code (edge/backtest)
// and prints the report; writes it as JSON and a self-contained HTML page with --out; with --grid,
// sweeps every combination of settings on worker threads and ranks them.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '../../../core/errors.ts';
import type { Direction } from '../../../core/trading/statuses.ts';
import { SHORT_SETTINGS, type ShortSetting } from '../../backtest/backtest-settings.ts';
import { runBacktestJob, type BacktestJob } from '../../backtest/backtest-job.ts';
import { saveBacktest } from '../../../core/backtest/saved-backtests.ts';
import { chartLibrarySource, reportHtml, SUMMARY_ROWS } from '../../backtest/report-html.ts';
import type { BacktestReport } from '../../backtest/report.ts';
import { FULL_SCHEDULE } from '../../backtest/run-backtest.ts';
import { OBJECTIVES, parseGrid, rankSweep, runSweep, sweepTable, type Objective } from '../../backtest/sweep.ts';
import { openStore } from '../../runtime/backends.ts';
import { defineCommand, intOption, UsageError, type CliIo } from '../command.ts';

const SETTING_FLAGS = {
  slots: 'positions open at once per direction (console: slots)', leverage: 'leverage ×', margin: 'margin per position, quote asset',
  profit: 'take profit %', stop: 'stop % past the last rung', gap: 'ladder gap %', multiplier: 'each rung buys this × the previous', rungs: 'ladder rungs',
} satisfies Record<ShortSetting, string>;

function time(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const s = String(value);
  const t = /^\d+$/.test(s) ? Number(s) : Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
  if (!Number.isFinite(t)) throw new UsageError(`--${flag} must be a date (2021-11-15, 2021-11-15T06:00:00Z) or epoch ms, got "${s}"`);
  return t;
}

function directions(symbols: string[], raw: unknown): Record<string, Direction> {
  const out: Record<string, Direction> = {};
  const parts = raw === undefined ? [] : String(raw).split(',').map((p) => p.trim()).filter(Boolean);
  for (const s of symbols) out[s] = 'LONG';
  for (const p of parts) {
    const [symbol, d] = p.includes(':') ? p.split(':') as [string, string] : [null, p];
    const dir = d.toUpperCase();
    if (dir !== 'LONG' && dir !== 'SHORT') throw new UsageError(`--direction: "${d}" is not LONG or SHORT`);
    if (symbol === null) for (const s of symbols) out[s] = dir;
    else if (!symbols.includes(symbol.toUpperCase())) throw new UsageError(`--direction: ${symbol} is not in --symbols`);
    else out[symbol.toUpperCase()] = dir;
  }
  return out;
}

async function jobOf(values: Record<string, unknown>): Promise<BacktestJob> {
  if (!values.symbols) throw new UsageError('backtest: --symbols is required (e.g. --symbols XRPUSDT)');
  if (!values.klines) throw new UsageError('backtest: --klines is required: a folder of candle files (see docs/backtesting.md)');
  const symbols = String(values.symbols).split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  let form: Record<string, unknown> | undefined;
  if (values.settings) {
    try {
      form = JSON.parse(await readFile(String(values.settings), 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new ValidationError(`--settings: cannot read ${String(values.settings)} as JSON (${(error as Error).message})`, 'INVALID_SETTINGS');
    }
  }
  const overrides = Object.fromEntries(Object.keys(SHORT_SETTINGS).filter((k) => values[k] !== undefined).map((k) => [k, String(values[k])]));
  return {
    klines: String(values.klines), symbols, from: time(values.from, 'from'), to: time(values.to, 'to'),
    directions: directions(symbols, values.direction), form, overrides, balance: String(values.balance ?? '10000'),
    schedule: values['full-schedule'] ? [...FULL_SCHEDULE] : undefined,
    seed: intOption(values, 'seed', 1, 0), fundingRate: values['funding-rate'] === undefined ? undefined : String(values['funding-rate']),
  };
}

async function writeReport(report: BacktestReport, dir: string, name: string, library: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const json = join(dir, `${name}.json`);
  const html = join(dir, `${name}.html`);
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(html, reportHtml(report, library));
  return [json, html];
}

function printReport(report: BacktestReport, io: CliIo): void {
  io.out(`backtest ${report.range.from} → ${report.range.to}: ${report.range.candles} candles, balance ${report.startingBalance} → ${Number(report.finalBalance).toFixed(4)}`);
  for (const t of report.trades) {
    io.out(`  #${t.id} ${t.symbol} ${t.direction} ${new Date(t.openedAt ?? 0).toISOString().slice(0, 16)} entry ${t.entryPrice ?? '–'} rungs ${t.rungsFilled}/${t.rungs} `
      + `${t.exitReason ?? t.status} @ ${t.closingPrice ?? '–'} gross ${Number(t.grossPnl).toFixed(4)} fees ${Number(t.fees).toFixed(4)} funding ${Number(t.funding).toFixed(4)} net ${Number(t.netPnl).toFixed(4)}`);
  }
  for (const [label, f] of SUMMARY_ROWS) {
    io.out(`  ${label.padEnd(42)} ${f(report.total).padStart(22)}${Object.entries(report.perSymbol).map(([s, x]) => `   ${s} ${f(x)}`).join('')}`);
  }
}

/** `kraite backtest`. */
export const backtestCommand = defineCommand({
  name: 'backtest',
  group: 'develop',
  env: ['DATABASE_URL (optional: --save lists the run on the admin\'s Backtests page)'],
  example: 'backtest --symbols XRPUSDT --klines test/fixtures/klines --gap 0.4 --rungs 4 --out backtests',
  summary: 'replay historical candles through the fleet\'s own trading code against the simulator; report trades, PnL, drawdown; --grid sweeps settings',
  usage: 'backtest --symbols S[,S…] --klines DIR [--from DATE] [--to DATE] [--direction LONG|SHORT|S:DIR,…] [--balance N] [--gap N --rungs N …] [--settings FILE] [--out DIR] [--json] [--save] [--full-schedule] [--grid "gap=0.3,0.4 rungs=3,4" [axis=…]] [--objective net] [--workers N]',
  positionals: true,
  options: {
    symbols: { type: 'string' }, klines: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, direction: { type: 'string' },
    balance: { type: 'string' }, settings: { type: 'string' }, seed: { type: 'string' }, 'funding-rate': { type: 'string' },
    slots: { type: 'string' }, leverage: { type: 'string' }, margin: { type: 'string' }, profit: { type: 'string' }, stop: { type: 'string' },
    gap: { type: 'string' }, multiplier: { type: 'string' }, rungs: { type: 'string' },
    out: { type: 'string' }, json: { type: 'boolean' }, save: { type: 'boolean' }, 'full-schedule': { type: 'boolean' },
    grid: { type: 'string' }, objective: { type: 'string' }, workers: { type: 'string' },
  },
  flags: {
    symbols: 'comma-separated symbols to trade (each needs candle files in --klines)',
    klines: 'folder of candle files: Binance kline CSV (data.binance.vision) or [t,o,h,l,c,v] JSON, named SYMBOL-…',
    from: 'first candle to replay (date or epoch ms; default: the files\' first)', to: 'replay candles before this (default: the files\' last)',
    direction: 'LONG or SHORT for every symbol, or per symbol: XRPUSDT:SHORT,ETHUSDT:LONG (default LONG)',
    balance: 'starting wallet balance, quote asset (default 10000)',
    settings: 'JSON file of the console settings form\'s fields (long_gap_pct, short_rungs…); flags override it',
    seed: 'seed of the simulator and ids (default 1): same seed, same run', 'funding-rate': 'funding rate charged every 8 h (default 0.0001)',
    ...SETTING_FLAGS,
    out: 'write the report here as NAME.json and a self-contained NAME.html (sweeps: one pair per run plus sweep.json)',
    json: 'print the report as JSON instead of text',
    'full-schedule': 'also run the fleet\'s safety nets (order poll, drift check, exit supervisor) and balance snapshots, as npm start does (about 5× slower)', save: 'store the run in DATABASE_URL for the admin\'s Backtests page',
    grid: 'sweep: name=v1,v2,… axes (more axes as further words): every combination runs on worker threads',
    objective: `sweep ranking: ${Object.keys(OBJECTIVES).join(', ')} (default net)`, workers: 'sweep threads (default one per core)',
  },
  async run({ values, positionals }, io) {
    const job = await jobOf(values);
    const library = values.out ? await chartLibrarySource() : '';
    if (values.grid === undefined) {
      if (positionals.length) throw new UsageError(`backtest: unexpected argument "${positionals[0]}" (grid axes follow --grid)`);
      const report = await runBacktestJob(job);
      if (values.json) io.out(JSON.stringify(report, null, 2));
      else printReport(report, io);
      if (values.out) io.out(`report: ${(await writeReport(report, String(values.out), 'backtest', library)).join(', ')}`);
      if (values.save) io.out(`saved as backtest ${await save(io, report)} (the admin's Backtests page)`);
      return 0;
    }
    const objective = String(values.objective ?? 'net') as Objective;
    if (!(objective in OBJECTIVES)) throw new UsageError(`--objective must be one of ${Object.keys(OBJECTIVES).join(', ')}, got "${objective}"`);
    const grid = parseGrid([String(values.grid), ...positionals]);
    const started = performance.now();
    const runs = await runSweep(job, grid, { workers: values.workers === undefined ? undefined : intOption(values, 'workers', 1, 1) });
    const ranked = rankSweep(runs, objective);
    io.out(`sweep: ${runs.length} runs in ${((performance.now() - started) / 1000).toFixed(1)} s, ranked by ${OBJECTIVES[objective].label}`);
    for (const line of sweepTable(ranked, grid)) io.out(line);
    if (values.out) {
      const dir = String(values.out);
      for (const [i, r] of runs.entries()) if (r.report) await writeReport(r.report, dir, `run-${String(i + 1).padStart(3, '0')}-${Object.entries(r.params).map(([k, v]) => `${k}${v}`).join('-')}`, library);
      await writeFile(join(dir, 'sweep.json'), `${JSON.stringify({ objective, grid, ranked: ranked.map((r) => ({ params: r.params, error: r.error, total: r.report?.total ?? null })) }, null, 2)}\n`);
      io.out(`reports: ${dir}/ (one JSON and HTML per run, sweep.json ranks them)`);
    }
    if (values.save) for (const r of ranked) if (r.report) await save(io, r.report);
    return runs.some((r) => r.error) ? 1 : 0;
  },
});

async function save(io: CliIo, report: BacktestReport): Promise<number> {
  const store = io.store ?? await openStore(io.env);
  try {
    return await saveBacktest(store, report, Date.now());
  } finally {
    if (!io.store) await store.close();
  }
}
