// The StepStore contract on MariaDB, plus what only the SQL adapter has: deadlock re-runs, identifier
// checks, archive copies, the migrator and `kraite migrate`. One fresh database for this file.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, type Pool, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import { result } from '../core/steps/effects.ts';
import { StepEngine } from '../core/steps/engine.ts';
import { defineHandler, HandlerRegistry } from '../core/steps/registry.ts';
import { DuplicateKeyError } from '../core/steps/step-store.port.ts';
import { MIGRATIONS_DIR, MigrationChangedError, migrate } from '../edge/adapters/mysql/migrator.ts';
import { createMySqlPool } from '../edge/adapters/mysql/mysql-pool.ts';
import type { MySqlStepStore } from '../edge/adapters/mysql/mysql-step-store.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { main } from '../edge/cli/main.ts';
import { CONTRACT_ROWS_DDL, CONTRACT_ROWS_TABLE, stepStoreContract } from './contracts/step-store.contract.ts';
import { MYSQL_ROOT_URL, freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { deferred, draft, T0 } from './support/step-drafts.ts';

const TABLES = ['default_steps', 'trading_steps', 'default_steps_archive', 'trading_steps_archive', 'step_events', 'dispatch_saturation', CONTRACT_ROWS_TABLE];

let db: TestDatabase;
let admin: Pool;
beforeAll(async () => {
  db = await freshDatabase();
  admin = createMySqlPool(db.url, { connectionLimit: 2 });
  await admin.query(CONTRACT_ROWS_DDL);
});
afterAll(async () => {
  await admin.end();
  await db.drop();
});

/** Empties every table (not the migrations record) so each case starts from a fresh store. */
const wipe = async () => {
  for (const table of TABLES) await admin.query(`DELETE FROM ${table}`);
};

stepStoreContract('MariaDB', async () => {
  await wipe();
  const store = await openMySqlStepStore(db.url);
  return { store, cleanup: () => store.close() };
}, { concurrentTransactions: true });

describe('MySQL step store specifics', () => {
  let store: MySqlStepStore;
  beforeEach(async () => {
    await wipe();
    store = await openMySqlStepStore(db.url);
    return () => store.close();
  });

  it('re-runs a transaction that lost a deadlock, and both transactions commit', async () => {
    const [x, y] = await store.transaction((tx) => tx.insertSteps([draft(), draft()]));
    const runs = { first: 0, second: 0 };
    const firstHolds = deferred();
    const secondHolds = deferred();
    // Each locks one row, then wants the other's: InnoDB kills one with 1213 and the store re-runs it.
    const cross = (name: 'first' | 'second', mine: number, theirs: number, held: typeof firstHolds, other: typeof firstHolds) =>
      store.transaction(async (tx) => {
        runs[name] += 1;
        await tx.getStep('default', mine, { lock: true });
        held.resolve();
        await other.promise;
        await tx.getStep('default', theirs, { lock: true });
        return tx.updateStep('default', mine, ['pending'], { priority: runs[name] });
      });
    const results = await Promise.all([cross('first', x!.id, y!.id, firstHolds, secondHolds), cross('second', y!.id, x!.id, secondHolds, firstHolds)]);
    expect(results).toEqual([true, true]);
    expect(runs.first + runs.second).toBe(3);
  });

  it('sends a last insert and its COMMIT in one packet, refuses a statement after it, and rolls a failed one back', async () => {
    const before = { commits: store.stats.commits, roundTrips: store.stats.roundTrips };
    const [a, b] = await store.transaction((tx) => tx.insertSteps([draft(), draft({ state: 'dispatched', dispatchedAt: T0 })], { last: true }));
    expect({ commits: store.stats.commits - before.commits, roundTrips: store.stats.roundTrips - before.roundTrips }).toEqual({ commits: 1, roundTrips: 1 });
    expect((await store.getStep('default', a!.id))?.state).toBe('pending');
    expect((await store.getStep('default', b!.id))?.dispatchedAt).toBe(T0);
    // The transaction is over once the insert went out with COMMIT: a later write must not slip into the next one.
    await expect(store.transaction(async (tx) => {
      await tx.insertSteps([draft({ label: 'committed' })], { last: true });
      await tx.updateStep('default', a!.id, ['pending'], { priority: 9 });
    })).rejects.toThrow(/after the transaction committed/);
    expect((await store.getStep('default', a!.id))?.priority).toBe(0);
    // A clash stops the packet before its COMMIT: nothing of the transaction stays.
    await store.transaction((tx) => tx.insertSteps([draft({ dedupeKey: 'taken' })]));
    await expect(store.transaction(async (tx) => {
      await tx.insertRow(CONTRACT_ROWS_TABLE, { id: 7, account_id: 3, client_id: 'c7', status: 'new', qty: '1', note: null });
      return tx.insertSteps([draft({ dedupeKey: 'taken' })], { last: true });
    })).rejects.toBeInstanceOf(DuplicateKeyError);
    expect(await store.findRows(CONTRACT_ROWS_TABLE, { id: 7 })).toEqual([]);
  });

  it('starts a block in one round trip and one commit, its first step inserted dispatched', async () => {
    const hop = defineHandler({ name: 'test.hop', lane: 'work', args: z.object({}), run: async () => result.complete() });
    const engine = new StepEngine({ store, queue: new MemoryQueue(), registry: new HandlerRegistry([hop]), worker: 'w' });
    const before = { commits: store.stats.commits, roundTrips: store.stats.roundTrips };
    const steps = await engine.start([{ handler: 'test.hop' }, { handler: 'test.hop' }, { handler: 'test.hop', delayMs: 60_000 }]);
    expect({ commits: store.stats.commits - before.commits, roundTrips: store.stats.roundTrips - before.roundTrips }).toEqual({ commits: 1, roundTrips: 1 });
    const stored = await Promise.all(steps.map((s) => store.getStep('default', s.id)));
    expect(stored.map((s) => [s?.state, s?.dispatchedAt === null])).toEqual([['dispatched', false], ['pending', true], ['pending', true]]);
  });

  it('does not re-run a transaction for other errors', async () => {
    let runs = 0;
    await expect(store.transaction(async () => {
      runs += 1;
      throw new Error('plain failure');
    })).rejects.toThrow('plain failure');
    expect(runs).toBe(1);
  });

  it('refuses identifiers outside [a-z][a-z0-9_]* and keeps values out of the SQL text', async () => {
    for (const table of ['contract_orders; DROP TABLE default_steps', 'Contract_orders', '`contract_orders`', '_x', '']) {
      await expect(store.findRows(table, {})).rejects.toThrow(/invalid SQL identifier/);
    }
    await expect(store.findRows(CONTRACT_ROWS_TABLE, { 'id = id OR 1': 1 })).rejects.toThrow(/invalid SQL identifier/);
    await expect(store.findRows(CONTRACT_ROWS_TABLE, {}, { orderBy: 'id DESC, (SELECT 1)' })).rejects.toThrow(/invalid SQL identifier/);
    await expect(store.transaction((tx) => tx.insertRow(CONTRACT_ROWS_TABLE, { 'id) VALUES (1); --': 1 }))).rejects.toThrow(/invalid SQL identifier/);
    await store.transaction((tx) => tx.insertRow(CONTRACT_ROWS_TABLE, { id: 1, account_id: 3, client_id: "x'); DROP TABLE t; --", status: 'new', qty: '1', note: null }));
    expect((await store.findRows(CONTRACT_ROWS_TABLE, { client_id: "x'); DROP TABLE t; --" }))[0]?.id).toBe(1);
  });

  it('turns a unique clash in a domain update into DuplicateKeyError', async () => {
    await store.transaction(async (tx) => {
      await tx.insertRow(CONTRACT_ROWS_TABLE, { id: 1, account_id: 3, client_id: 'a', status: 'new', qty: '1', note: null });
      await tx.insertRow(CONTRACT_ROWS_TABLE, { id: 2, account_id: 3, client_id: 'b', status: 'new', qty: '1', note: null });
    });
    await expect(store.transaction((tx) => tx.updateRows(CONTRACT_ROWS_TABLE, { id: 2 }, { id: 1 }))).rejects.toBeInstanceOf(DuplicateKeyError);
  });

  it('copies archived steps with their ids and every column', async () => {
    const [root] = await store.transaction((tx) => tx.insertSteps([draft({ args: { positionId: 412 }, label: 'position:412', dedupeKey: 'once' })]));
    await store.transaction((tx) => tx.updateStep('default', root!.id, ['pending'], { state: 'completed', completedAt: T0, response: { ok: true } }));
    const [[live]] = await admin.query<RowDataPacket[]>('SELECT * FROM default_steps WHERE id = ?', [root!.id]);
    expect(await store.archiveSettledTrees('default', T0 + 1, 10)).toBe(1);
    const [[archived]] = await admin.query<RowDataPacket[]>('SELECT * FROM default_steps_archive WHERE id = ?', [root!.id]);
    expect(archived).toEqual(live);
    // The freed dedupe key may be used again; the archive accepts the repeat.
    const [again] = await store.transaction((tx) => tx.insertSteps([draft({ dedupeKey: 'once' })]));
    await store.transaction((tx) => tx.updateStep('default', again!.id, ['pending'], { state: 'skipped', completedAt: T0 }));
    expect(await store.archiveSettledTrees('default', T0 + 1, 10)).toBe(1);
  });
});

describe('migrator and kraite migrate', () => {
  const root = () => createPool({ uri: MYSQL_ROOT_URL, connectionLimit: 1 });
  const emptyDatabase = async () => {
    const name = `kraite_t_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const pool = root();
    await pool.query(`CREATE DATABASE ${name}`);
    await pool.end();
    return { name, url: `${MYSQL_ROOT_URL}/${name}` };
  };
  const dropDatabase = async (name: string) => {
    const pool = root();
    await pool.query(`DROP DATABASE IF EXISTS ${name}`);
    await pool.end();
  };
  const cli = async (argv: string[], env: Record<string, string | undefined> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('is idempotent: a second run applies nothing', async () => {
    expect(await migrate(admin)).toEqual([]);
  });

  it('applies only new files, in order, and refuses a file changed after it was applied', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kraite-migrations-'));
    try {
      const first = await readFile(join(MIGRATIONS_DIR, '0001_steps.sql'), 'utf8');
      await writeFile(join(dir, '0001_steps.sql'), first);
      await writeFile(join(dir, '0003_later.sql'), 'CREATE TABLE later_table (id INT PRIMARY KEY);\nINSERT INTO later_table VALUES (1);\n');
      await writeFile(join(dir, '0002_next.sql'), '-- a comment line\nCREATE TABLE next_table (id INT PRIMARY KEY)\n;\n');
      await writeFile(join(dir, 'README.md'), 'not a migration');
      const heard: string[] = [];
      expect(await migrate(admin, { dir, onApplied: (n) => heard.push(n) })).toEqual(['0002_next.sql', '0003_later.sql']);
      expect(heard).toEqual(['0002_next.sql', '0003_later.sql']);
      expect(await migrate(admin, { dir })).toEqual([]);
      await writeFile(join(dir, '0002_next.sql'), 'CREATE TABLE next_table (id BIGINT PRIMARY KEY);\n');
      await expect(migrate(admin, { dir })).rejects.toBeInstanceOf(MigrationChangedError);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await admin.query('DELETE FROM schema_migrations WHERE name IN (?, ?)', ['0002_next.sql', '0003_later.sql']);
      await admin.query('DROP TABLE IF EXISTS next_table, later_table');
    }
  });

  /** Every migration the repository ships, in order (later issues add files). */
  const shippedMigrations = async () => (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();

  it('lets only one of two migrators running at once apply the migrations', async () => {
    const target = await emptyDatabase();
    const pools = [createMySqlPool(target.url, { connectionLimit: 1 }), createMySqlPool(target.url, { connectionLimit: 1 })];
    try {
      const results = await Promise.all(pools.map((p) => migrate(p)));
      expect(results.flat()).toEqual(await shippedMigrations());
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await dropDatabase(target.name);
    }
  });

  it('kraite migrate prints each applied migration, then reports the schema up to date', async () => {
    const target = await emptyDatabase();
    try {
      const shipped = await shippedMigrations();
      const out = [...shipped.map((m) => `applied ${m}`), `${shipped.length} migration${shipped.length === 1 ? '' : 's'} applied`].join('\n');
      expect(await cli(['migrate', '--url', target.url])).toEqual({ code: 0, out, err: '' });
      expect(await cli(['migrate'], { DATABASE_URL: target.url })).toEqual({ code: 0, out: 'schema is up to date', err: '' });
    } finally {
      await dropDatabase(target.name);
    }
  });

  it('kraite migrate explains a missing, malformed or unreachable database', async () => {
    const missing = await cli(['migrate'], { DATABASE_URL: '' });
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/DATABASE_URL is not set/);
    expect((await cli(['migrate'], { DATABASE_URL: 'postgres://x' })).err).toMatch(/DATABASE_URL/);
    const unreachable = await cli(['migrate', '--url', 'mysql://root:secret@127.0.0.1:1/kraite']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toMatch(/cannot reach MySQL at mysql:\/\/root:\*\*\*@127\.0\.0\.1:1\/kraite/);
    expect(unreachable.err).not.toContain('secret');
    const noDatabase = await cli(['migrate', '--url', MYSQL_ROOT_URL]);
    expect(noDatabase.err).toMatch(/no database selected/);
  });
});
