// The deployable `kraite-steps` Worker (wrangler.toml [env.kraite-steps]) bundled as wrangler would and
// booted in workerd against the PlanetScale shim: health, the signed HTTP entry, and env checking.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest, verifyRequest } from '../core/adapters/push/signed-request.ts';
import { parseWorkerEnv } from '../edge/workers/worker-env.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { startPlanetScaleShim, type PlanetScaleShim } from './support/planetscale-shim.ts';

const SECRET = 's'.repeat(40);
const KEY = btoa(String.fromCharCode(...new Uint8Array(32).fill(3)));

describe('signed step-run requests', () => {
  const now = Date.UTC(2026, 0, 1);
  it('accepts its own signature and refuses another path, body, secret, time or a malformed header', async () => {
    const header = await signRequest(SECRET, 'POST', '/steps/7/run', '{"set":"trading"}', now);
    expect(await verifyRequest(SECRET, header, 'POST', '/steps/7/run', '{"set":"trading"}', now + 1000)).toBeNull();
    expect(await verifyRequest(SECRET, header, 'POST', '/steps/8/run', '{"set":"trading"}', now)).toBe('bad signature');
    expect(await verifyRequest(SECRET, header, 'POST', '/steps/7/run', '{"set":"default"}', now)).toBe('bad signature');
    expect(await verifyRequest('t'.repeat(40), header, 'POST', '/steps/7/run', '{"set":"trading"}', now)).toBe('bad signature');
    expect(await verifyRequest(SECRET, header, 'POST', '/steps/7/run', '{"set":"trading"}', now + 6 * 60_000)).toBe('signature outside the time window');
    expect(await verifyRequest(SECRET, null, 'POST', '/steps/7/run', '', now)).toMatch(/missing or malformed x-kraite-signature/);
  });
});

describe('the kraite-steps env', () => {
  it('names every missing or bad field', () => {
    expect(() => parseWorkerEnv({ KRAITE_STORE_URL: 'nope', KRAITE_CREDENTIALS_KEY: KEY, KRAITE_STEP_RUN_SECRET: 'short' }))
      .toThrow(/KRAITE_STORE_URL: KRAITE_STORE_URL is not a URL; KRAITE_EXCHANGE_URL: .*; KRAITE_STEP_RUN_SECRET: .*at least 32 characters; STEPS: STEPS must be a Queue producer binding/);
    const env = { KRAITE_EXCHANGE_URL: 'https://fapi.binance.com', KRAITE_CREDENTIALS_KEY: KEY, STEPS: { send: async () => {} } };
    expect(() => parseWorkerEnv({ ...env, KRAITE_STORE_URL: 'http://u:p@db.example.com' })).toThrow(/KRAITE_STORE_URL must be https:\/\/ \(http:\/\/ only to a loopback host\)/);
    expect(() => parseWorkerEnv({ ...env, KRAITE_STORE_URL: 'https://db.example.com' })).toThrow(/KRAITE_STORE_URL needs the credentials/);
    expect(parseWorkerEnv({ ...env, KRAITE_STORE_URL: 'https://u:p@aws.connect.psdb.cloud' }).KRAITE_STORE_URL).toBe('https://u:p@aws.connect.psdb.cloud');
  });
});

describe('the kraite-steps Worker in workerd', () => {
  let db: TestDatabase;
  let shim: PlanetScaleShim;
  let mf: Miniflare;
  beforeAll(async () => {
    const toml = readFileSync(new URL('../wrangler.toml', import.meta.url), 'utf8');
    const env = toml.slice(toml.indexOf('[env.kraite-steps]'));
    const main = /^main\s*=\s*"([^"]+)"/m.exec(env)![1]!;
    const compatibilityDate = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)![1]!;
    const bundle = await build({
      entryPoints: [new URL(`../${main}`, import.meta.url).pathname], bundle: true, format: 'esm', platform: 'browser',
      conditions: ['workerd', 'worker', 'browser'], target: 'es2022', write: false, logLevel: 'silent',
    });
    db = await freshDatabase();
    shim = await startPlanetScaleShim(db.url);
    mf = new Miniflare({
      modules: true, script: bundle.outputFiles[0]!.text, compatibilityDate,
      bindings: { KRAITE_STORE_URL: shim.url, KRAITE_EXCHANGE_URL: 'http://127.0.0.1:9', KRAITE_CREDENTIALS_KEY: KEY, KRAITE_STEP_RUN_SECRET: SECRET },
      queueProducers: { STEPS: { queueName: 'kraite-steps' } },
    });
    await mf.ready;
  }, 60_000);
  afterAll(async () => {
    await mf?.dispose();
    await shim?.close();
    await db?.drop();
  });

  it('answers health', async () => {
    expect(await (await mf.dispatchFetch('https://steps.example/health')).json()).toEqual({ ok: true, runtime: 'workers', service: 'kraite-steps' });
  });

  it('serves the status page from the PlanetScale store, read-only', async () => {
    const body = await (await mf.dispatchFetch('https://steps.example/')).text();
    expect(body).toContain('<h1>Kraite fleet</h1>');
    expect(body).toContain('store: planetscale · queue: cloudflare-queues');
    const json = await (await mf.dispatchFetch('https://steps.example/status.json')).json() as { steps: Record<string, unknown>; fleet: unknown };
    expect(json.steps).toEqual({ default: {}, trading: {} });
    expect(json.fleet).toBeNull();
    expect((await mf.dispatchFetch('https://steps.example/', { method: 'DELETE' })).status).toBe(404);
  });

  it('runs POST /steps/:id/run only when signed, through the PlanetScale store', async () => {
    const body = JSON.stringify({ set: 'trading', dispatchedAt: Date.now() });
    expect((await mf.dispatchFetch('https://steps.example/steps/41/run', { method: 'POST', body })).status).toBe(401);
    const before = shim.counters.statements;
    const signature = await signRequest(SECRET, 'POST', '/steps/41/run', body, Date.now());
    const res = await mf.dispatchFetch('https://steps.example/steps/41/run', { method: 'POST', body, headers: { 'x-kraite-signature': signature } });
    // No step 41: the claim finds nothing dispatched, and the engine says so.
    expect(await res.json()).toEqual({ outcome: 'ignored' });
    expect(shim.counters.statements).toBeGreaterThan(before);
    const bad = await signRequest(SECRET, 'POST', '/steps/41/run', '{"set":"nope"}', Date.now());
    expect(await (await mf.dispatchFetch('https://steps.example/steps/41/run', { method: 'POST', body: '{"set":"nope"}', headers: { 'x-kraite-signature': bad } })).json())
      .toEqual({ error: 'set: must be one of default, trading' });
  });
});
