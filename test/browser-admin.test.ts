// The admin in a real browser (Debian's Chromium via playwright-core) against a real server on
// MariaDB: sign in, open the dashboard, open a position and its step tree, see a saved backtest's
// equity chart drawn, run a read-only query, be refused a write. Screenshots of the main pages go to
// test-artifacts/screenshots/.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import { saveBacktest } from '../core/backtest/saved-backtests.ts';
import { systemClock } from '../core/ports/clock.ts';
import { StepEngine } from '../core/steps/engine.ts';
import { HandlerRegistry } from '../core/steps/registry.ts';
import { openMySqlAdminPorts, type MySqlAdminPorts } from '../edge/adapters/mysql/admin-ports.ts';
import type { MySqlStepStore } from '../edge/adapters/mysql/mysql-step-store.ts';
import { createMySqlPool } from '../edge/adapters/mysql/mysql-pool.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { runBacktestJob } from '../edge/backtest/backtest-job.ts';
import { serveWeb, type WebServer } from '../edge/runtime/serve-web.ts';
import { createAdminApp } from '../web/admin/admin-app.ts';
import { engineFleet } from '../web/admin/engine-fleet.ts';
import { scryptPasswordHasher } from '../web/admin/node/scrypt-passwords.ts';
import { nodeChartLibrary } from '../web/assets/node/chart-library.ts';
import { createDocsApp } from '../web/docs/docs-app.ts';
import { createSiteApp } from '../web/site/site-app.ts';
import { seedAdminData, type AdminSeed } from './support/admin-seed.ts';
import { inkedPixels, launchChromium, screenshotPath } from './support/browser.ts';
import { freshDatabase, MYSQL_ROOT_URL, type TestDatabase } from './support/mysql-database.ts';

const RO_USER = `kraite_br_${crypto.randomUUID().replace(/-/g, '').slice(0, 8)}`;
const PASSWORD = 'correct horse battery staple';

let db: TestDatabase;
let store: MySqlStepStore;
let ports: MySqlAdminPorts;
let servers: WebServer[] = [];
let admin: WebServer;
let browser: Browser;
let seed: AdminSeed;
let backtestId: number;

beforeAll(async () => {
  db = await freshDatabase();
  store = await openMySqlStepStore(db.url);
  seed = await seedAdminData(store, Date.now());
  // A short real run (half a day of the fixture's XRPUSDT candles), saved as `kraite backtest --save` does.
  const report = await runBacktestJob({
    klines: join(import.meta.dirname, 'fixtures', 'klines'), symbols: ['XRPUSDT'], to: Date.parse('2021-11-15T12:00:00Z'),
    directions: { XRPUSDT: 'LONG' }, overrides: { margin: '50', gap: '0.5', rungs: '3' }, balance: '5000',
  });
  backtestId = await saveBacktest(store, report, Date.now());
  ports = await openMySqlAdminPorts({ url: db.url, readOnlyUser: RO_USER });
  expect(ports.sqlUnavailable).toBeNull();
  const passwords = scryptPasswordHasher({ N: 1024, r: 8, p: 1 });
  await ports.users.create('ada', await passwords.hash(PASSWORD), Date.now());
  const queue = new MemoryQueue();
  const engine = new StepEngine({ store, queue, registry: new HandlerRegistry() });
  const fleet = engineFleet({ engine, queue, queues: [{ queue: 'kraite.positions', concurrency: 5 }, { queue: 'kraite.orders', concurrency: 8 }], boxes: ['pheme'], mode: { store: 'mysql', queue: 'memory' } });
  const app = createAdminApp({ ...ports, passwords, clock: systemClock, fleet, chartLibrary: nodeChartLibrary }, { allowInsecureLocalhostCookies: true });
  admin = await serveWeb(app, '127.0.0.1', 0);
  servers = [admin, await serveWeb(createSiteApp(), '127.0.0.1', 0), await serveWeb(createDocsApp(), '127.0.0.1', 0)];
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  await ports?.close();
  await store?.close();
  const root = createMySqlPool(MYSQL_ROOT_URL, { connectionLimit: 1 });
  await root.query('DROP USER IF EXISTS ?@?', [RO_USER, '%']);
  await root.end();
  await db?.drop();
});

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
  expect(statSync(screenshotPath(name)).size).toBeGreaterThan(1_000);
}

