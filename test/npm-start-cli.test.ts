// The README's promise, as a user meets it: `npm start` (node bin/kraite.js run --all) runs in one
// process, and `kraite` commands run as other processes in the same directory, with no
// DATABASE_URL: `kraite positions --json` lists the running fleet's positions and
// `kraite accounts:trading 1 --off` switches its trading off, through the control endpoint whose
// address and token `npm start` left in KRAITE_DATA_DIR.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './support/wait-until.ts';

const BIN = fileURLToPath(new URL('../bin/kraite.js', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'kraite-npm-start-'));
// What a fresh shell has: no DATABASE_URL, no REDIS_URL; the sources, whatever is in dist/.
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', KRAITE_DATA_DIR: dataDir, KRAITE_FROM_SOURCE: '1' };

let fleet: ReturnType<typeof spawn>;
let fleetOut = '';
let fleetExit: Promise<number | null>;

/** Runs `kraite ...argv` as its own process; resolves with its exit code and output. */
function kraite(argv: string[]) {
  const child = spawn(process.execPath, [BIN, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on('close', (code) => resolve({ code, out: out.trim(), err: err.trim() })));
}

beforeAll(async () => {
  fleet = spawn(process.execPath, [BIN, 'run', '--all'], { env: { ...env, KRAITE_PORT: '0', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  fleet.stdout!.on('data', (d: Buffer) => (fleetOut += d.toString()));
  fleet.stderr!.on('data', (d: Buffer) => (fleetOut += d.toString()));
  fleetExit = new Promise((resolve) => fleet.on('close', resolve));
  await until('npm start to print its start-up block', () => fleetOut.includes('open first:') || fleet.exitCode !== null, 60_000, 50);
  expect(fleetOut).toContain('open first:');
}, 90_000);

afterAll(async () => {
  if (fleet.exitCode === null) fleet.kill('SIGTERM');
  await fleetExit;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('kraite beside a running npm start, without DATABASE_URL', () => {
  it('ends its start-up output with the URLs and what to open first; the status page links to both apps, the docs answer', async () => {
    const url = (name: string) => new RegExp(`^  ${name}: (http://127\\.0\\.0\\.1:\\d+)/`, 'm').exec(fleetOut)?.[1];
    const [status, admin, consoleUrl] = [url('status'), url('admin'), url('console')];
    const docs = /docs: (http:\/\/127\.0\.0\.1:\d+)\//.exec(fleetOut)?.[1];
    expect([status, admin, consoleUrl, docs].every(Boolean), fleetOut).toBe(true);
    expect(fleetOut).toContain(`open first: the console ${consoleUrl!}/ if you trade`);
    const page = await (await fetch(`${status!}/`)).text();
    expect(page).toContain(`<a href="${consoleUrl!}/">the console</a>`);
    expect(page).toContain(`<a href="${admin!}/">the admin</a>`);
    expect(await (await fetch(`${docs!}/glossary`)).text()).toContain('<h1 id="glossary">Glossary</h1>');
  });

  it('lists the fleet\'s positions as JSON', async () => {
    await expect.poll(async () => {
      const r = await kraite(['positions', '--status', 'active', '--json']);
      return r.code === 0 ? (JSON.parse(r.out) as unknown[]).length : r.err;
    }, { timeout: 45_000, interval: 200 }).toBeGreaterThanOrEqual(1);
    const all = await kraite(['positions', '--json']);
    expect(all.code).toBe(0);
    const positions = JSON.parse(all.out) as { accountId: number; symbol: string; status: string }[];
    expect(positions.length).toBeGreaterThanOrEqual(1);
    expect(positions.every((p) => p.accountId === 1 && /USDT$/.test(p.symbol))).toBe(true);
  }, 60_000);

  it('switches the fleet\'s trading off, as the fleet then reports', async () => {
    expect(await kraite(['accounts:trading', '1', '--off'])).toMatchObject({ code: 0, out: 'account 1: trading off' });
    const list = await kraite(['accounts:list', '--json']);
    expect((JSON.parse(list.out) as { id: number; tradingEnabled: boolean }[]).find((a) => a.id === 1)?.tradingEnabled).toBe(false);
  }, 60_000);

  it('stops on SIGTERM, after which the commands say how to reach a fleet', async () => {
    fleet.kill('SIGTERM');
    expect(await fleetExit).toBe(0);
    expect(fleetOut).toContain('kraite: stopped');
    const after = await kraite(['positions', '--json']);
    expect(after.code).toBe(1);
    expect(after.err).toContain('set DATABASE_URL');
  }, 60_000);
});
