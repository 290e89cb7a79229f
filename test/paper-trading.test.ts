// `npm start` (kraite run --all, embedded): a new user sees paper trading happen — the demo account
// is seeded on the in-process simulator, positions open with their full ladder, and the start
// banner says where the exchange is.
import { describe, expect, it } from 'vitest';
import { main } from '../edge/cli/main.ts';

describe('kraite run --all (embedded paper trading)', () => {
  it('seeds the demo account and opens positions on the simulator', async () => {
    const out: string[] = [];
    const stop = new AbortController();
    const env = { KRAITE_PORT: '0', LOG_LEVEL: 'info' };
    const running = main(['run', '--all'], { out: (l) => out.push(l), err: (l) => out.push(l), env, signal: stop.signal });
    try {
      await expect.poll(() => out.join('\n'), { timeout: 20_000 }).toContain('exchange: embedded simulator (paper trading');
      await expect.poll(() => out.filter((l) => l.includes('"position active"')).length, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(3);
      const active = out.filter((l) => l.includes('"position active"')).map((l) => JSON.parse(l) as { symbol: string; worstCaseLoss: string });
      expect(new Set(active.map((a) => a.symbol)).size).toBe(active.length);
      for (const a of active) expect(Number(a.worstCaseLoss)).toBeGreaterThan(0);
    } finally {
      stop.abort();
      expect(await running).toBe(0);
    }
  }, 60_000);

  it('stops cleanly when stopped while it is still starting', async () => {
    const out: string[] = [];
    const stop = new AbortController();
    const env = { KRAITE_PORT: '0', LOG_LEVEL: 'warn' };
    const running = main(['run', '--all'], { out: (l) => { out.push(l); if (l.startsWith('kraite: running')) stop.abort(); }, err: (l) => out.push(l), env, signal: stop.signal });
    expect(await running).toBe(0);
    expect(out.at(-1)).toBe('kraite: stopped');
  });
});
