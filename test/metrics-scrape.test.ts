// Every fleet process serves Prometheus metrics on its own port: `kraite run --box athena`, `--box
// eos` and `--box tyche`, and the mark-price stream's own process, on MariaDB + Redis against a
// `kraite sim`, while positions open. The scrapes show the step, queue, exchange-weight and order
// series moving, and the exposition passes promtool (Debian's prometheus package) when it is
// present, else prom-client's own parser.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPositions } from '../core/trading/reads.ts';
import type { MySqlStepStore } from '../edge/adapters/mysql/mysql-step-store.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { main } from '../edge/cli/main.ts';
import { startSimulator, type RunningSimulator } from '../edge/sim/index.ts';
import { parseExposition, sumOf } from './support/exposition.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';

const ACCOUNT = { KRAITE_API_KEY: 'metrics-key-0123456789', KRAITE_API_SECRET: 'metrics-secret' };
// PROMTOOL names a promtool outside PATH (e.g. unpacked from Debian's prometheus .deb).
const PROMTOOL = [process.env.PROMTOOL, '/usr/bin/promtool'].find((p) => p && existsSync(p));

describe('metrics on every fleet process', () => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let store: MySqlStepStore;
  let env: Record<string, string>;
  const keys = testPrefix();

  const run = (argv: string[], extra: Record<string, string> = {}, signal?: AbortSignal) => {
    const out: string[] = [];
    const code = main(argv, { out: (l) => out.push(l), err: (l) => out.push(l), env: { ...env, ...extra }, signal });
    return { code, out };
  };

  beforeAll(async () => {
    [db, sim] = await Promise.all([freshDatabase(), startSimulator({
      port: 0, seed: 5, tickMs: 1000, history: { days: 8 },
      accounts: [{ apiKey: ACCOUNT.KRAITE_API_KEY, secret: ACCOUNT.KRAITE_API_SECRET, balance: '10000' }],
    })]);
    store = await openMySqlStepStore(db.url);
    env = {
      DATABASE_URL: db.url, REDIS_URL, KRAITE_QUEUE_PREFIX: keys.prefix, KRAITE_EXCHANGE_URL: sim.restUrl, KRAITE_CREDENTIALS_KEY: btoa(String.fromCharCode(...new Uint8Array(32).fill(4))),
      KRAITE_TOPOLOGY: 'infra/topology.local.json', KRAITE_PORT: '0', KRAITE_METRICS_PORT: '0', KRAITE_METRICS_HOST: '127.0.0.1', LOG_LEVEL: 'warn', LOG_FORMAT: 'json', KRAITE_SHUTDOWN_DEADLINE_MS: '5000',
      // No start-up catch-up: conclude-directions would re-conclude the directions set below (see first-run.test.ts).
      KRAITE_SCHEDULE_CATCHUP_MS: '0',
    };
  });
  afterAll(async () => {
    await store.close();
    await sim.close();
    await db.drop();
    await keys.cleanup();
  });

  it('athena and eos expose step, queue, exchange-weight and order series that move while positions open', async () => {
    expect(await run(['accounts:add', '--name', 'main', '--enable-trading'], ACCOUNT).code).toBe(0);
    expect(await run(['symbols:refresh']).code).toBe(0);
    for (const [symbol, direction] of [['ETHUSDT', 'LONG'], ['LINKUSDT', 'SHORT']]) expect(await run(['symbols:set', symbol!, '--direction', direction!, '--enable']).code).toBe(0);
    expect(await run(['klines:fetch', '--symbol', 'BTCUSDT', '--interval', '4h']).code).toBe(0);

    const stop = new AbortController();
    const boxes = Object.fromEntries(['athena', 'eos', 'tyche'].map((box) => [box, run(['run', '--box', box], {}, stop.signal)]));
    const markPrice = run(['stream:mark-price'], {}, stop.signal);
    try {
      const urls: Record<string, string> = {};
      for (const [box, p] of Object.entries(boxes)) {
        await expect.poll(() => p.out.join('\n'), { timeout: 30_000 }).toMatch(/metrics: http:\/\/127\.0\.0\.1:\d+\/metrics/);
        urls[box] = /metrics: (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(p.out.join('\n'))![1]!;
      }
      const scrape = async (box: string) => parseExposition(await (await fetch(urls[box]!)).text());
      const before = { athena: await scrape('athena'), eos: await scrape('eos') };

      await expect.poll(async () => (await listPositions(store, { status: 'open' })).filter((p) => p.status === 'active').length, { timeout: 150_000, interval: 1000 }).toBeGreaterThan(0);
      const eos = await scrape('eos');
      const athena = await scrape('athena');

      // Steps ran on eos (positions and orders lanes) and took time.
      expect(sumOf(eos, 'kraite_steps_started_total', { lane: 'positions' })).toBeGreaterThan(sumOf(before.eos, 'kraite_steps_started_total', { lane: 'positions' }));
      expect(sumOf(eos, 'kraite_steps_completed_total')).toBeGreaterThan(0);
      expect(sumOf(eos, 'kraite_step_run_seconds_count')).toBeGreaterThan(0);
      expect(sumOf(eos, 'kraite_step_hop_seconds_count', { queue: 'kraite.positions' })).toBeGreaterThan(0);
      // Orders went out from eos, charged against the governor's weight per egress IP.
      expect(sumOf(eos, 'kraite_orders_total', { result: 'placed' })).toBeGreaterThan(0);
      expect(sumOf(eos, 'kraite_exchange_requests_total', { status: '200' })).toBeGreaterThan(0);
      expect(eos.some((s) => s.name === 'kraite_exchange_weight_used' && s.value > 0)).toBe(true);
      expect(eos.some((s) => s.name === 'kraite_exchange_weight_headroom')).toBe(true);
      // The dispatcher's box ticks and reports every queue of the fleet; it reads the books.
      expect(sumOf(athena, 'kraite_dispatcher_ticks_total')).toBeGreaterThan(sumOf(before.athena, 'kraite_dispatcher_ticks_total'));
      for (const queue of ['kraite.positions', 'kraite.orders', 'kraite.indicators', 'kraite.user-data-stream']) {
        expect(athena.some((s) => s.name === 'kraite_queue_waiting' && s.labels.queue === queue)).toBe(true);
      }
      expect(sumOf(athena, 'kraite_open_positions')).toBeGreaterThan(0);
      expect(sumOf(athena, 'kraite_exposure_quote')).toBeGreaterThan(0);
      // Process metrics, and no id in any label.
      expect(sumOf(eos, 'kraite_process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(eos.some((s) => s.name.startsWith('kraite_nodejs_eventloop_lag'))).toBe(true);
      for (const s of [...eos, ...athena]) for (const [k, v] of Object.entries(s.labels)) expect([k, v]).not.toEqual([k, expect.stringMatching(/^\d{5,}$|^[0-9a-f-]{36}$/)]);

      // athena owns the user-data streams (one account, its socket open) and reads mark-price age from the books.
      expect(sumOf(athena, 'kraite_user_data_streams', { state: 'open' })).toBe(1);
      expect(athena.some((s) => s.name === 'kraite_dispatcher_saturated_ticks_total' && s.labels.kind === 'capped')).toBe(true);
      expect(athena.find((s) => s.name === 'kraite_mark_price_age_seconds')!.value).toBeGreaterThanOrEqual(0);
      // The mark-price stream's own process, on its own port: frames counted, its stream and database ready.
      await expect.poll(() => markPrice.out.join('\n'), { timeout: 10_000 }).toMatch(/metrics: http:\/\/127\.0\.0\.1:\d+\/metrics/);
      const markPriceBase = /metrics: (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(markPrice.out.join('\n'))![1]!;
      const stream = parseExposition(await (await fetch(`${markPriceBase}/metrics`)).text());
      expect(sumOf(stream, 'kraite_mark_price_frames_total')).toBeGreaterThan(0);
      expect(sumOf(stream, 'kraite_mark_price_stream_silence_seconds')).toBeLessThan(60);
      expect(sumOf(stream, 'kraite_process_resident_memory_bytes')).toBeGreaterThan(0);
      const ready = await fetch(`${markPriceBase}/health/ready`);
      expect([ready.status, await ready.json()]).toMatchObject([200, { ok: true, checks: { database: { ok: true }, 'mark-price-stream': { ok: true } } }]);

      // Every sample line parsed above (parseExposition is strict); promtool lints the names too.
      if (PROMTOOL) {
        // promtool check metrics reads stdin and exits non-zero on a malformed exposition or a lint finding.
        for (const url of [urls.eos!, urls.athena!, `${markPriceBase}/metrics`]) execFileSync(PROMTOOL, ['check', 'metrics'], { input: await (await fetch(url)).text() });
      }
    } finally {
      stop.abort();
      const codes = await Promise.all([...Object.values(boxes), markPrice].map(async (p) => [await p.code, p.out.filter((l) => !l.startsWith('{')).join('\n')]));
      expect(codes.filter(([code]) => code !== 0)).toEqual([]);
    }
  }, 300_000);
});
