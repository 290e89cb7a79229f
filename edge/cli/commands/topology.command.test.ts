import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTopology } from '../../../core/fleet/topology.ts';
import type { CliIo } from '../command.ts';
import { main } from '../main.ts';

const seedsText = readFileSync(new URL('../../../infra/topology.json', import.meta.url), 'utf8');
const seeds = JSON.parse(seedsText);
const dir = mkdtempSync(join(tmpdir(), 'kraite-topology-cli-'));

function capture(env: Record<string, string> = {}): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l) => out.push(l), err: (l) => err.push(l), env }, out, err };
}

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('kraite topology', () => {
  it('--json prints the validated seeds topology', async () => {
    const c = capture();
    expect(await main(['topology', '--json'], c.io)).toBe(0);
    expect(c.err).toEqual([]);
    const printed = JSON.parse(c.out.join('\n'));
    expect(printed).toEqual(parseTopology(seeds));
    expect(printed.boxes.find((b: { name: string }) => b.name === 'eos').queues).toEqual([
      { lane: 'positions', concurrency: 5 }, { lane: 'orders', concurrency: 8 }, { lane: 'priority', concurrency: 3 }, { lane: 'eos', concurrency: 1 },
    ]);
    expect(printed.boxes.find((b: { name: string }) => b.name === 'athena').daemons).toEqual(['scheduler', 'dispatcher', 'user-data-stream', 'mark-price-stream', 'listen-key-refresh']);
  });

  it('prints a table of boxes, roles, queues with concurrency, daemons, and each lane\'s pool', async () => {
    const c = capture();
    expect(await main(['topology'], c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toContain('topology kraite-production from ');
    expect(text).toContain('  eos       trading     queues: positions×5 → kraite.positions, orders×8 → kraite.orders, priority×3 → kraite.priority, eos×1 → kraite.box.eos');
    expect(text).toContain('  tyche     indicators  queues: indicators×10 → kraite.indicators, cronjobs×3 → kraite.cronjobs');
    expect(text).toContain('runs:   scheduler, dispatcher, user-data-stream, mark-price-stream, listen-key-refresh');
    expect(text).toContain('runs:   web:admin, web:console, web:marketing, web:docs');
    expect(text).toContain('net:    private 10.0.0.4; egress 204.168.137.153');
    expect(text).toMatch(/positions\s+kraite\.positions\s+20 {2}eos, iris, nyx, hemera/);
    expect(text).toMatch(/user-data-stream\s+kraite\.user-data-stream\s+5 {2}athena/);
    expect(c.out.filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(/\s+/)[0]).slice(0, 8))
      .toEqual(['hyperion', 'athena', 'eos', 'iris', 'nyx', 'hemera', 'tyche', 'pheme']);
  });

  it('--file validates another file; KRAITE_TOPOLOGY points at one too', async () => {
    const five = structuredClone(seeds);
    five.name = 'five-workers';
    five.boxes.splice(6, 0, { name: 'selene', roles: ['trading'], queues: [{ lane: 'orders', concurrency: 8 }, { lane: 'selene', concurrency: 1 }] });
    const path = file('five.json', five);
    const viaFlag = capture();
    expect(await main(['topology', '--json', '--file', path], viaFlag.io)).toBe(0);
    expect(JSON.parse(viaFlag.out.join('\n')).name).toBe('five-workers');
    const viaEnv = capture({ KRAITE_TOPOLOGY: path });
    expect(await main(['topology'], viaEnv.io)).toBe(0);
    expect(viaEnv.out.join('\n')).toMatch(/orders\s+kraite\.orders\s+40 {2}eos, iris, nyx, hemera, selene/);
  });

  it('refuses an invalid file with a non-zero exit, naming the bad field', async () => {
    const bad = structuredClone(seeds);
    bad.boxes[3].queues[1].concurrency = 0;
    bad.boxes[7].queues = [{ lane: 'orders', concurrency: 2 }];
    const path = file('bad.json', bad);
    const c = capture();
    expect(await main(['topology', '--file', path], c.io)).toBe(1);
    expect(c.out).toEqual([]);
    expect(c.err.join('\n')).toContain(`${path}: boxes[3].queues[1].concurrency: must be a positive integer`);
    expect(c.err.join('\n')).toContain('boxes[7].queues: a web box consumes no queue');
  });

  it('refuses a file that is missing or not JSON', async () => {
    const missing = capture();
    expect(await main(['topology', '--file', join(dir, 'absent.json')], missing.io)).toBe(1);
    expect(missing.err.join('\n')).toContain('ENOENT');
    const broken = capture();
    expect(await main(['topology', '--file', file('broken.json', '{"boxes": [')], broken.io)).toBe(1);
    expect(broken.err.join('\n')).toContain('not valid JSON');
  });

  it('refuses --file without a path', async () => {
    const c = capture();
    expect(await main(['topology', '--file'], c.io)).toBe(2);
    expect(c.err.join('\n')).toContain("Option '--file <value>' argument missing");
  });
});
