// Operator commands against a real MariaDB: migrate, steps (list and tree), recover-stale, archive, purge.
import { createPool } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import { StepEngine } from '../core/steps/engine.ts';
import { HandlerRegistry } from '../core/steps/registry.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { main } from '../edge/cli/main.ts';
import { MYSQL_ROOT_URL } from './support/mysql-database.ts';
import { testHandlers } from './support/test-handlers.ts';

const name = `kraite_t_cli_${crypto.randomUUID().slice(0, 8)}`;
const url = `${MYSQL_ROOT_URL}/${name}`;
const run = async (...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: { DATABASE_URL: url, REDIS_URL: '' } });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

beforeAll(async () => {
  const root = createPool({ uri: MYSQL_ROOT_URL, connectionLimit: 1 });
  await root.query(`CREATE DATABASE ${name}`);
  await root.end();
});
afterAll(async () => {
  const root = createPool({ uri: MYSQL_ROOT_URL, connectionLimit: 1 });
  await root.query(`DROP DATABASE IF EXISTS ${name}`);
  await root.end();
});

describe('operator commands on MariaDB', () => {
  it('migrates, lists steps, shows a tree, recovers stale steps, archives and purges', async () => {
    expect(await run('migrate')).toMatchObject({ code: 0, out: expect.stringContaining('applied 0001_steps.sql') });
    expect((await run('migrate')).out).toContain('schema is up to date');

    const store = await openMySqlStepStore(url);
    const engine = new StepEngine({ store, queue: new MemoryQueue(), registry: new HandlerRegistry(testHandlers) });
    const [parent] = await engine.start([{ handler: 'test.spawn', args: { tag: 'cli', children: [{ handler: 'test.log', args: { tag: 'cli-child' } }] }, label: 'position:412' }]);
    // Pretend a worker took it and died long ago.
    await store.transaction((tx) => tx.updateStep('default', parent!.id, ['dispatched'], { state: 'running', worker: 'gone', heartbeatAt: 1, startedAt: 1 }));

    const list = await run('steps', '--set', 'default', '--label', 'position:412');
    expect(list.code).toBe(0);
    expect(list.out).toMatch(new RegExp(`#${parent!.id} running\\s+test.spawn`));
    const json = JSON.parse((await run('steps', '--set', 'default', '--json')).out);
    expect(json[0]).toMatchObject({ id: parent!.id, handler: 'test.spawn', label: 'position:412' });

    const recovered = await run('steps:recover-stale');
    expect(recovered.out).toContain('default: 1 running recovered');
    expect((await store.getStep('default', parent!.id))!.state).toBe('pending');

    // Settle it by hand, with a child, so the tree and retention have something to show.
    await store.transaction(async (tx) => {
      await tx.updateStep('default', parent!.id, ['pending'], { state: 'completed', completedAt: 1_000 });
      await tx.insertSteps([{ ...parent!, handler: 'test.log', args: { tag: 'kid' }, state: 'completed', blockUuid: crypto.randomUUID(), index: 0, parentId: parent!.id, dedupeKey: null, label: null, createdAt: 1 }]);
    });
    await store.transaction(async (tx) => {
      const [kid] = await tx.findRows('default_steps', { parent_id: parent!.id });
      await tx.updateStep('default', Number(kid!.id), ['completed'], { completedAt: 1_000 });
    });
    const tree = await run('steps', '--set', 'default', '--tree', String(parent!.id));
    expect(tree.out.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^#${parent!.id} \\[0\\] test.spawn completed`)),
      expect.stringMatching(/^ {2}#\d+ \[0\] test.log completed/),
    ]);
    expect((await run('steps:archive', '--days', '1')).out).toContain('default: 2 steps archived');
    expect((await run('steps:purge', '--days', '1')).out).toContain('default: 2 archived steps purged');
    expect((await run('steps', '--tree', 'x')).code).toBe(2);
    await store.close();
  });
});

describe('an unmigrated database', () => {
  it('is refused with the command that fixes it', async () => {
    const bare = `kraite_t_bare_${crypto.randomUUID().slice(0, 8)}`;
    const root = createPool({ uri: MYSQL_ROOT_URL, connectionLimit: 1 });
    await root.query(`CREATE DATABASE ${bare}`);
    try {
      const err: string[] = [];
      const code = await main(['steps'], { out: () => {}, err: (l) => err.push(l), env: { DATABASE_URL: `${MYSQL_ROOT_URL}/${bare}` } });
      expect(code).toBe(1);
      expect(err.join('\n')).toContain('run `kraite migrate` first');
    } finally {
      await root.query(`DROP DATABASE ${bare}`);
      await root.end();
    }
  });
});
