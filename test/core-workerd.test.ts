// The step engine and the trading handlers inside workerd (miniflare from npm, wrangler.toml's
// compatibility date): (1) a full open block on the memory store; (2) the same block on the
// PlanetScale store — the real @planetscale/database client over HTTP to the protocol shim in front of
// MariaDB — with a Cloudflare Queues consumer driving every hop; (3) a crash after the exchange
// accepted an order: the redelivered message re-runs the step, which adopts the order, and nothing is
// placed twice. Keeps "the core is serverless" a tested fact rather than an import rule.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { startPlanetScaleShim, type PlanetScaleShim } from './support/planetscale-shim.ts';
import { until } from './support/wait-until.ts';

interface Status {
  inFlight: boolean;
  nextDue: number | null;
  positions: { symbol: string; status: string }[];
  orders: { clientOrderId: string; status: string }[];
  accepted: Record<string, number>;
  crashFired: boolean;
  events: string[];
  results: string[];
  steps: number;
  failed: string[];
}

let script: string;
let compatibilityDate: string;
const opened: { mf: Miniflare; db: TestDatabase; shim: PlanetScaleShim }[] = [];

beforeAll(async () => {
  const toml = readFileSync(new URL('../wrangler.toml', import.meta.url), 'utf8');
  compatibilityDate = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)![1]!;
  const bundle = await build({
    entryPoints: [new URL('./support/workerd-core-entry.ts', import.meta.url).pathname], bundle: true, format: 'esm', platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'], target: 'es2022', write: false, logLevel: 'silent',
  });
  script = bundle.outputFiles[0]!.text;
}, 60_000);

afterAll(async () => {
  for (const o of opened) {
    await o.mf.dispose();
    await o.shim.close();
    await o.db.drop();
  }
});

/** A Miniflare running the entry with the STEPS queue bound to its own consumer, over a fresh database behind a shim. */
async function boot(): Promise<{ mf: Miniflare; shim: PlanetScaleShim }> {
  const db = await freshDatabase();
  const shim = await startPlanetScaleShim(db.url);
  const mf = new Miniflare({
    modules: true, script, compatibilityDate,
    queueProducers: { STEPS: { queueName: 'kraite-steps' } },
    queueConsumers: { 'kraite-steps': { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 3, deadLetterQueue: 'kraite-steps-dlq' } },
  });
  await mf.ready;
  opened.push({ mf, db, shim });
  return { mf, shim };
}

const status = async (mf: Miniflare) => (await (await mf.dispatchFetch('http://steps/ps/status')).json()) as Status;

/** Lets the queue drain; when idle, plays the persistent edge's clock: advance to the next due step and tick. */
async function runToActive(mf: Miniflare): Promise<Status> {
  let last: Status | null = null;
  await until('the position to be active with nothing in flight', async () => {
    last = await status(mf);
    if (last.positions[0]?.status === 'active' && !last.inFlight) return true;
    if (!last.inFlight && last.nextDue !== null) await mf.dispatchFetch('http://steps/ps/advance', { method: 'POST' });
    return false;
  }, 90_000, 20).catch((error: Error) => {
    throw new Error(`${error.message}; last status: ${JSON.stringify(last)}`);
  });
  return last!;
}

describe('the step engine inside workerd', () => {
  it('opens a position to active on the memory store: engine, trading handlers and simulator in one isolate', async () => {
    const mf = new Miniflare({ modules: true, script, compatibilityDate });
    try {
      const res = await mf.dispatchFetch('http://steps/memory/open', { method: 'POST' });
      const body = await res.text();
      expect(res.status, body).toBe(200);
      const result = JSON.parse(body) as { positions: { symbol: string; status: string }[]; steps: number; failed: number };
      expect(result.positions).toEqual([{ symbol: 'ETHUSDT', status: 'active' }]);
      expect(result.steps).toBeGreaterThan(10);
      expect(result.failed).toBe(0);
    } finally {
      await mf.dispose();
    }
  }, 60_000);

  it('opens the same position on the PlanetScale store, every hop a Queues message', async () => {
    const { mf, shim } = await boot();
    const setup = await mf.dispatchFetch('http://steps/ps/setup', { method: 'POST', body: JSON.stringify({ url: shim.url }) });
    expect(setup.status, await setup.clone().text()).toBe(200);
    const final = await runToActive(mf);
    expect(final.failed).toEqual([]);
    expect(final.positions).toEqual([{ symbol: 'ETHUSDT', status: 'active' }]);
    // Every order the database knows was accepted by the exchange exactly once.
    expect(Object.values(final.accepted).every((n) => n === 1)).toBe(true);
    expect(final.orders.filter((o) => final.accepted[o.clientOrderId]).length).toBe(Object.keys(final.accepted).length);
    expect(final.results.filter((r) => r.endsWith(':ran')).length).toBeGreaterThan(10);
    expect(final.results.some((r) => r.includes(':retry'))).toBe(false);
    // The steps really went through the shim to MariaDB.
    expect(shim.counters.commits).toBeGreaterThan(final.steps);
  }, 120_000);

  it('survives a crash after the exchange accepted an order: the redelivery adopts it, nothing is placed twice', async () => {
    const { mf, shim } = await boot();
    const setup = await mf.dispatchFetch('http://steps/ps/setup', { method: 'POST', body: JSON.stringify({ url: shim.url, crash: true }) });
    expect(setup.status, await setup.clone().text()).toBe(200);
    const final = await runToActive(mf);
    expect(final.crashFired).toBe(true);
    expect(final.results.filter((r) => r.includes(':retry:injected crash'))).toHaveLength(1);
    expect(final.results.filter((r) => r.endsWith(':adopted'))).toHaveLength(1);
    expect(final.events).toContain('step.readopted');
    expect(final.failed).toEqual([]);
    expect(final.positions).toEqual([{ symbol: 'ETHUSDT', status: 'active' }]);
    expect(Object.values(final.accepted)).not.toContain(2);
    expect(Object.values(final.accepted).every((n) => n === 1)).toBe(true);
  }, 120_000);
});
