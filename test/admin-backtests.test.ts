// Saved backtests: a real (short) run saved into MariaDB through the 0021 migration's table reads back
// whole, and the admin's Backtests page lists it and shows its settings, summary, equity chart (the
// shared lightweight-charts markup) and trades.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBacktest, listBacktests, saveBacktest } from '../core/backtest/saved-backtests.ts';
import { runBacktestJob } from '../edge/backtest/backtest-job.ts';
import type { BacktestReport } from '../edge/backtest/report.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { perSecond } from '../web/assets/chart-markup.ts';
import { AdminClient } from './support/admin-client.ts';
import { adminHarness, OPERATOR } from './support/admin-harness.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';

const KLINES = join(import.meta.dirname, 'fixtures', 'klines');

describe('saved backtests', () => {
  let report: BacktestReport;
  let db: TestDatabase;

  beforeAll(async () => {
    report = await runBacktestJob({
      klines: KLINES, symbols: ['XRPUSDT'], to: Date.parse('2021-11-15T12:00:00Z'), directions: { XRPUSDT: 'LONG' },
      overrides: { margin: '50', gap: '0.5', rungs: '3' }, balance: '5000',
    });
    db = await freshDatabase();
  }, 120_000);
  afterAll(async () => db?.drop());

  it('round-trips through MariaDB', async () => {
    const store = await openMySqlStepStore(db.url);
    try {
      const id = await saveBacktest(store, report, 1_000);
      const saved = (await getBacktest(store, id))!;
      expect(saved.symbols).toBe('XRPUSDT');
      expect(saved.candles).toBe(144);
      expect(Number(saved.netPnl)).toBeCloseTo(Number(report.total.netPnl), 6);
      expect(saved.report.trades).toEqual(report.trades);
      expect(saved.report.equity).toEqual(report.equity);
      expect(saved.report.total).toEqual(JSON.parse(JSON.stringify(report.total)));
      expect((await listBacktests(store)).map((b) => b.id)).toEqual([id]);
    } finally {
      await store.close();
    }
  });

  it('are listed on the admin\'s Backtests page, one page per run', async () => {
    const h = await adminHarness();
    const id = await saveBacktest(h.fleet.store, report, h.clock.now());
    const client = new AdminClient(h.app, 'https://admin.test', { 'x-test-ip': '10.4.4.4' });
    expect((await h.app.request('https://admin.test/backtests')).status).toBe(302);
    await client.login(OPERATOR.username, OPERATOR.password);
    const list = await (await client.get('/backtests')).text();
    expect(list).toContain('<a href="/backtests" class="on">Backtests</a>');
    expect(list).toContain(`<a href="/backtests/${id}">${id}</a>`);
    expect(list).toContain(Number(report.total.netPnl).toFixed(4));
    const one = await client.get(`/backtests/${id}`);
    expect(one.status).toBe(200);
    const body = await one.text();
    // The equity curve is a chart of the shared mechanism: markup with its series, drawn by the scripts from 'self'.
    expect(body).not.toMatch(/<svg|<polyline/);
    expect(body).toContain('<script src="/static/lightweight-charts.js" defer></script><script src="/static/charts.js" defer></script>');
    const series = body.match(/<div class="lwc" role="img" aria-label="equity [^"]+" data-kind="line" data-series="([^"]+)"><\/div>/);
    expect(JSON.parse(series![1]!.replaceAll('&quot;', '"'))).toEqual(perSecond(report.equity));
    expect(series![1]!.length).toBeGreaterThan(100);
    expect(body).toContain('long_gap_pct');
    expect(body).toContain('profit factor');
    expect(body.match(/<tr><td>\d+<\/td><td>XRPUSDT<\/td>/g)?.length).toBe(report.trades.length);
    expect((await client.get('/backtests/999999')).status).toBe(404);
  });
});
