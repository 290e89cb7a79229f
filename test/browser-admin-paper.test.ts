// The admin in Chromium against `npm start` (kraite run --all: the embedded fleet paper trading on
// the in-process simulator): every dashboard panel shows data within about a minute; the queue
// charts (lightweight-charts canvases) paint pixels; "Close now" (confirmed) closes a position with exit reason `operator` and
// no live order of ours; "pause new opens" stops opens; at 390 px no admin page scrolls sideways;
// with prefers-color-scheme: dark the background is dark; the positions page updates over SSE.
// With KRAITE_SCREENSHOT_DIR (`npm run screenshots`) the dashboard is saved there as admin-dashboard.png.
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../edge/cli/main.ts';
import { inkedPixels, launchChromium, screenshotPath } from './support/browser.ts';
import { until } from './support/wait-until.ts';
import { tempDataDir } from './support/temp-data-dir.ts';

let browser: Browser;
let stop: AbortController;
let running: Promise<number>;
const out: string[] = [];
let adminUrl = '';
let credentials: { username: string; password: string };

beforeAll(async () => {
  stop = new AbortController();
  running = main(['run', '--all'], { out: (l) => out.push(l), err: (l) => out.push(l), env: { KRAITE_PORT: '0', LOG_LEVEL: 'info', KRAITE_DATA_DIR: tempDataDir() }, signal: stop.signal });
  await until('the admin first-run line', () => out.join('\n').includes('admin first run: sign in as'), 30_000, 50);
  const text = out.join('\n');
  adminUrl = /admin: (http:\/\/\S+?)\/?\s/.exec(text)![1]!;
  const [, username, password] = /admin first run: sign in as "([^"]+)" with password "([^"]+)"/.exec(text)!;
  credentials = { username: username!, password: password! };
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  stop?.abort();
  expect(await running).toBe(0);
});

async function signIn(options: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  await page.goto(`${adminUrl}/login`);
  await page.fill('input[name="username"]', credentials.username);
  await page.fill('input[name="password"]', credentials.password);
  await Promise.all([page.waitForURL(`${adminUrl}/`), page.click('button[type="submit"]')]);
  return { context, page };
}

