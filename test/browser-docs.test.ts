// The docs site in a real browser (Debian's Chromium via playwright-core): on a phone (390 px) no
// page scrolls sideways and the sidebar folds behind its "Pages" toggle (no script on the site);
// on a desktop the sidebar stays open; the search form finds hyphenated, spaced, underscored and
// colon-joined terms; the screenshots load.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWeb, type WebServer } from '../edge/runtime/serve-web.ts';
import { createDocsApp } from '../web/docs/docs-app.ts';
import { DOCS_PAGES } from '../web/docs/docs-pages.generated.ts';
import { pagePath } from '../web/docs/docs-page.ts';
import { launchChromium, screenshotPath } from './support/browser.ts';

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([serveWeb(createDocsApp(), '127.0.0.1', 0), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the docs site in a browser', () => {
  it('lays every page out within 390 px on a phone, the sidebar folded until "Pages" is tapped', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const page = await context.newPage();
    for (const path of [...DOCS_PAGES.map((p) => pagePath(p.slug)), '/search?q=stop-loss', '/search?q=frobnicate', '/nope']) {
      await page.goto(`${server.url}${path}`);
      expect({ path, width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ path, width: 390 });
    }
    await page.goto(`${server.url}/lifecycles`);
    await page.screenshot({ path: screenshotPath('docs-phone-folded') });
    expect(await page.isVisible('nav.side .pages')).toBe(false);
    expect(await page.isVisible('input[name="q"]')).toBe(true);
    await page.click('label.nav-open');
    expect(await page.isVisible('nav.side .pages a[href="/glossary"]')).toBe(true);
    await page.screenshot({ path: screenshotPath('docs-phone-open') });
    await page.click('nav.side .pages a[href="/glossary"]');
    expect(await page.textContent('h1')).toBe('Glossary');
    await page.click('a[rel="next"]');
    expect(await page.textContent('h1')).toBe(DOCS_PAGES[DOCS_PAGES.findIndex((p) => p.slug === 'glossary') + 1]!.title);
    await context.close();
  });

  it('keeps the sidebar open on a desktop, and shows the screenshots', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/trading`);
    expect(await page.isVisible('nav.side .pages a[href="/glossary"]')).toBe(true);
    expect(await page.isVisible('label.nav-open')).toBe(false);
    const img = page.locator('main img').first();
    await img.scrollIntoViewIfNeeded();
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(300);
    await page.screenshot({ path: screenshotPath('docs-trading') });
    await page.close();
  });

  it('finds stop-loss, stop loss, take_profit, KRAITE_PORT and deploy:cooldown from the search box', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    for (const [q, where] of [['stop-loss', 'trading'], ['stop loss', 'trading'], ['take_profit', 'glossary'], ['KRAITE_PORT', 'configuration'], ['deploy:cooldown', 'cli']] as const) {
      await page.goto(`${server.url}/`);
      await page.fill('input[name="q"]', q);
      await Promise.all([page.waitForURL(/\/search\?q=/), page.press('input[name="q"]', 'Enter')]);
      const main = (await page.textContent('main'))!;
      expect(main, q).toMatch(/[1-9]\d* pages? match/);
      expect(await page.locator('.hit mark').count(), q).toBeGreaterThan(0);
      expect(await page.locator(`.hit a[href="/${where}"]`).count(), `${q} finds /${where}`).toBe(1);
    }
    await page.screenshot({ path: screenshotPath('docs-search-phone') });
    await page.close();
  });
});
