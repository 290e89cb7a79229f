import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';

function capture(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env }, out, err };
}

const seeds = JSON.parse(readFileSync(new URL('../../infra/topology.json', import.meta.url), 'utf8'));

describe('kraite CLI', () => {
  it('lists commands and refuses unknown ones', async () => {
    const c = capture();
    expect(await main(['help'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/run .*\n[\s\S]*topology/);
    expect(await main(['frobnicate'], c.io)).toBe(2);
    expect(c.err.join('\n')).toContain('unknown command "frobnicate"');
  });

  it('refuses unknown flags and missing values, naming them', async () => {
    const c = capture();
    expect(await main(['topology', '--colour'], c.io)).toBe(2);
    expect(c.err.join('\n')).toMatch(/Unknown option '--colour'/);
    expect(await main(['steps', '--limit', 'ten'], capture({ DATABASE_URL: 'mysql://root@127.0.0.1:1/x' }).io)).toBe(2);
    const bad = capture();
    expect(await main(['steps', '--state', 'sleeping'], bad.io)).toBe(2);
    expect(bad.err.join('\n')).toContain('unknown state "sleeping"');
  });

  it('hands a benchmark its own flags (npm run bench -- soak --seeds 1-1000), with or without a second --', async () => {
    for (const argv of [['bench', 'soak', '--seeds', 'x'], ['bench', 'soak', '--', '--seeds', 'x']]) {
      const c = capture();
      expect(await main(argv, c.io)).toBe(2);
      // The soak benchmark read the flag itself and refused its value.
      expect(c.err.join('\n')).toContain('--seeds must look like 1-1000');
    }
  });

  it('prints the seeds topology as JSON', async () => {
    const c = capture();
    expect(await main(['topology', '--json'], c.io)).toBe(0);
    const t = JSON.parse(c.out.join('\n'));
    expect(t.boxes.map((b: { name: string }) => b.name)).toEqual(seeds.boxes.map((b: { name: string }) => b.name));
    expect(t.boxes.find((b: { name: string }) => b.name === 'tyche').queues).toEqual([{ lane: 'indicators', concurrency: 10 }, { lane: 'cronjobs', concurrency: 3 }]);
  });

  it('prints a readable table', async () => {
    const c = capture();
    expect(await main(['topology'], c.io)).toBe(0);
    expect(c.out.join('\n')).toContain('eos       trading     queues: positions×5 → kraite.positions, orders×8 → kraite.orders, priority×3 → kraite.priority, eos×1 → kraite.box.eos');
  });

  it('refuses an invalid topology file naming the field', async () => {
    const bad = structuredClone(seeds);
    bad.boxes[6].queues[0].concurrency = -2;
    const file = join(mkdtempSync(join(tmpdir(), 'topo-')), 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const c = capture();
    expect(await main(['topology', '--file', file], c.io)).toBe(1);
    expect(c.err.join('\n')).toContain('boxes[6].queues[0].concurrency: must be a positive integer');
  });

  it('says why an operator command needs DATABASE_URL', async () => {
    const c = capture();
    expect(await main(['steps'], c.io)).toBe(1);
    expect(c.err.join('\n')).toContain('set DATABASE_URL');
  });

  it('validates the configuration, naming the variable', async () => {
    const c = capture({ DATABASE_URL: 'postgres://nope' });
    expect(await main(['steps'], c.io)).toBe(1);
    expect(c.err.join('\n')).toContain('config DATABASE_URL');
  });
});
