// Without DATABASE_URL the CLI reaches the running `npm start` (kraite run --all, embedded) through
// its loopback control endpoint: reads see the fleet's positions, operator switches change them.
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../edge/cli/main.ts';
import { controlFilePath, readControlFile } from '../edge/runtime/control-file.ts';

async function cli(argv: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the CLI against the running embedded fleet', () => {
  it('lists the fleet\'s positions and switches its trading off, through a loopback endpoint that wants the token', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kraite-data-'));
    const env = { KRAITE_DATA_DIR: dataDir };
    const out: string[] = [];
    const stop = new AbortController();
    const running = main(['run', '--all'], { out: (l) => out.push(l), err: (l) => out.push(l), env: { ...env, KRAITE_PORT: '0', LOG_LEVEL: 'warn' }, signal: stop.signal });
    try {
      await expect.poll(() => out.join('\n'), { timeout: 30_000 }).toContain('kraite is up:');
      const control = (await readControlFile(dataDir))!;
      expect(new URL(control.url).hostname).toBe('127.0.0.1');
      expect(statSync(controlFilePath(dataDir)).mode & 0o777).toBe(0o600);

      await expect.poll(async () => {
        const r = await cli(['positions', '--status', 'active', '--json'], env);
        return r.code === 0 ? (JSON.parse(r.out) as unknown[]).length : -1;
      }, { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(1);
      const positions = JSON.parse((await cli(['positions', '--json'], env)).out) as { accountId: number; symbol: string }[];
      expect(positions.every((p) => p.accountId === 1)).toBe(true);

      expect(await cli(['accounts:trading', '1', '--off'], env)).toMatchObject({ code: 0, out: 'account 1: trading off' });
      const accounts = JSON.parse((await cli(['accounts:list', '--json'], env)).out) as { id: number; tradingEnabled: boolean }[];
      expect(accounts.find((a) => a.id === 1)?.tradingEnabled).toBe(false);
      // A usage error is caught here, before anything is sent; a failure inside the fleet keeps its code.
      expect((await cli(['accounts:trading', '1'], env)).code).toBe(2);
      expect(await cli(['accounts:trading', '99', '--on'], env)).toMatchObject({ code: 1, err: 'no account 99' });

      // Without the token, or for a command it does not run, the endpoint refuses.
      const post = (token: string, argv: string[]) => fetch(`${control.url}/cli`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ argv }) });
      expect((await post('wrong', ['positions'])).status).toBe(401);
      expect((await post(control.token, ['admin:create-user', '--username', 'x'])).status).toBe(403);
    } finally {
      stop.abort();
      expect(await running).toBe(0);
    }
    // Stopped: the file is gone and the command says what to do.
    expect(await readControlFile(dataDir)).toBeNull();
    expect(await cli(['positions'], env)).toMatchObject({ code: 1, err: expect.stringContaining('set DATABASE_URL') });
    // A file left by a killed fleet is named as stale.
    writeFileSync(controlFilePath(dataDir), JSON.stringify({ url: 'http://127.0.0.1:9', token: 't', pid: 1 }));
    expect(await cli(['positions'], env)).toMatchObject({ code: 1, err: expect.stringContaining('that is not running') });
  }, 120_000);
});
