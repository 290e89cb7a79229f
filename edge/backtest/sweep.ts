// Parameter sweeps: `gap=0.3,0.4,0.5 rungs=3,4,5 profit=0.3,0.5` is every combination (18 runs),
// run on worker threads (one per core by default), each a whole backtest through the fleet; the
// results are ranked by an objective and every run's report is kept.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { ValidationError } from '../../core/errors.ts';
import { SHORT_SETTINGS, type ShortSetting } from './backtest-settings.ts';
import { runBacktestJob, type BacktestJob } from './backtest-job.ts';
import type { BacktestReport } from './report.ts';

/** One grid axis: a short setting name and its values. */
export type Grid = Array<[ShortSetting, string[]]>;

/** Parses `gap=0.3,0.4 rungs=3,4` (several words, or one with spaces). */
export function parseGrid(words: readonly string[]): Grid {
  const grid: Grid = [];
  for (const word of words.flatMap((w) => w.split(/\s+/)).filter(Boolean)) {
    const m = /^([a-z]+)=(.+)$/.exec(word);
    if (!m) throw new ValidationError(`--grid: "${word}" is not name=v1,v2,… (names: ${Object.keys(SHORT_SETTINGS).join(', ')})`, 'INVALID_GRID');
    const name = m[1]! as ShortSetting;
    if (!(name in SHORT_SETTINGS)) throw new ValidationError(`--grid: unknown setting "${name}" (one of ${Object.keys(SHORT_SETTINGS).join(', ')})`, 'INVALID_GRID');
    if (grid.some(([n]) => n === name)) throw new ValidationError(`--grid: "${name}" is given twice`, 'INVALID_GRID');
    const values = m[2]!.split(',').map((v) => v.trim()).filter(Boolean);
    if (values.length === 0) throw new ValidationError(`--grid: "${name}" has no values`, 'INVALID_GRID');
    grid.push([name, values]);
  }
  if (grid.length === 0) throw new ValidationError('--grid: give at least one axis, e.g. gap=0.3,0.4,0.5', 'INVALID_GRID');
  return grid;
}

/** Every combination of the grid, first axis slowest. */
export function combinations(grid: Grid): Array<Partial<Record<ShortSetting, string>>> {
  let out: Array<Partial<Record<ShortSetting, string>>> = [{}];
  for (const [name, values] of grid) out = out.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  return out;
}

/** What sweeps can rank by. */
export const OBJECTIVES = {
  net: { label: 'net PnL', score: (r: BacktestReport) => Number(r.total.netPnl) },
  drawdown: { label: 'max drawdown % (smallest first)', score: (r: BacktestReport) => -r.total.maxDrawdownPct },
  sharpe: { label: 'Sharpe', score: (r: BacktestReport) => r.total.sharpe ?? -Infinity },
  sortino: { label: 'Sortino', score: (r: BacktestReport) => r.total.sortino ?? -Infinity },
  'net/drawdown': { label: 'net PnL per unit of max drawdown', score: (r: BacktestReport) => Number(r.total.netPnl) / Math.max(1e-9, Number(r.total.maxDrawdown)) },
  'profit-factor': { label: 'profit factor', score: (r: BacktestReport) => r.total.profitFactor ?? -Infinity },
} as const;

/** A sweep objective's name. */
export type Objective = keyof typeof OBJECTIVES;

/** One run of a sweep. */
export interface SweepRun {
  params: Partial<Record<ShortSetting, string>>;
  report: BacktestReport | null;
  error: string | null;
}

/** Runs every combination on `workers` threads; results in combination order. */
export async function runSweep(base: BacktestJob, grid: Grid, o: { workers?: number; onDone?: (done: number, total: number) => void } = {}): Promise<SweepRun[]> {
  const combos = combinations(grid);
  const results: SweepRun[] = new Array(combos.length);
  const threads = Math.max(1, Math.min(o.workers ?? availableParallelism(), combos.length));
  let next = 0;
  let done = 0;
  await Promise.all(Array.from({ length: threads }, () => new Promise<void>((resolve, reject) => {
    const worker = startWorker();
    const feed = () => {
      if (next >= combos.length) {
        void worker.terminate().then(() => resolve());
        return;
      }
      const i = next++;
      worker.once('message', (m: { report: BacktestReport | null; error: string | null }) => {
        results[i] = { params: combos[i]!, report: m.report, error: m.error };
        o.onDone?.(++done, combos.length);
        feed();
      });
      worker.postMessage({ ...base, overrides: { ...base.overrides, ...combos[i] } } satisfies BacktestJob);
    };
    worker.once('error', reject);
    feed();
  })));
  return results;
}

/** Ranks runs best first by the objective; failed runs last. */
export function rankSweep(runs: readonly SweepRun[], objective: Objective): SweepRun[] {
  const score = OBJECTIVES[objective].score;
  return [...runs].sort((a, b) => (b.report ? score(b.report) : -Infinity) - (a.report ? score(a.report) : -Infinity));
}

/** The ranked table as text lines. */
export function sweepTable(ranked: readonly SweepRun[], grid: Grid): string[] {
  const names = grid.map(([n]) => n);
  const head = ['#', ...names, 'trades', 'win %', 'net PnL', 'fees', 'max DD', 'max DD %', 'Sharpe', 'PF'];
  const rows = ranked.map((r, i) => {
    const t = r.report?.total;
    const f = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '–' : Number.isFinite(x) ? x.toFixed(d) : '∞');
    return [String(i + 1), ...names.map((n) => r.params[n] ?? ''),
      ...(t ? [String(t.trades), f(t.winRate === null ? null : t.winRate * 100, 1), f(Number(t.netPnl)), f(Number(t.fees)), f(Number(t.maxDrawdown)), f(t.maxDrawdownPct), f(t.sharpe), f(t.profitFactor)]
        : [`failed: ${r.error}`])];
  });
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 && cells.length < head.length ? c : c.padStart(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)];
}

// A worker thread: this module again (the TypeScript source through tsx, or the bundle, which
// re-exports sweepWorkerMain), running jobs it is sent until terminated.
function startWorker(): Worker {
  const self = import.meta.url;
  const source = self.endsWith('.ts');
  // tsx's ESM API entry, found from its package.json (vitest's import.meta has no resolve()).
  const tsx = source ? pathToFileURL(join(dirname(createRequire(self).resolve('tsx/package.json')), 'dist', 'esm', 'api', 'index.mjs')).href : null;
  const code = `(async () => {${tsx ? `(await import(${JSON.stringify(tsx)})).register();` : ''}`
    + `const m = await import(${JSON.stringify(self)}); await m.sweepWorkerMain(); })();`;
  return new Worker(code, { eval: true, workerData: { kraiteSweep: true } });
}

/** The worker thread's loop (a no-op on the main thread). */
export async function sweepWorkerMain(): Promise<void> {
  if (isMainThread || !parentPort || !(workerData as { kraiteSweep?: boolean } | null)?.kraiteSweep) return;
  const port = parentPort;
  port.on('message', (job: BacktestJob) => {
    runBacktestJob(job).then(
      (report) => port.postMessage({ report, error: null }),
      (error: unknown) => port.postMessage({ report: null, error: error instanceof Error ? error.message : String(error) }),
    );
  });
}
