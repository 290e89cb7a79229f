// A 27-combination sweep (gap × rungs × profit) over the first hours of the fixture week, on worker
// threads: every run finishes, the table is ranked by the objective, and each run's report is kept.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../edge/cli/main.ts';
import { combinations, parseGrid } from '../edge/backtest/sweep.ts';
import type { BacktestReport } from '../edge/backtest/report.ts';

const KLINES = join(import.meta.dirname, 'fixtures', 'klines');
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('kraite backtest --grid', () => {
  it('parses axes and refuses what is not one, naming it', () => {
    const grid = parseGrid(['gap=0.3,0.4,0.5', 'rungs=3,4,5 profit=0.3,0.5']);
    expect(grid).toEqual([['gap', ['0.3', '0.4', '0.5']], ['rungs', ['3', '4', '5']], ['profit', ['0.3', '0.5']]]);
    expect(combinations(grid)).toHaveLength(18);
    expect(combinations(grid)[1]).toEqual({ gap: '0.3', rungs: '3', profit: '0.5' });
    expect(() => parseGrid(['spread=1,2'])).toThrow(/unknown setting "spread"/);
    expect(() => parseGrid(['gap'])).toThrow(/"gap" is not name=v1,v2/);
    expect(() => parseGrid(['gap=1', 'gap=2'])).toThrow(/"gap" is given twice/);
  });

  it('runs 27 combinations on worker threads, ranks them and keeps every report', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const dir = await mkdtemp(join(tmpdir(), 'kraite-sweep-'));
    dirs.push(dir);
    const code = await main([
      'backtest', '--symbols', 'XRPUSDT', '--klines', KLINES, '--to', '2021-11-15T06:00:00Z', '--margin', '50', '--objective', 'net',
      '--grid', 'gap=0.3,0.5,1', 'rungs=2,3,4', 'profit=0.3,0.5,1', '--workers', '2', '--out', dir,
    ], { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^sweep: 27 runs in [\d.]+ s, ranked by net PnL$/);
    const rows = out.slice(2, 29).map((l) => l.trim().split(/\s+/));
    expect(rows.map((r) => Number(r[0]))).toEqual(Array.from({ length: 27 }, (_, i) => i + 1));
    const nets = rows.map((r) => Number(r[6]));
    expect(nets).toEqual([...nets].sort((a, b) => b - a));
    // Different settings trade differently.
    expect(new Set(nets).size).toBeGreaterThan(3);
    const files = (await readdir(dir)).sort();
    expect(files.filter((f) => f.endsWith('.json') && f.startsWith('run-'))).toHaveLength(27);
    expect(files.filter((f) => f.endsWith('.html'))).toHaveLength(27);
    const ranked = JSON.parse(await readFile(join(dir, 'sweep.json'), 'utf8')) as { ranked: { params: Record<string, string>; total: { netPnl: string } }[] };
    expect(ranked.ranked).toHaveLength(27);
    expect(Number(ranked.ranked[0]!.total.netPnl)).toBeCloseTo(nets[0]!, 2);
    // The best run's own report says the same.
    const best = ranked.ranked[0]!.params;
    const name = files.find((f) => f.endsWith('.json') && f.includes(`gap${best.gap}-rungs${best.rungs}-profit${best.profit}.`))!;
    const report = JSON.parse(await readFile(join(dir, name), 'utf8')) as BacktestReport;
    expect(report.total.netPnl).toBe(ranked.ranked[0]!.total.netPnl);
    expect(report.settings.long_gap_pct).toBe(best.gap);
  }, 300_000);
});