async function signIn(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${admin.url}/`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await shot(page, 'admin-login');
  await page.fill('input[name="username"]', 'ada');
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([page.waitForURL(`${admin.url}/`), page.click('button[type="submit"]')]);
  return page;
}

describe('admin in Chromium', () => {
  it('signs in and shows the dashboard', async () => {
    const page = await signIn();
    expect(await page.textContent('h1')).toBe('Dashboard');
    expect(await page.textContent('main')).toContain('kraite.positions');
    await page.waitForSelector('.lwc[aria-label^="steps completed per minute"] canvas');
    expect((await inkedPixels(page, '.lwc[aria-label^="steps completed per minute"]'))[0]).toBeGreaterThan(100);
    await shot(page, 'admin-dashboard');
  });

  it('opens a position, its orders and its step tree', async () => {
    const page = await signIn();
    await page.click('header >> text=Positions');
    await shot(page, 'admin-positions');
    await page.click(`a[href="/positions/${seed.positionId}"] >> nth=0`);
    expect(await page.textContent('h1')).toContain('BTCUSDT LONG');
    expect(await page.locator('td.drift').count()).toBe(1);
    await shot(page, 'admin-position');
    await page.click(`a[href="/steps/trading/${seed.steps.failed.id}"]`);
    expect(await page.textContent('main')).toContain('index 2: 2 in parallel');
    await page.click('summary:has-text("Margin is insufficient")');
    expect(await page.isVisible('text=at placeOrder')).toBe(true);
    await shot(page, 'admin-step-tree');
    await page.goto(`${admin.url}/steps?set=trading`);
    await shot(page, 'admin-steps');
    await page.goto(`${admin.url}/accounts`);
    await shot(page, 'admin-accounts');
    await page.goto(`${admin.url}/commands`);
    await shot(page, 'admin-commands');
  });

  it('draws a saved backtest\'s equity curve with the shared chart script', async () => {
    const page = await signIn();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.click('header >> text=Backtests');
    await page.click(`a[href="/backtests/${backtestId}"]`);
    expect(await page.textContent('h1')).toContain(`Backtest #${backtestId}: XRPUSDT`);
    await page.waitForSelector('.lwc[aria-label^="equity"] canvas');
    expect(await page.locator('svg').count()).toBe(0);
    const inked = await inkedPixels(page, '.lwc');
    expect(inked).toHaveLength(1);
    expect(inked[0]).toBeGreaterThan(100);
    expect(errors).toEqual([]);
    await shot(page, 'admin-backtest');
  });

  it('runs a read-only query and is refused a write', async () => {
    const page = await signIn();
    await page.click('header >> text=SQL');
    await page.fill('textarea[name="statement"]', 'SELECT id, symbol, status FROM positions');
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Run")')]);
    expect(await page.textContent('table')).toContain('BTCUSDT');
    await shot(page, 'admin-sql-read');
    await page.fill('textarea[name="statement"]', "UPDATE positions SET status = 'closed'");
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Run")')]);
    expect(await page.textContent('[role="alert"]')).toContain('Refused: writes are refused (UPDATE): the SQL console is read-only');
    await shot(page, 'admin-sql-refused');
    const [rows] = await ports.pool.query('SELECT status FROM positions') as unknown as [{ status: string }[]];
    expect(rows.map((r) => r.status)).toEqual(['active']);
  });

  it('fits a 390 px phone on every admin page (no sideways scroll) and goes dark with prefers-color-scheme: dark', async () => {
    const page = await signIn();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const path of ['/', '/steps', '/steps?set=trading&state=failed', '/positions', `/positions/${seed.positionId}`, `/steps/trading/${seed.steps.failed.id}`, '/accounts', '/symbols', '/regime', '/queues', '/sql', '/commands', '/pause-opens', '/backtests', `/backtests/${backtestId}`]) {
      await page.goto(`${admin.url}${path}`);
      const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(`${path}: ${scroll}`).toBe(`${path}: ${Math.min(scroll, width)}`);
    }
    const [r, g, b] = (await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).match(/\d+/g)!.map(Number);
    expect(r! + g! + b!).toBeLessThan(150);
    await shot(page, 'admin-pause-phone-dark');
  });

  it('shows the marketing and docs sites', async () => {
    const page = await browser.newPage();
    await page.goto(`${servers[1]!.url}/`);
    expect(await page.textContent('h1')).toBe('Kraite');
    await shot(page, 'site-home');
    await page.goto(`${servers[2]!.url}/`);
    await page.click('nav >> text=Lifecycles');
    expect(await page.textContent('h1')).toBe('Lifecycles');
    await page.fill('input[name="q"]', 'stop-loss');
    await page.press('input[name="q"]', 'Enter');
    await page.waitForURL(/\/search\?q=stop-loss/);
    expect(await page.textContent('main')).toMatch(/pages? match/);
    await shot(page, 'docs-search');
    expect(existsSync(screenshotPath('admin-dashboard'))).toBe(true);
  });
});
