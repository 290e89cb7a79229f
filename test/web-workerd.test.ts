// The Workers build of the marketing and docs sites, answered by workerd itself (miniflare from npm,
// no download at run time): web/runtime/workers.ts bundled as wrangler would, with wrangler.toml's
// compatibility date.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let mf: Miniflare;

beforeAll(async () => {
  const toml = readFileSync(new URL('../wrangler.toml', import.meta.url), 'utf8');
  const main = /^main\s*=\s*"([^"]+)"/m.exec(toml)![1]!;
  const compatibilityDate = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)![1]!;
  const bundle = await build({
    entryPoints: [new URL(`../${main}`, import.meta.url).pathname], bundle: true, format: 'esm', platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'], target: 'es2022', write: false, logLevel: 'silent',
  });
  mf = new Miniflare({ modules: true, script: bundle.outputFiles[0]!.text, compatibilityDate });
  await mf.ready;
});

afterAll(async () => {
  await mf?.dispose();
});

describe('sites on workerd', () => {
  it('answers health as a Worker', async () => {
    const res = await mf.dispatchFetch('https://kraite.com/health');
    expect(await res.json()).toEqual({ ok: true, runtime: 'workers' });
  });

  it('serves the marketing site', async () => {
    const res = await mf.dispatchFetch('https://kraite.com/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Automated trading for Binance USDⓈ-M perpetual futures');
    expect((await mf.dispatchFetch('https://kraite.com/static/site.css')).headers.get('content-type')).toContain('text/css');
  });

  it('serves the docs site with navigation and search', async () => {
    const page = await (await mf.dispatchFetch('https://docs.kraite.com/servers')).text();
    expect(page).toContain('<h1 id="servers">Servers</h1>');
    expect(page).toContain('<a href="/lifecycles">Lifecycles</a>');
    const search = await (await mf.dispatchFetch('https://docs.kraite.com/search?q=dispatch')).text();
    expect(search).toMatch(/\d+ pages? match “dispatch”/);
    expect((await mf.dispatchFetch('https://docs.kraite.com/nope')).status).toBe(404);
  });
});
