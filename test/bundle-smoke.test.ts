// The production bundle (npm run build): built fresh into a temporary directory, it runs without
// tsx — the CLI answers, finds infra/ through its sources' URLs, and `run --all` starts paper
// trading and stops cleanly.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAll } from '../edge/build/build.ts';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
let bundle = '';

/** Runs the bundle's main with argv in a plain node (no tsx loader); resolves with its output once it exits. */
function runBundle(argv: string[], env: Record<string, string> = {}, until?: (out: string) => boolean) {
  const script = `const { main } = await import(${JSON.stringify(pathToFileURL(bundle).href)}); process.exitCode = await main(${JSON.stringify(argv)});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stopped = false;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    // Once: a second SIGTERM while it stops would find no handler and kill it.
    if (!stopped && until?.(out)) stopped = child.kill('SIGTERM');
  });
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise<{ code: number | null; out: string }>((resolve) => child.on('close', (code) => resolve({ code, out })));
}

describe('the production bundle', () => {
  beforeAll(async () => {
    // Inside the checkout (test-artifacts/ is git-ignored): the bundle's packages resolve from node_modules.
    const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
    mkdirSync(artifacts, { recursive: true });
    bundle = (await buildAll(mkdtempSync(join(artifacts, 'bundle-'))))[0]!;
  }, 120_000);
  afterAll(() => rmSync(join(bundle, '..'), { recursive: true, force: true }));

  it('answers --version and help, and reads the topology and migrations beside its sources', async () => {
    expect(await runBundle(['--version'])).toEqual({ code: 0, out: `${version}\n` });
    expect((await runBundle(['help', 'positions'])).out).toContain('example:\n  kraite positions');
    const topology = await runBundle(['topology', '--json']);
    expect(topology.code).toBe(0);
    expect(JSON.parse(topology.out).boxes.length).toBeGreaterThan(1);
    expect(await runBundle(['deploy:units', '--check'])).toMatchObject({ code: 0, out: expect.stringContaining('up to date') });
  }, 60_000);

  it('runs the embedded fleet until SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kraite-data-'));
    const run = await runBundle(['run', '--all'], { KRAITE_PORT: '0', KRAITE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, (out) => out.includes('open first:'));
    expect(run.out).toMatch(/^kraite: running the whole fleet/);
    expect(run.out).toContain('kraite: stopped');
    expect(run.code).toBe(0);
  }, 90_000);
});
