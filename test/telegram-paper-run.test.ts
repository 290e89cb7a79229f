// Telegram against a fake Bot API on loopback, over a whole paper run: the fleet in one process
// (`kraite run --all` on MariaDB + Redis, trading on a `kraite sim`) announces a position's open,
// then its close by take-profit with PnL and exit reason; /pause from a chat not allowed is refused
// and audited, /pause from the operator's chat is audited and stops new opens (the next open tick's
// preflight skips, naming the pause), and /resume lets them through again. The process's status
// server serves its metrics and readiness meanwhile.
import type { RowDataPacket } from 'mysql2';
import { createPool, type Pool } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TopologyRouter } from '../core/fleet/lane-router.ts';
import { silentLogger } from '../core/ports/logger.ts';
import { StepEngine } from '../core/steps/engine.ts';
import { result } from '../core/steps/effects.ts';
import { defineHandler, HandlerRegistry } from '../core/steps/registry.ts';
import type { Step } from '../core/steps/step.ts';
import { readPauseOpens } from '../core/trading/pause-opens.ts';
import { listOrders, listPositions } from '../core/trading/reads.ts';
import { openBullMqQueue } from '../edge/adapters/bullmq/open-bullmq-queue.ts';
import type { MySqlStepStore } from '../edge/adapters/mysql/mysql-step-store.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { main } from '../edge/cli/main.ts';
import { loadTopology } from '../edge/fleet/load-topology.ts';
import { startSimulator, type RunningSimulator } from '../edge/sim/index.ts';
import { parseExposition, sumOf } from './support/exposition.ts';
import { fakeTelegram, type FakeTelegram } from './support/fake-chat-servers.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';

const TOKEN = '123456:PAPER-run_token';
const OPERATOR = 4242;
const STRANGER = 777;
const ACCOUNT = { KRAITE_API_KEY: 'telegram-paper-key-0123456789', KRAITE_API_SECRET: 'telegram-paper-secret' };

