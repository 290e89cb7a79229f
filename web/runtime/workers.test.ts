import { describe, expect, it } from 'vitest';
import app from './workers.ts';

describe('workers entry', () => {
  it('answers health with plain fetch semantics', async () => {
    const res = await app.fetch(new Request('http://kraite.test/health'));
    expect(await res.json()).toEqual({ ok: true, runtime: 'workers' });
    expect((await app.fetch(new Request('http://kraite.test/nope'))).status).toBe(404);
  });
});
