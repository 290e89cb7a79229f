import { describe, expect, it } from 'vitest';
import app from './workers.ts';

describe('workers entry', () => {
  it('answers health with plain fetch semantics', async () => {
    const res = await app.fetch(new Request('http://kraite.test/health'));
    expect(await res.json()).toEqual({ ok: true, runtime: 'workers' });
    expect((await app.fetch(new Request('http://kraite.test/nope'))).status).toBe(404);
  });

  it('serves the docs on docs.* and the marketing site elsewhere', async () => {
    expect(await (await app.fetch(new Request('https://docs.kraite.test/servers'))).text()).toContain('<h1 id="servers">Servers</h1>');
    expect(await (await app.fetch(new Request('https://kraite.test/'))).text()).toContain('Automated trading for Binance');
  });
});
