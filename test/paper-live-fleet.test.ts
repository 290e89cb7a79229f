// `npm start` (kraite run --all) paper trading on live prices: KRAITE_PAPER_MARKET_URL points the
// embedded simulator at a second simulator acting as the market (its REST and WebSocket faces on
// loopback). The positions the paper fleet opens follow that market — entry at the market's price,
// the console's mark equal to the market's, a move in the market fills the take-profit — and
// stopping the market raises the "mark price stale" alert.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec } from '../core/sim/decimal.ts';
import type { PositionRow } from '../core/trading/position.ts';
import { main } from '../edge/cli/main.ts';
import { PAPER_DIRECTIONS } from '../edge/runtime/trading-runtime.ts';
import { startSimulator, type RunningSimulator } from '../edge/sim/index.ts';
import { AdminClient, httpTarget } from './support/admin-client.ts';

describe('kraite run --all with KRAITE_PAPER_MARKET_URL (paper trading on live prices)', () => {
  let market: RunningSimulator | null = null;
  let dataDir = '';
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kraite-live-paper-'));
    market = await startSimulator({ seed: 21, tickMs: 'manual', markPriceIntervalMs: 200 });
    // Prices the paper simulator's own listing would never start from; ETH's mark off the tick grid.
    for (const symbol of Object.keys(PAPER_DIRECTIONS)) market.engine.movePercent(symbol, '-8.5');
    market.engine.setPrices('ETHUSDT', { mark: '3201.2345', last: '3201.23' });
  });
  afterAll(async () => {
    await market?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('opens at the market\'s prices, marks at the market\'s mark, fills the take-profit when the market moves, and pages when the market stops', async () => {
    const m = market!;
    const out: string[] = [];
    const stop = new AbortController();
    const env = { KRAITE_PORT: '0', LOG_LEVEL: 'info', KRAITE_DATA_DIR: dataDir, KRAITE_PAPER_MARKET_URL: m.restUrl, KRAITE_MARK_PRICE_STALE_MS: '3000' };
    const running = main(['run', '--all'], { out: (l) => out.push(l), err: (l) => out.push(l), env, signal: stop.signal });
    const cli = async (...argv: string[]) => {
      const lines: string[] = [];
      expect(await main(argv, { out: (l) => lines.push(l), err: (l) => lines.push(l), env: { KRAITE_DATA_DIR: dataDir } })).toBe(0);
      return lines.join('\n');
    };
    const positions = async (status: string) => JSON.parse(await cli('positions', '--status', status, '--json')) as PositionRow[];
    try {
      await expect.poll(() => out.join('\n'), { timeout: 20_000 }).toContain(`paper trading on live prices: 11 symbols follow ${m.restUrl}`);
      await expect.poll(() => out.join('\n'), { timeout: 20_000 }).toContain('console first run: sign in as');
      await expect.poll(async () => (await positions('active')).length, { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(2);

      // Every entry filled at the market's price (the paper simulator's own would be 8.5 % higher).
      const active = await positions('active');
      for (const p of active) expect(dec(p.openingPrice!).equals(m.engine.market(p.symbol).last)).toBe(true);

      // The console marks each open position at the market's mark (exact, off-grid ETH included).
      const text = out.join('\n');
      const consoleUrl = /console: (http:\/\/\S+)\//.exec(text)![1]!;
      const [, username, password] = /console first run: sign in as "([^"]+)" with password "([^"]+)"/.exec(text)!;
      const trader = new AdminClient(httpTarget, consoleUrl);
      expect((await trader.login(username!, password!)).status).toBe(303);
      const consoleMarks = async () => {
        const [head, ...rows] = (await (await trader.get('/positions.csv?status=open')).text()).trim().split('\n').map((l) => l.split(','));
        const at = (name: string) => head!.indexOf(name);
        return new Map(rows.map((r) => [r[at('symbol')]!, r[at('mark_price')]!]));
      };
      await expect.poll(async () => {
        const marks = await consoleMarks();
        return active.every((p) => marks.has(p.symbol) && dec(marks.get(p.symbol)!).equals(m.engine.market(p.symbol).mark));
      }, { timeout: 15_000, interval: 250 }).toBe(true);

      // A move of the market through one position's take-profit fills it in the paper fleet (the close
      // block then takes its ~20 s to prove the position flat).
      const target = active[0]!;
      const entry = dec(target.openingPrice!);
      const through = target.direction === 'LONG' ? entry.times('1.01') : entry.times('0.99');
      m.engine.setMark(target.symbol, m.engine.market(target.symbol).onGrid(through).toFixed());
      await expect.poll(async () => (await positions('closed')).find((p) => p.id === target.id)?.exitReason ?? null, { timeout: 60_000, interval: 250 }).toBe('take-profit');
      const closed = (await positions('closed')).find((p) => p.id === target.id)!;
      expect(dec(closed.closingPrice!).minus(entry).abs().dividedBy(entry).toNumber()).toBeCloseTo(0.003, 3);

      // The market stops: the positions still open have no fresh mark, and the operator is paged.
      const stillOpen = (await positions('open')).map((p) => p.symbol);
      expect(stillOpen.length).toBeGreaterThan(0);
      await m.close();
      market = null;
      await expect.poll(() => out.find((l) => l.includes('"alert":"mark-price:stale"')) ?? '', { timeout: 30_000, interval: 250 }).toContain('mark price stale on');
      const alert = JSON.parse(out.find((l) => l.includes('"alert":"mark-price:stale"'))!) as { msg?: string; message?: string };
      for (const symbol of stillOpen) expect(JSON.stringify(alert)).toContain(symbol);
    } finally {
      stop.abort();
      expect(await running).toBe(0);
    }
  }, 180_000);
});
