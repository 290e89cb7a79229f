// Fidelity: the backtest's drive (dispatcher ticked by hand, one consumer per lane, no daemon) and
// `npm start`'s fleet process (run --all's plan: every lane's consumers at their concurrency, the
// dispatch daemon, the system handlers — test/support/npm-start-drive.ts) replay the same price path
// with the same settings and seed, and must produce the same trades, fill for fill.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DIRECTION_SETTINGS } from '../core/trading/account.ts';
import { loadKlines } from '../edge/backtest/kline-files.ts';
import { runBacktest, type BacktestInput, type BacktestRun } from '../edge/backtest/run-backtest.ts';
import { npmStartDrive } from './support/npm-start-drive.ts';

const KLINES = join(import.meta.dirname, 'fixtures', 'klines');

// What must agree: every fill (time, side, price, quantity, fee, realised PnL) and every position's
// ledger; ids and client order ids are left out (npm start's engine draws random uuids).
function trades(run: BacktestRun) {
  return {
    fills: run.fills.map((f) => [f.time, f.symbol, f.side, f.price, f.qty, f.commission, f.realizedPnl, f.maker]),
    positions: run.positions.map((p) => ({
      symbol: p.symbol, direction: p.direction, status: p.status, openingPrice: p.openingPrice, quantity: p.quantity, closingPrice: p.closingPrice,
      exitReason: p.exitReason, grossPnl: p.grossPnl, fees: p.fees, funding: p.funding, netPnl: p.netPnl, worstCaseLoss: p.worstCaseLoss,
      openedAt: p.openedAt, closedAt: p.closedAt,
    })),
    wallet: run.finalWallet,
  };
}

describe('backtest fidelity', () => {
  it('trades a replayed path exactly as npm start\'s fleet process does, fill for fill', async () => {
    // The first 14 hours of the week: entries, rung fills, take-profits and a funding time.
    const candles = { XRPUSDT: (await loadKlines(KLINES, ['XRPUSDT'], { to: Date.parse('2021-11-15T14:00:00Z') })).XRPUSDT! };
    const settings = { ...DEFAULT_DIRECTION_SETTINGS, margin: '50', gapPct: '0.4', rungs: 3, profitPct: '0.4' };
    const input: BacktestInput = { candles, intervalMs: 5 * 60_000, directions: { XRPUSDT: 'LONG' }, settings: { LONG: settings, SHORT: settings }, balance: '5000', seed: 7 };

    const backtest = trades(await runBacktest(input));
    const paper = trades(await runBacktest(input, await npmStartDrive()));

    expect(backtest.positions.filter((p) => p.status === 'closed').length).toBeGreaterThan(3);
    expect(backtest.fills.length).toBeGreaterThan(10);
    expect(backtest.positions.some((p) => p.quantity !== null && backtest.fills.filter((f) => f[0] === p.openedAt).length === 1)).toBe(true);
    expect(paper.fills).toEqual(backtest.fills);
    expect(paper.positions).toEqual(backtest.positions);
    expect(paper.wallet).toBe(backtest.wallet);
  }, 300_000);
});