describe('admin on the embedded paper fleet (npm start)', () => {
  it('shows data on every dashboard panel within about a minute, with painted queue charts', async () => {
    const { context, page } = await signIn();
    await expect.poll(async () => {
      await page.goto(`${adminUrl}/`);
      const text = await page.textContent('main') ?? '';
      return [
        /open positions\s*[1-9]/.test(text),
        !text.includes('Not reported yet'),
        !/[1-9]\d* never priced/.test(text) && / [1-9]\d* fresh/.test(text),
        !text.includes('No balance snapshot yet'),
        !text.includes('No step finished in the last hour'),
        // No panel waits for data ("… yet"), has a symbol never priced, or shows a stale badge.
        await page.$$eval('main section.panel', (panels) => panels
          .filter((p) => /\byet\b|[1-9]\d* never priced/.test(p.textContent ?? '') || [...p.querySelectorAll('.badge')].some((b) => b.textContent === 'stale'))
          .map((p) => p.querySelector('h2')?.textContent ?? '?')),
      ];
    }, { timeout: 75_000, interval: 3_000 }).toEqual([true, true, true, true, true, []]);
    // The dispatcher panel's per-set table counts what the local daemon dispatched (read just after it, so at most as much).
    const dispatcher = await page.$eval('main section.panel:has(h2:text-matches("Dispatcher saturation"))', (panel) => ({
      daemon: Number(/(\d+) dispatched/.exec(panel.querySelector('p')?.textContent ?? '')?.[1] ?? -1),
      perSet: [...panel.querySelectorAll('table tr')].slice(1).reduce((n, tr) => n + Number(tr.children[2]?.textContent ?? 0), 0),
    }));
    expect(dispatcher.perSet).toBeGreaterThan(0);
    expect(dispatcher.perSet).toBeLessThanOrEqual(dispatcher.daemon);
    const main = await page.textContent('main') ?? '';
    expect(main).toMatch(/Market regime\s*(Calm|Normal|Elevated|Fragile|Critical)/);
    // Every chart (queue metrics per lane, dispatcher, steps) is drawn by lightweight-charts.
    await page.waitForFunction(() => [...document.querySelectorAll('.lwc')].every((el) => el.querySelector('canvas')));
    expect(await page.locator('#queue-metrics .lwc').count()).toBeGreaterThanOrEqual(3);
    for (const inked of await inkedPixels(page, '.lwc')) expect(inked).toBeGreaterThan(100);
    await page.screenshot({ path: screenshotPath('admin-dashboard-paper'), fullPage: true });
    // `npm run screenshots`: the README's admin dashboard is this one, every panel showing data.
    const shots = process.env.KRAITE_SCREENSHOT_DIR;
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: `${shots}/admin-dashboard.png`, fullPage: true });
    }
    await context.close();
  }, 120_000);

  it('closes a position now after confirmation: the open page turns closed over SSE, exit reason operator, no live order left', async () => {
    const { context, page } = await signIn();
    await page.goto(`${adminUrl}/positions?status=active`);
    const href = await page.locator('h2:has-text("Open") + table a[href^="/positions/"]').first().getAttribute('href');
    await page.goto(`${adminUrl}${href}`);
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Close now")')]);
    expect(await page.textContent('h1')).toContain('now?');
    await Promise.all([page.waitForURL(/\?closing=\d+/), page.click('button:has-text("Yes, close")')]);
    // The page follows the close over SSE, without a reload (the marker would not survive one).
    await page.evaluate(() => Object.assign(window, { stillThisPage: true }));
    await page.waitForFunction(() => /\bclosed\b/.test(document.querySelector('h1')?.textContent ?? ''), undefined, { timeout: 60_000 });
    expect(await page.evaluate(() => (window as unknown as { stillThisPage?: boolean }).stillThisPage)).toBe(true);
    const text = await page.textContent('main') ?? '';
    expect(text).toContain('exit operator');
    // Every order of ours is settled: none working, none pending.
    const statuses = await page.locator('h2:has-text("Orders") + div table tr td:nth-child(5), h2:has-text("Orders") + table tr td:nth-child(5)').allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    for (const s of statuses) expect(s).toMatch(/filled|cancelled|expired|rejected/);
    await context.close();
  }, 90_000);

  it('pauses new opens fleet-wide after confirmation', async () => {
    const { context, page } = await signIn();
    await page.fill('#pause-opens input[name="reason"]', 'browser test');
    await Promise.all([page.waitForLoadState('load'), page.click('#pause-opens button:has-text("Pause new opens")')]);
    await Promise.all([page.waitForURL(/\/pause-opens\?switched=1/), page.click('button:has-text("Yes, pause new opens")')]);
    expect(await page.textContent('#pause-opens')).toContain(`paused by ${credentials.username}`);
    await context.close();
  }, 30_000);

  it('never scrolls sideways at 390 px, collapses the nav, and goes dark under prefers-color-scheme: dark', async () => {
    const { context, page } = await signIn({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    expect(await page.isVisible('header nav')).toBe(false);
    await page.click('label.nav-label');
    expect(await page.isVisible('header nav')).toBe(true);
    const positions = await page.locator('a[href^="/positions/"]').first().getAttribute('href').catch(() => null);
    for (const path of ['/', '/steps', '/positions', ...(positions ? [positions] : []), '/accounts', '/symbols', '/regime', '/queues', '/sql', '/commands', '/pause-opens', '/steps?state=failed']) {
      await page.goto(`${adminUrl}${path}`);
      const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(`${path}: ${scroll}`).toBe(`${path}: ${Math.min(scroll, width)}`);
    }
    await page.goto(`${adminUrl}/`);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g)!.map(Number);
    expect(r! + g! + b!).toBeLessThan(150);
    await page.screenshot({ path: screenshotPath('admin-dashboard-phone-dark'), fullPage: true });
    // The toggle overrides the system preference and persists across pages.
    await page.click('button.theme-toggle');
    await page.click('button.theme-toggle');
    await page.goto(`${adminUrl}/positions`);
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-theme'))).toBe('light');
    const light = (await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).match(/\d+/g)!.map(Number);
    expect(light[0]! + light[1]! + light[2]!).toBeGreaterThan(600);
    await context.close();
  }, 90_000);
});
