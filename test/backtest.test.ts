// `kraite backtest` over a real week of XRPUSDT 5-minute candles (test/fixtures/klines, a −17 %
// slide): the trades it reports are checked against an independent reading of the fills the
// simulator booked — every fill inside its candle's range, no ladder larger than the one frozen on
// its position, and net = gross − fees + funding rebuilt from the fills and funding payments.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../edge/cli/main.ts';
import type { BacktestReport } from '../edge/backtest/report.ts';

const KLINES = join(import.meta.dirname, 'fixtures', 'klines');
const INTERVAL = 5 * 60_000;

async function cli(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
  return { code, out, err };
}

describe('kraite backtest over a week of XRPUSDT', () => {
  let report: BacktestReport;
  let candles: Array<[number, number, number, number, number, number]>;

  beforeAll(async () => {
    candles = JSON.parse(await readFile(join(KLINES, 'XRPUSDT-5m-2021-11-15.json'), 'utf8')) as typeof candles;
    const r = await cli(['backtest', '--symbols', 'XRPUSDT', '--klines', KLINES, '--margin', '50', '--gap', '1', '--rungs', '4', '--profit', '0.5', '--json']);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    report = JSON.parse(r.out.join('\n')) as BacktestReport;
  }, 240_000);

  it('replays the whole week and trades it', () => {
    expect(report.range.candles).toBe(candles.length);
    expect(report.range.from).toBe('2021-11-15T00:00:00.000Z');
    expect(report.trades.filter((t) => t.closedAt !== null).length).toBeGreaterThan(5);
    // The slide walks at least one ladder down past its entry.
    expect(Math.max(...report.trades.map((t) => t.rungsFilled))).toBeGreaterThan(0);
    expect(report.fills.length).toBeGreaterThan(report.trades.length);
  });

  it('fills every order inside the range of the candle it happened in', () => {
    const first = candles[0]![0];
    for (const f of report.fills) {
      const c = candles[Math.floor((f.time - first) / INTERVAL)]!;
      expect(c[0] <= f.time && f.time < c[0] + INTERVAL, `fill at ${f.time}`).toBe(true);
      expect(Number(f.price), `fill ${f.side} ${f.qty} at ${new Date(f.time).toISOString()} vs [${c[3]}, ${c[2]}]`).toBeGreaterThanOrEqual(c[3]);
      expect(Number(f.price)).toBeLessThanOrEqual(c[2]);
    }
  });

  it('never builds a ladder larger than the one frozen on its position, nor loses more than its frozen worst case', () => {
    for (const t of report.trades) {
      expect(t.rungsFilled).toBeLessThanOrEqual(t.rungs);
      const mine = report.fills.filter((f) => f.symbol === t.symbol && f.time >= t.openedAt! && f.time <= (t.closedAt ?? Infinity));
      const opening = mine.filter((f) => f.side === (t.direction === 'LONG' ? 'BUY' : 'SELL'));
      // Entry plus the rungs that filled, never more fills than that.
      expect(opening.length).toBeLessThanOrEqual(1 + t.rungsFilled);
      if (t.worstCaseLoss !== null) expect(Number(t.worstLossReached)).toBeLessThanOrEqual(Number(t.worstCaseLoss));
    }
  });

  it('adds up net = gross − fees + funding, trade by trade, from the fills and funding payments', () => {
    let net = new Decimal(0);
    for (const t of report.trades.filter((x) => x.closedAt !== null)) {
      const inside = <T extends { time: number; symbol: string }>(xs: T[]) => xs.filter((x) => x.symbol === t.symbol && x.time >= t.openedAt! && x.time <= t.closedAt!);
      const gross = inside(report.fills).reduce((a, f) => a.plus(f.realizedPnl), new Decimal(0));
      const fees = inside(report.fills).reduce((a, f) => a.plus(f.commission), new Decimal(0));
      const funding = inside(report.funding).reduce((a, f) => a.plus(f.amount), new Decimal(0));
      expect(new Decimal(t.grossPnl).toFixed(8), `trade ${t.id} gross`).toBe(gross.toFixed(8));
      expect(new Decimal(t.fees).toFixed(8), `trade ${t.id} fees`).toBe(fees.toFixed(8));
      expect(new Decimal(t.funding).toFixed(8), `trade ${t.id} funding`).toBe(funding.toFixed(8));
      expect(new Decimal(t.netPnl).toFixed(8)).toBe(gross.minus(fees).plus(funding).toFixed(8));
      net = net.plus(t.netPnl);
    }
    const open = report.trades.filter((x) => x.closedAt === null).reduce((a, t) => a.plus(t.netPnl), new Decimal(0));
    expect(new Decimal(report.total.netPnl).toFixed(8)).toBe(net.plus(open).toFixed(8));
  });

  it('reports the figures traders compare runs by', () => {
    const t = report.total;
    expect(t.winRate).toBeGreaterThan(0);
    expect(Number(t.maxDrawdown)).toBeGreaterThan(0);
    expect(t.maxDrawdownPct).toBeGreaterThan(0);
    expect(t.sharpe).not.toBeNull();
    expect(t.exposure).toBeGreaterThan(0);
    expect(t.exposure).toBeLessThanOrEqual(1);
    expect(t.worstLossVsFrozen).toBeGreaterThan(0);
    expect(t.liquidationDistanceAtWorstPct).toBeGreaterThan(0);
    expect(Object.keys(report.perSymbol)).toEqual(['XRPUSDT']);
    expect(report.equity.length).toBeGreaterThan(100);
  });

  it('refuses bad settings with the console form\'s message naming the field', async () => {
    const r = await cli(['backtest', '--symbols', 'XRPUSDT', '--klines', KLINES, '--gap', '0.01']);
    expect(r.code).not.toBe(0);
    expect(r.err.join('\n')).toMatch(/long_gap_pct must be at least 0.1/);
    const missing = await cli(['backtest', '--symbols', 'BTCUSDT', '--klines', KLINES]);
    expect(missing.err.join('\n')).toMatch(/no candle file for BTCUSDT/);
  });
});
