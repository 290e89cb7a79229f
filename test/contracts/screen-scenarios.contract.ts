// The screens people trade from, in a real browser (Debian's Chromium via playwright-core) against
// a paper fleet: the real trading handlers on the step engine over the given store and queue, the
// in-process simulator. Run by every runner (test/browser-console.test.ts on the embedded runner,
// test/browser-console-mysql.test.ts on MariaDB with BullMQ on Redis): the summary equals the rows
// and the simulator's income; a position opened while the page is open appears, and a fill updates
// its page, without a reload within 3 s; every chart of the console and the admin draws pixels and
// the position chart carries every price line; "close now" leaves the simulator flat and the
// position closed by `operator`; no console or admin page scrolls sideways at 390 px; dark mode is
// dark. With `screenshots` (KRAITE_SCREENSHOT_DIR, `npm run screenshots`) the console home and a
// position page go there (the admin dashboard comes from `npm start`: test/browser-admin-paper.test.ts).
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec } from '../../core/exchange/precision.ts';
import { serveWeb, type WebServer } from '../../edge/runtime/serve-web.ts';
import { createAdminApp } from '../../web/admin/admin-app.ts';
import { engineFleet } from '../../web/admin/engine-fleet.ts';
import { MemoryAdminSessionStore, MemoryAdminUserStore, MemoryAuditLog } from '../../web/admin/memory-stores.ts';
import { scryptPasswordHasher } from '../../web/admin/node/scrypt-passwords.ts';
import { nodeChartLibrary } from '../../web/assets/node/chart-library.ts';
import { createConsoleApp } from '../../web/console/console-app.ts';
import { MemoryConsoleDirectory } from '../../web/console/console-deps.ts';
import { enginePositionControl } from '../../web/console/engine-control.ts';
import { inkedPixels, launchChromium } from '../support/browser.ts';
import { ScriptedExecutor } from '../support/admin-harness.ts';
import { startTradingHarness, type TradingHarness, type TradingParts } from '../support/trading-harness.ts';

/** The store and queue of one runner, and the names the admin shows for them. */
export interface ScreenParts extends TradingParts {
  mode: { store: string; queue: string };
}

/** Options of a run. */
export interface ScreenScenarioOptions {
  /** Where the console home and a position page are saved as PNG; null: nowhere. */
  screenshots?: string | null;
}