describe('Telegram over a paper run', () => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let telegram: FakeTelegram;
  let store: MySqlStepStore;
  let pool: Pool;
  let env: Record<string, string>;
  const keys = testPrefix();

  const run = (argv: string[], signal?: AbortSignal) => {
    const out: string[] = [];
    const code = main(argv, { out: (l) => out.push(l), err: (l) => out.push(l), env: { ...env, ...ACCOUNT }, signal });
    return { code, out };
  };
  const messages = (chat: number, pattern: RegExp) => telegram.sent.filter((m) => m.chat_id === chat && pattern.test(m.text)).map((m) => m.text);
  const audit = async (who: string) => (await pool.query<RowDataPacket[]>("SELECT who, action, subject, outcome FROM admin_audit WHERE action = 'telegram-command' AND who LIKE ? ORDER BY id", [`${who}%`]))[0];
  const preflights = async () => (await store.listSteps('trading', { handler: 'trading.preflight', limit: 100 })) as Step[];

  beforeAll(async () => {
    [db, sim, telegram] = await Promise.all([freshDatabase(), startSimulator({
      port: 0, seed: 5, tickMs: 1000, history: { days: 8 },
      accounts: [{ apiKey: ACCOUNT.KRAITE_API_KEY, secret: ACCOUNT.KRAITE_API_SECRET, balance: '10000' }],
    }), fakeTelegram(TOKEN)]);
    store = await openMySqlStepStore(db.url);
    pool = createPool({ uri: db.url, connectionLimit: 1 });
    env = {
      DATABASE_URL: db.url, REDIS_URL, KRAITE_QUEUE_PREFIX: keys.prefix, KRAITE_EXCHANGE_URL: sim.restUrl, KRAITE_CREDENTIALS_KEY: btoa(String.fromCharCode(...new Uint8Array(32).fill(7))),
      KRAITE_TOPOLOGY: 'infra/topology.local.json', KRAITE_PORT: '0', LOG_LEVEL: 'warn', LOG_FORMAT: 'json', KRAITE_SHUTDOWN_DEADLINE_MS: '5000', KRAITE_SCHEDULE_CATCHUP_MS: '0',
      TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_CHAT_IDS: String(OPERATOR), TELEGRAM_API_URL: telegram.url,
    };
  });
  afterAll(async () => {
    await pool.end();
    await store.close();
    await telegram.close();
    await sim.close();
    await db.drop();
    await keys.cleanup();
  });

  it('announces an open and its take-profit close with PnL and exit reason; /pause obeys the allowed chat only and stops new opens', async () => {
    expect(await run(['accounts:add', '--name', 'main', '--enable-trading']).code).toBe(0);
    expect(await run(['symbols:refresh']).code).toBe(0);
    for (const [symbol, direction] of [['ETHUSDT', 'LONG'], ['LINKUSDT', 'SHORT']]) expect(await run(['symbols:set', symbol!, '--direction', direction!, '--enable']).code).toBe(0);
    expect(await run(['klines:fetch', '--symbol', 'BTCUSDT', '--interval', '4h']).code).toBe(0);

    // Another producer of the fleet (as the scheduler is): starts an open tick through the queue.
    const queue = openBullMqQueue(REDIS_URL, keys.prefix);
    const ticker = new StepEngine({
      store, queue, router: new TopologyRouter(await loadTopology('infra/topology.local.json')), logger: silentLogger, worker: 'test-ticker',
      registry: new HandlerRegistry([defineHandler({ name: 'trading.open-positions', lane: 'positions', args: z.object({}), run: async () => result.complete() })]),
    });
    // The preflight block is at most once per account and minute, so a tick waits for a minute no
    // preflight started in. The scheduler's own open tick may fire in that minute too (at its first
    // second) and take the minute's preflight before ours: any preflight started after the call, in a
    // minute that had none, ran after the change the caller made, so it is the one to read.
    const minuteOf = (at: number) => Math.floor(at / 60_000);
    const openTick = async () => {
      const since = Date.now();
      const minutes = new Set((await preflights()).map((s) => minuteOf(s.createdAt)));
      await expect.poll(() => minutes.has(minuteOf(Date.now())), { timeout: 65_000, interval: 500 }).toBe(false);
      await ticker.start([{ handler: 'trading.open-positions' }], { set: 'trading' });
      let step: Step | undefined;
      await expect.poll(async () => (step = (await preflights()).find((s) => s.createdAt >= since && !minutes.has(minuteOf(s.createdAt)) && ['completed', 'skipped', 'failed'].includes(s.state)))?.state, { timeout: 60_000, interval: 250 }).toBeTruthy();
      return step!;
    };

    const stop = new AbortController();
    const fleet = run(['run', '--all'], stop.signal);
    try {
      await expect.poll(() => fleet.out.join('\n'), { timeout: 30_000 }).toContain(`telegram: commands from chat(s) ${OPERATOR}`);

      // The first-run open tick opens positions; the operator's chat hears of each once it is active.
      await expect.poll(() => messages(OPERATOR, /^ℹ️ position \d+ opened\n/).length, { timeout: 150_000, interval: 500 }).toBeGreaterThan(0);
      const opened = messages(OPERATOR, /^ℹ️ position \d+ opened\n/)[0]!;
      expect(opened).toMatch(/^ℹ️ position \d+ opened\n(LONG|SHORT) (ETHUSDT|LINKUSDT): opened at [\d.]+, quantity [\d.]+, margin [\d.]+ ×\d+/);
      const positionId = Number(/position (\d+) opened/.exec(opened)![1]);

      // A stranger's /pause: refused, audited, and nothing paused.
      telegram.say(STRANGER, '/pause');
      await expect.poll(() => telegram.sent.filter((m) => m.chat_id === STRANGER).map((m) => m.text), { timeout: 10_000 }).toEqual(['This chat may not command this fleet.']);
      await expect.poll(() => audit(`telegram:${STRANGER}`), { timeout: 5_000 }).toEqual([expect.objectContaining({ subject: '/pause', outcome: 'refused' })]);
      expect((await readPauseOpens(store)).paused).toBe(false);

      // The operator's /pause: obeyed and audited.
      telegram.say(OPERATOR, '/pause');
      await expect.poll(() => messages(OPERATOR, /^New opens paused fleet-wide/).length, { timeout: 10_000 }).toBe(1);
      expect(await readPauseOpens(store)).toMatchObject({ paused: true, by: `telegram:${OPERATOR}:u${OPERATOR}` });
      await expect.poll(() => audit(`telegram:${OPERATOR}`), { timeout: 5_000 }).toEqual([expect.objectContaining({ subject: '/pause', outcome: 'ok' })]);

      // The mark reaches the position's take-profit on the simulator: the close is announced with its PnL and exit reason.
      const [position] = (await listPositions(store, { status: 'open' })).filter((p) => p.id === positionId);
      let profit: string | null | undefined;
      await expect.poll(async () => (profit = (await listOrders(store, { positionId })).find((o) => o.role === 'profit' && o.price)?.price), { timeout: 20_000 }).toBeTruthy();
      sim.engine.setMark(position!.symbol, profit!);
      await expect.poll(() => messages(OPERATOR, new RegExp(`^ℹ️ position ${positionId} closed\\n`)), { timeout: 60_000, interval: 250 }).toHaveLength(1);
      expect(messages(OPERATOR, new RegExp(`position ${positionId} closed`))[0]).toMatch(new RegExp(`^ℹ️ position ${positionId} closed\\n${position!.direction} ${position!.symbol}: closed at [\\d.]+; PnL -?[\\d.]+; exit: take-profit$`));

      // A slot is free, yet the next open tick opens nothing: its preflight skips, naming the pause.
      const openBefore = (await listPositions(store, { limit: 1000 })).length;
      const paused = await openTick();
      expect([paused.state, paused.response]).toEqual(['skipped', { skipped: expect.stringMatching(/^new opens are paused fleet-wide by telegram:4242:u4242: paused from Telegram/) }]);
      expect((await listPositions(store, { limit: 1000 })).length).toBe(openBefore);

      // /resume: the tick after it gets past the pause again.
      telegram.say(OPERATOR, '/resume');
      await expect.poll(() => messages(OPERATOR, /^New opens resumed/).length, { timeout: 10_000 }).toBe(1);
      const resumed = await openTick();
      expect(JSON.stringify(resumed.response ?? null)).not.toContain('paused');

      // The whole fleet in one process serves its metrics and readiness on its status server.
      const status = /status: (http:\/\/127\.0\.0\.1:\d+)/.exec(fleet.out.join('\n'))![1]!;
      const metrics = parseExposition(await (await fetch(`${status}/metrics`)).text());
      expect(sumOf(metrics, 'kraite_steps_started_total', { handler: 'trading.preflight' })).toBeGreaterThanOrEqual(3);
      expect(sumOf(metrics, 'kraite_orders_total', { result: 'placed' })).toBeGreaterThan(0);
      expect(sumOf(metrics, 'kraite_notifications_total', { channel: 'telegram', result: 'sent' })).toBeGreaterThanOrEqual(2);
      expect(sumOf(metrics, 'kraite_mark_price_frames_total')).toBeGreaterThan(0);
      const ready = await fetch(`${status}/health/ready`);
      expect([ready.status, await ready.json()]).toMatchObject([200, { ok: true, checks: { database: { ok: true }, redis: { ok: true }, dispatcher: { ok: true }, 'mark-price-stream': { ok: true }, 'user-data-stream': { ok: true } } }]);
    } finally {
      stop.abort();
      expect(await fleet.code).toBe(0);
      await queue.close();
    }
  }, 400_000);
});
