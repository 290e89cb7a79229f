// The queue dashboard in a real browser: signed in to the admin, bull-board renders under /queues
// within the admin's Content-Security-Policy (only its third-party web font is refused), lists the
// physical queues, opens one with its job, and offers no job actions (read-only).
import { Queue } from 'bullmq';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisOptions } from '../edge/adapters/bullmq/redis-connection.ts';
import { serveWeb, type WebServer } from '../edge/runtime/serve-web.ts';
import { createQueueBoard, type QueueBoard } from '../web/admin/node/queue-board.ts';
import { adminHarness, OPERATOR } from './support/admin-harness.ts';
import { launchChromium, screenshotPath } from './support/browser.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';

const keys = testPrefix();
let board: QueueBoard;
let producer: Queue;
let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  board = createQueueBoard({ connection: redisOptions(REDIS_URL), prefix: keys.prefix, queues: ['kraite.positions', 'kraite.orders'] });
  producer = new Queue('kraite.orders', { connection: redisOptions(REDIS_URL), prefix: keys.prefix });
  await producer.add('step', { set: 'trading', stepId: 41 });
  const h = await adminHarness({ allowInsecureLocalhostCookies: true }, { queueBoard: board.app });
  h.clock.set(Date.now());
  server = await serveWeb(h.app, '127.0.0.1', 0);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await producer?.close();
  await board?.close();
  await keys.cleanup();
});

describe('queue dashboard in a browser', () => {
  it('renders behind the login, lists the queues and shows a queue\'s job without actions', async () => {
    // localhost, so the development cookie flag drops Secure over plain HTTP.
    const url = server.url.replace('127.0.0.1', 'localhost');
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(String(error)));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().includes('fonts.googleapis.com')) problems.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && new URL(r.url()).host === new URL(url).host) problems.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${url}/queues`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name="username"]', OPERATOR.username);
    await page.fill('input[name="password"]', OPERATOR.password);
    await page.click('button[type="submit"]');
    await page.waitForURL(`${url}/queues`);
    await page.getByText('kraite.positions').first().waitFor();
    await page.getByRole('link', { name: 'kraite.orders' }).first().click();
    await page.waitForURL(`${url}/queues/queue/kraite.orders`);
    await page.getByText('"stepId"').or(page.getByText('stepId:')).first().waitFor();
    await page.screenshot({ path: screenshotPath('admin-queues'), fullPage: true });
    expect(await page.getByRole('button', { name: /retry|clean|promote|remove|pause/i }).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
