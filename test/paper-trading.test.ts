// `npm start` (kraite run --all, embedded): a new user sees paper trading happen — the demo account
// is seeded on the in-process simulator, positions open with their full ladder, and the start
// banner says where the exchange is.
import { describe, expect, it } from 'vitest';
import { main } from '../edge/cli/main.ts';
import { AdminClient, httpTarget } from './support/admin-client.ts';
import { tempDataDir } from './support/temp-data-dir.ts';

describe('kraite run --all (embedded paper trading)', () => {
  it('seeds the demo account and opens positions on the simulator', async () => {
    const out: string[] = [];
    const stop = new AbortController();
    const env = { KRAITE_PORT: '0', LOG_LEVEL: 'info', KRAITE_DATA_DIR: tempDataDir() };
    const running = main(['run', '--all'], { out: (l) => out.push(l), err: (l) => out.push(l), env, signal: stop.signal });
    try {
      await expect.poll(() => out.join('\n'), { timeout: 20_000 }).toContain('exchange: embedded simulator (paper trading');
      await expect.poll(() => out.filter((l) => l.includes('"position active"')).length, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(3);
      const active = out.filter((l) => l.includes('"position active"')).map((l) => JSON.parse(l) as { symbol: string; worstCaseLoss: string });
      expect(new Set(active.map((a) => a.symbol)).size).toBe(active.length);
      for (const a of active) expect(Number(a.worstCaseLoss)).toBeGreaterThan(0);

      // The console too: the printed demo trader sees the demo account and its open positions.
      await expect.poll(() => out.join('\n'), { timeout: 20_000 }).toContain('console first run: sign in as');
      const text = out.join('\n');
      // The human banner comes first; every URL and sign-in sit in one block with what to open first.
      expect(out[0]).toMatch(/^kraite: running the whole fleet/);
      const block = out.find((l) => l.startsWith('kraite is up:'))!;
      for (const part of ['status: http', 'admin: http', 'console: http', 'docs: http', 'admin first run: sign in as', 'console first run: sign in as', 'open first: the console http']) expect(block).toContain(part);
      const statusUrl = /status: (http:\/\/\S+)\//.exec(block)![1]!;
      const statusPage = await (await fetch(`${statusUrl}/`)).text();
      expect(statusPage).toContain(`<a href="${/admin: (http:\/\/\S+)\//.exec(block)![1]!}/">the admin</a>`);
      const consoleUrl = /console: (http:\/\/\S+)\//.exec(text)![1]!;
      const [, username, password] = /console first run: sign in as "([^"]+)" with password "([^"]+)"/.exec(text)!;
      const trader = new AdminClient(httpTarget, consoleUrl);
      expect((await trader.login(username!, password!)).status).toBe(303);
      const page = await (await trader.get('/')).text();
      expect(page).toContain('<td>paper</td>');
      // The in-process stream counts as connected.
      expect(page).toMatch(/<span class="badge good">ok<\/span> last frame/);
      for (const a of active) expect(page).toContain(a.symbol);
    } finally {
      stop.abort();
      expect(await running).toBe(0);
    }
  }, 60_000);

  it('stops cleanly when stopped while it is still starting', async () => {
    const out: string[] = [];
    const stop = new AbortController();
    const env = { KRAITE_PORT: '0', LOG_LEVEL: 'warn', KRAITE_DATA_DIR: tempDataDir() };
    const running = main(['run', '--all'], { out: (l) => { out.push(l); if (l.startsWith('kraite: running')) stop.abort(); }, err: (l) => out.push(l), env, signal: stop.signal });
    expect(await running).toBe(0);
    expect(out.at(-1)).toBe('kraite: stopped');
  });
});
