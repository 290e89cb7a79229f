// The HTML report is self-contained: opened from a file with every network request refused, it still
// draws the equity curve with the inlined lightweight-charts build and shows summary and trades.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chartLibrarySource, reportHtml } from '../edge/backtest/report-html.ts';
import { buildReport } from '../edge/backtest/report.ts';
import type { BacktestRun } from '../edge/backtest/run-backtest.ts';
import { launchChromium, screenshotPath } from './support/browser.ts';

const H = 3_600_000;
const T0 = Date.parse('2021-11-15T00:00:00Z');

// A small run: one closed long, one fill in and one out, a dip in equity between.
const run: BacktestRun = {
  start: T0, end: T0 + 6 * H, candles: 72, steps: 40, finalWallet: '10004.5', alerts: [],
  positions: [{
    id: 1, uuid: 'u1', accountId: 1, exchange: 'binance', symbol: 'XRPUSDT', direction: 'LONG', status: 'closed', margin: '50', leverage: 5,
    profitPct: '0.5', stopPct: '2', gapPct: '1', rungMultiplier: '2', rungs: 4, regimeBand: null, regimeScore: null, openingPrice: '1.2',
    quantity: '208.3', breakEvenPrice: '1.2', worstCaseLoss: '40', closingPrice: '1.206', pnl: '1.1', grossPnl: '1.25', fees: '0.15', funding: '0',
    netPnl: '1.1', exitReason: 'take-profit', isFastTrade: false, statusReason: null, openedAt: T0 + H, closedAt: T0 + 3 * H, createdAt: T0 + H, updatedAt: T0 + 3 * H,
  }],
  orders: [],
  fills: [
    { time: T0 + H, symbol: 'XRPUSDT', side: 'BUY', price: '1.2', qty: '208.3', commission: '0.1', realizedPnl: '0', maker: false },
    { time: T0 + 3 * H, symbol: 'XRPUSDT', side: 'SELL', price: '1.206', qty: '208.3', commission: '0.05', realizedPnl: '1.25', maker: true },
  ],
  funding: [],
  equity: Array.from({ length: 7 }, (_, i) => [T0 + i * H, String(10000 + [0, 0, -3, 1.1, 1.1, 1.1, 1.1][i]!)] as [number, string]),
  exposures: [{ symbol: 'XRPUSDT', positionSide: 'BOTH', start: T0 + H, end: T0 + 3 * H, worstUnrealized: '-3', worstAt: T0 + 2 * H, liquidationDistancePct: 480 }],
};

describe('the HTML backtest report', () => {
  it('opens offline and draws the equity curve, summary and trades', async () => {
    const report = buildReport(run, { settings: { symbols: 'XRPUSDT', long_gap_pct: '1' }, balance: '10000' });
    expect(report.total.worstLossVsFrozen).toBeCloseTo(3 / 40, 6);
    expect(report.total.exposure).toBeCloseTo(2 / 6, 6);
    expect(report.total.maxDrawdown).toBe('3.00000000');
    const page = reportHtml(report, await chartLibrarySource());
    expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    const dir = await mkdtemp(join(tmpdir(), 'kraite-report-'));
    const browser = await launchChromium();
    try {
      await writeFile(join(dir, 'report.html'), page);
      const context = await browser.newContext();
      const requests: string[] = [];
      await context.route('**/*', (route) => {
        if (route.request().url().startsWith('file:')) return route.continue();
        requests.push(route.request().url());
        return route.abort();
      });
      const tab = await context.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      await tab.goto(pathToFileURL(join(dir, 'report.html')).href);
      await tab.waitForSelector('#equity[data-points="7"] canvas');
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      expect(await tab.locator('table.trades tr').count()).toBe(2);
      expect(await tab.locator('table.summary').innerText()).toContain('win rate');
      expect(await tab.locator('table.trades').innerText()).toContain('take-profit');
      await tab.screenshot({ path: screenshotPath('backtest-report') });
    } finally {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