/** The browser scenarios on `name`'s paper fleet; one browser and one fleet for the whole file. */
export function screenScenarios(name: string, makeParts: () => Promise<ScreenParts>, options: ScreenScenarioOptions = {}): void {
  const PASSWORD = 'correct horse battery staple';
  const SHOTS = options.screenshots ?? null;

  let h: TradingHarness;
  let browser: Browser;
  let consoleServer: WebServer;
  const servers: WebServer[] = [];
  const audit = new MemoryAuditLog();

  async function openAndSettle(): Promise<number> {
    await h.start('trading.open-positions');
    await h.settle();
    await h.recordMarks();
    const open = (await h.positions()).filter((p) => p.status === 'active');
    expect(open).toHaveLength(1);
    return open[0]!.id;
  }

  async function storeBalances(): Promise<void> {
    await h.start('trading.store-balances', { accountId: h.accountId });
    await h.settle();
  }

  beforeAll(async () => {
    const parts = await makeParts();
    const queue = parts.queue;
    // A day of deterministic price history, so the position chart's candles move (the frozen walk keeps them flat after).
    h = await startTradingHarness(parts, { sim: { history: { days: 1, stepMs: 60_000 } } });
    // History: one position closed by its take-profit, balance snapshots on either side.
    await storeBalances();
    const first = await openAndSettle();
    h.sim.advance(5 * 60_000);
    await storeBalances();
    h.sim.setMark('ETHUSDT', (await h.orders(first)).find((o) => o.role === 'profit')!.price!);
    await h.settle({ maxAdvanceMs: 3_600_000 });
    expect((await h.positions()).find((p) => p.id === first)!.status).toBe('closed');
    h.sim.advance(5 * 60_000);
    await storeBalances();
    await h.recordMarks();

    // Three hours of regime snapshots for the regime page's chart (the regime worker is not part of this fleet).
    const now = h.clock.now();
    await h.store.transaction(async (tx) => {
      for (const [i, score] of [12, 48, 71].entries()) {
        await tx.insertRow('regime_snapshots', { uuid: `regime-${i}`, period_at: now - (3 - i) * 3_600_000, computed_at: now - (3 - i) * 3_600_000 + 60_000, score: String(score), band: ['Calm', 'Elevated', 'Fragile'][i]! });
      }
    });

    const passwords = scryptPasswordHasher({ N: 1024, r: 8, p: 1 });
    const users = new MemoryAdminUserStore();
    users.add('tess', await passwords.hash(PASSWORD));
    const directory = new MemoryConsoleDirectory();
    directory.grant((await users.findByUsername('tess'))!.id, h.accountId);
    const app = createConsoleApp({
      users, sessions: new MemoryAdminSessionStore(), passwords, audit, clock: h.clock, directory, store: h.store,
      control: enginePositionControl(h.engine), chartLibrary: nodeChartLibrary, liveIntervalMs: 250,
      candles: async (symbol, from, to) => (await h.exchange.getKlines({ symbol, interval: '1m', startTime: from, endTime: to, limit: 500 }))
        .map((k) => ({ openTime: k.openTime, open: k.open, high: k.high, low: k.low, close: k.close })),
    }, { allowInsecureLocalhostCookies: true });
    consoleServer = await serveWeb(app, '127.0.0.1', 0);
    servers.push(consoleServer);
    const adminUsers = new MemoryAdminUserStore();
    adminUsers.add('ada', await passwords.hash(PASSWORD));
    const fleet = engineFleet({ engine: h.engine, queue, queues: [{ queue: 'kraite.positions', concurrency: 4 }], boxes: ['pheme'], mode: parts.mode });
    servers.push(await serveWeb(createAdminApp({ users: adminUsers, sessions: new MemoryAdminSessionStore(), passwords, sql: new ScriptedExecutor(), audit, clock: h.clock, fleet, chartLibrary: nodeChartLibrary }, { allowInsecureLocalhostCookies: true }), '127.0.0.1', 0));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.close();
    await h?.close();
  });

  async function signIn(base: string, username: string, options: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill('input[name="username"]', username);
    await page.fill('input[name="password"]', PASSWORD);
    await Promise.all([page.waitForURL(`${base}/`), page.click('button[type="submit"]')]);
    return { context, page };
  }

  async function shot(page: Page, name: string): Promise<void> {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  }

  describe(`the console and the admin in Chromium on a paper fleet (${name})`, () => {
    it('shows a summary total equal to the rows and to the simulator account income', async () => {
      const { page, context } = await signIn(consoleServer.url, 'tess');
      const total = await page.getAttribute('[data-summary-total]', 'data-summary-total');
      const rows = await page.$$eval('table.positions tbody td[data-pnl]', (tds) => tds.map((td) => td.getAttribute('data-pnl') ?? ''));
      const sumRows = rows.filter((v) => v !== '').reduce((s, v) => s.plus(v), dec(0));
      const income = (await h.exchange.getIncome({})).reduce((s, r) => s.plus(r.income), dec(0));
      const booked = (await h.positions()).reduce((s, p) => s.plus(p.netPnl ?? 0), dec(0));
      expect(booked.isZero()).toBe(false);
      expect(dec(total!).equals(sumRows)).toBe(true);
      expect(sumRows.equals(income)).toBe(true);
      expect(await page.textContent('table.positions')).toContain('take-profit');
      await context.close();
    });

    it('shows a position opened while the page is open within 3 s, without a reload; a fill updates its page', async () => {
      const { page, context } = await signIn(consoleServer.url, 'tess');
      await page.evaluate(() => { (window as unknown as { marker: number }).marker = 42; });
      await page.waitForSelector('.live-status:has-text("live")', { timeout: 5_000 });
      const id = await openAndSettle();
      const started = Date.now();
      await page.waitForSelector(`table.positions a[href="/positions/${id}"]`, { timeout: 3_000 });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
      // A rung fill on the position page.
      await page.goto(`${consoleServer.url}/positions/${id}`);
      await page.waitForSelector('.live-status:has-text("live")', { timeout: 5_000 });
      await page.evaluate(() => { (window as unknown as { marker: number }).marker = 7; });
      const fillsBefore = await page.locator('#position-ladder h2:has-text("Fills") + table tbody tr').count();
      const rung = (await h.orders(id)).find((o) => o.role === 'rung' && o.rung === 1)!;
      h.sim.setMark('ETHUSDT', rung.price!);
      await h.settle();
      const filledAt = Date.now();
      await page.waitForFunction((n) => document.querySelectorAll('#position-ladder h2 + table tbody tr').length > 0 && document.querySelectorAll('#position-ladder table')[1]!.querySelectorAll('tbody tr').length > n, fillsBefore, { timeout: 3_000 });
      expect(Date.now() - filledAt).toBeLessThan(3_000);
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
      // Each fill shows its fee while the position is open (the stream's trade commission), never "—".
      const fees = await page.evaluate(() => [...document.querySelectorAll('#position-ladder table')[1]!.querySelectorAll('tbody tr')].map((tr) => tr.children[4]?.textContent ?? ''));
      expect(fees.length).toBeGreaterThanOrEqual(2);
      for (const fee of fees) expect(fee).toMatch(/[1-9]/);
      await h.recordMarks(); // the mark the rung filled at, as the mark-price daemon would store it
      await context.close();
    });

    it('draws every chart, and the position chart carries entry, each rung, break-even, TP and SL', async () => {
      const { page, context } = await signIn(consoleServer.url, 'tess');
      await page.waitForFunction(() => [...document.querySelectorAll('.lwc')].every((el) => el.querySelector('canvas')));
      const charts = await inkedPixels(page, '.lwc');
      expect(charts.length).toBeGreaterThanOrEqual(3);
      for (const inked of charts) expect(inked).toBeGreaterThan(100);
      await shot(page, 'console-home');
      const open = (await h.positions()).find((p) => p.status === 'active')!;
      await page.goto(`${consoleServer.url}/positions/${open.id}`);
      await page.waitForSelector('.lwc[data-rendered-lines]');
      const lines = Number(await page.getAttribute('.lwc', 'data-rendered-lines'));
      const rungs = new Set((await h.orders(open.id)).filter((o) => o.role === 'rung').map((o) => o.rung)).size;
      expect(rungs).toBeGreaterThan(0);
      expect(lines).toBe(rungs + 4);
      expect((await inkedPixels(page, '.lwc'))[0]).toBeGreaterThan(100);
      await shot(page, 'console-position');
      await context.close();
    });

    it('lays every page out within 390 px, and is dark under prefers-color-scheme: dark', async () => {
      const { page, context } = await signIn(consoleServer.url, 'tess', { viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
      const position = (await h.positions())[0]!;
      const open = (await h.positions()).find((p) => p.status === 'active')!;
      for (const path of ['/', `/positions/${position.id}`, `/positions/${open.id}`, `/positions/${open.id}/close`, `/accounts/${h.accountId}/settings`, '/?status=closed']) {
        await page.goto(`${consoleServer.url}${path}`);
        expect({ path, width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ path, width: 390 });
      }
      const signedOut = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const login = await signedOut.newPage();
      for (const base of [consoleServer.url, servers[1]!.url]) {
        await login.goto(`${base}/login`);
        expect({ base, width: await login.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ base, width: 390 });
      }
      await signedOut.close();
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = background.match(/\d+/g)!.map(Number);
      expect(0.2126 * r! + 0.7152 * g! + 0.0722 * b!).toBeLessThan(60);
      // The header's toggle overrides the system's dark and the choice persists across pages (charts redraw in it).
      await page.click('button.theme-toggle');
      await page.goto(`${consoleServer.url}/`);
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
      const [lr, lg, lb] = (await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).match(/\d+/g)!.map(Number);
      expect(0.2126 * lr! + 0.7152 * lg! + 0.0722 * lb!).toBeGreaterThan(200);
      await context.close();
    });

    it('closes a position now, after a confirmation: the simulator flat, none of our orders left, exit reason operator', async () => {
      const { page, context } = await signIn(consoleServer.url, 'tess');
      const open = (await h.positions()).find((p) => p.status === 'active')!;
      await page.goto(`${consoleServer.url}/positions/${open.id}`);
      await Promise.all([page.waitForURL(new RegExp(`/positions/${open.id}/close`)), page.click('button:has-text("Close now")')]);
      expect(await page.textContent('h1')).toContain(`Close #${open.id}`);
      await Promise.all([page.waitForURL(new RegExp(`/positions/${open.id}\\?saved=`)), page.click('button:has-text("Yes, close it now")')]);
      expect(await page.textContent('[role="status"]')).toContain('the close workflow has started');
      await h.settle({ maxAdvanceMs: 3_600_000 });
      const closed = (await h.positions()).find((p) => p.id === open.id)!;
      expect(closed.status).toBe('closed');
      expect(closed.exitReason).toBe('operator');
      const legs = await h.exchange.getPositions('ETHUSDT');
      expect(legs.reduce((s, l) => s.plus(l.positionAmt), dec(0)).isZero()).toBe(true);
      expect([...await h.exchange.getOpenOrders('ETHUSDT'), ...await h.exchange.getOpenAlgoOrders('ETHUSDT')]).toEqual([]);
      expect(audit.entries.some((e) => e.action === 'console-close-position' && e.subject === `position:${open.id}`)).toBe(true);
      // The summary still equals the simulator's income with the operator close booked.
      await page.goto(`${consoleServer.url}/`);
      const total = await page.getAttribute('[data-summary-total]', 'data-summary-total');
      const income = (await h.exchange.getIncome({})).reduce((s, r) => s.plus(r.income), dec(0));
      expect(dec(total!).equals(income)).toBe(true);
      await context.close();
    });

    it('previews the ladder and worst-case loss as the settings change, before saving', async () => {
      const { page, context } = await signIn(consoleServer.url, 'tess');
      await page.goto(`${consoleServer.url}/accounts/${h.accountId}/settings`);
      const before = await page.textContent('#preview');
      expect(before).toContain('worst-case loss');
      await page.fill('input[name="long_rungs"]', '1');
      await page.waitForFunction((old) => document.getElementById('preview')!.textContent !== old, before, { timeout: 3_000 });
      expect(await page.locator('#preview table').first().locator('tbody tr:has-text("rung")').count()).toBe(1);
      // The stored values, untouched, save as they are (MariaDB answers decimals with 18 places).
      await page.goto(`${consoleServer.url}/accounts/${h.accountId}/settings`);
      expect(await page.inputValue('input[name="long_margin"]')).toMatch(/^\d+(\.\d{1,8})?$/);
      await Promise.all([page.waitForURL(/\?saved=/), page.click('button[value="save"]')]);
      await page.goto(`${consoleServer.url}/accounts/${h.accountId}/settings`);
      await page.fill('input[name="long_leverage"]', '99');
      await page.click('button[value="save"]');
      expect(await page.evaluate(() => (document.querySelector('input[name="long_leverage"]') as HTMLInputElement).validity.rangeOverflow)).toBe(true);
      await context.close();
    });

    it('leads the admin dashboard with trading, draws every admin chart, and fits 390 px dark on every admin page', async () => {
      const admin = servers[1]!.url;
      const { page, context } = await signIn(admin, 'ada');
      expect(await page.textContent('h1')).toBe('Dashboard');
      expect(await page.textContent('main')).toMatch(/open positions\s*\d/);
      await page.waitForFunction(() => [...document.querySelectorAll('.lwc')].every((el) => el.querySelector('canvas')));
      const charts = await inkedPixels(page, '.lwc');
      expect(charts.length).toBeGreaterThanOrEqual(3);
      for (const inked of charts) expect(inked).toBeGreaterThan(100);
      await page.goto(`${admin}/regime`);
      await page.waitForFunction(() => [...document.querySelectorAll('.lwc')].every((el) => el.querySelector('canvas')));
      const regime = await inkedPixels(page, '.lwc');
      expect(regime).toHaveLength(1);
      expect(regime[0]).toBeGreaterThan(100);
      // The queue page carries the lane metrics as charts too (no Redis board here).
      await page.goto(`${admin}/queues`);
      await page.waitForFunction(() => [...document.querySelectorAll('.lwc')].every((el) => el.querySelector('canvas')));
      const lanes = await inkedPixels(page, '#queue-metrics .lwc');
      expect(lanes.length).toBeGreaterThanOrEqual(3);
      for (const inked of lanes) expect(inked).toBeGreaterThan(100);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.emulateMedia({ colorScheme: 'dark' });
      const position = (await h.positions())[0]!;
      const step = (await h.steps())[0]!;
      for (const path of ['/', '/steps', '/steps?set=trading&state=failed', '/positions', `/positions/${position.id}`, `/steps/trading/${step.id}`, '/accounts', '/symbols', '/regime', '/queues', '/sql', '/commands', '/pause-opens', `/accounts/${h.accountId}/drift`, '/steps?set=default']) {
        await page.goto(`${admin}${path}`);
        const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        expect(`${path}: ${scroll}`).toBe(`${path}: ${Math.min(scroll!, width!)}`);
      }
      const [r, g, b] = (await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).match(/\d+/g)!.map(Number);
      expect(0.2126 * r! + 0.7152 * g! + 0.0722 * b!).toBeLessThan(60);
      await context.close();
    });
  });
}
