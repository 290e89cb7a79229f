import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { commands } from './commands/index.ts';
import { COMMAND_GROUPS } from './command.ts';
import { suggestions } from './did-you-mean.ts';
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

  it('prints the package version for --version, -v and version', async () => {
    for (const flag of ['--version', '-v', 'version']) {
      const c = capture();
      expect(await main([flag], c.io)).toBe(0);
      expect(c.out).toEqual([packageJson.version]);
    }
  });

  it('groups the command list under trade, operate, deploy and develop, with the exit-code rule', async () => {
    const c = capture();
    expect(await main(['help'], c.io)).toBe(0);
    const text = c.out.join('\n');
    const at = (heading: string) => text.indexOf(`\n${heading}`);
    for (const heading of Object.values(COMMAND_GROUPS)) expect(at(heading)).toBeGreaterThan(0);
    expect(text).not.toContain('\nother');
    // positions is a trader's command: listed under trade, before the operate heading.
    expect(text.indexOf('  positions ')).toBeGreaterThan(at(COMMAND_GROUPS.trade));
    expect(text.indexOf('  positions ')).toBeLessThan(at(COMMAND_GROUPS.operate));
    expect(text).toContain('2 usage error');
    // Without a command at all the list goes to stderr and the exit code says "usage".
    const bare = capture();
    expect(await main([], bare.io)).toBe(2);
    expect(bare.out).toEqual([]);
    expect(bare.err.join('\n')).toContain(COMMAND_GROUPS.deploy);
  });

  it('explains one command with help NAME or NAME --help: every flag described, its environment and an example', async () => {
    const a = capture();
    expect(await main(['help', 'positions'], a.io)).toBe(0);
    const text = a.out.join('\n');
    expect(text).toMatch(/--status VALUE +open \(every not-closed status\)/);
    expect(text).toMatch(/--json +print JSON/);
    expect(text).toContain('environment: DATABASE_URL');
    expect(text).toContain('example:\n  kraite positions --status active --json');
    const b = capture();
    expect(await main(['positions', '--help'], b.io)).toBe(0);
    expect(b.out).toEqual(a.out);
    const unknown = capture();
    expect(await main(['help', 'postions'], unknown.io)).toBe(2);
    expect(unknown.err.join('\n')).toContain('did you mean positions?');
  });

  it('gives every command a group, an example, its environment and a description of each flag', () => {
    for (const c of commands) {
      expect(c.group, c.name).toBeDefined();
      expect(c.example, c.name).toMatch(new RegExp(`^${c.name}\\b`));
      expect(c.env, c.name).toBeDefined();
      for (const flag of Object.keys(c.options)) expect(c.flags?.[flag], `${c.name} --${flag}`).toBeTruthy();
    }
  });

  it('suggests the nearest command or flag', async () => {
    const c = capture();
    expect(await main(['position'], c.io)).toBe(2);
    expect(c.err.join('\n')).toContain('unknown command "position" (did you mean positions?)');
    expect(suggestions('accounts', commands.map((x) => x.name))).toEqual(['accounts:add', 'accounts:credentials', 'accounts:list']);
    expect(suggestions('deploy-cooldown', commands.map((x) => x.name))).toEqual(['deploy:cooldown']);
    expect(suggestions('zzzzzz', commands.map((x) => x.name))).toEqual([]);
    const f = capture();
    expect(await main(['topology', '--jsn'], f.io)).toBe(2);
    expect(f.err.join('\n')).toContain("Unknown option '--jsn' (did you mean --json?)");
  });

  it('keeps one exit-code rule: 2 for a bad value, 1 for a failure', async () => {
    const usage = capture();
    expect(await main(['sim', '--port', '70000'], usage.io)).toBe(2);
    const failure = capture();
    expect(await main(['positions'], failure.io)).toBe(1);
  });
});
