// The StepStore, claim and engine contracts on the PlanetScale store: the real @planetscale/database
// client over HTTP to the protocol shim (test/support/planetscale-shim.ts) in front of MariaDB. The
// shim counts changed rows as Vitess does, so the contract's "matched but unchanged" cases prove the
// row_version bump (migration 0020) keeps this store and the mysql2 one in agreement.
import { createPool, type Pool } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import { openPlanetScaleStepStore } from '../core/adapters/planetscale/planetscale-step-store.ts';
import { createMySqlPool } from '../edge/adapters/mysql/mysql-pool.ts';
import { engineContract } from './contracts/engine.contract.ts';
import { stepClaimContract } from './contracts/step-claim.contract.ts';
import { CONTRACT_ROWS_DDL, CONTRACT_ROWS_TABLE, stepStoreContract } from './contracts/step-store.contract.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import type { PlanetScaleShim} from './support/planetscale-shim.ts';
import { startPlanetScaleShim } from './support/planetscale-shim.ts';
import { T0, deferred, draft } from './support/step-drafts.ts';

const TABLES = ['default_steps', 'trading_steps', 'default_steps_archive', 'trading_steps_archive', 'step_events', 'dispatch_saturation', CONTRACT_ROWS_TABLE];

let db: TestDatabase;
let admin: Pool;
let shim: PlanetScaleShim;
beforeAll(async () => {
  db = await freshDatabase();
  admin = createMySqlPool(db.url, { connectionLimit: 2 });
  await admin.query(CONTRACT_ROWS_DDL);
  shim = await startPlanetScaleShim(db.url);
});
afterAll(async () => {
  await shim.close();
  await admin.end();
  await db.drop();
});

const wipe = async () => {
  for (const table of TABLES) await admin.query(`DELETE FROM ${table}`);
};
const open = async () => {
  await wipe();
  const store = await openPlanetScaleStepStore(shim.url);
  return { store, cleanup: () => store.close() };
};

stepStoreContract('PlanetScale (shim)', open, { concurrentTransactions: true });
stepClaimContract('PlanetScale (shim)', open);
engineContract('PlanetScale (shim) with the in-process queue', async () => {
  const { store, cleanup } = await open();
  return { store, queue: new MemoryQueue(), cleanup };
});

describe('PlanetScale store specifics', () => {
  it('counts changed rows on the wire, so only the row_version bump makes an unchanged match count', async () => {
    await wipe();
    const store = await openPlanetScaleStepStore(shim.url);
    const [step] = await store.transaction((tx) => tx.insertSteps([draft({ priority: 4 })]));
    // The same statement without the bump, sent straight through the shim, reports 0.
    const raw = createPool({ uri: db.url, flags: ['-FOUND_ROWS'], connectionLimit: 1 });
    try {
      const [res] = await raw.query('UPDATE default_steps SET priority = 4 WHERE id = ?', [step!.id]);
      expect((res as { affectedRows: number }).affectedRows).toBe(0);
    } finally {
      await raw.end();
    }
    expect(await store.transaction((tx) => tx.updateStep('default', step!.id, ['pending'], { priority: 4 }))).toBe(true);
    const [[row]] = await admin.query('SELECT row_version FROM default_steps WHERE id = ?', [step!.id]) as unknown as [[{ row_version: number }]];
    expect(row.row_version).toBe(1);
  });

  it('costs one round trip per statement plus BEGIN and COMMIT, and reuses prepared sessions', async () => {
    await wipe();
    const store = await openPlanetScaleStepStore(shim.url);
    const before = { ...store.stats };
    await store.transaction(async (tx) => {
      const [s] = await tx.insertSteps([draft()]);
      await tx.updateStep('default', s!.id, ['pending'], { state: 'dispatched', dispatchedAt: T0 });
    });
    expect(store.stats.statements - before.statements).toBe(4);
    expect(store.stats.commits - before.commits).toBe(1);
    await store.transaction((tx) => tx.findRows(CONTRACT_ROWS_TABLE, {}));
    expect(store.sessions.opened).toBe(1);
  });

  it('re-runs a transaction that lost a deadlock (errno 1213 read from the PlanetScale error), and both commit', async () => {
    await wipe();
    const store = await openPlanetScaleStepStore(shim.url);
    const [x, y] = await store.transaction((tx) => tx.insertSteps([draft(), draft()]));
    const runs = { first: 0, second: 0 };
    const firstHolds = deferred();
    const secondHolds = deferred();
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
    expect(store.stats.deadlocks).toBe(1);
  });

  it('names the host when the credentials are refused', async () => {
    const bad = shim.url.replace('pscale_pw_shim', 'wrong');
    await expect(openPlanetScaleStepStore(bad)).rejects.toThrow(/cannot reach the PlanetScale database at 127\.0\.0\.1:\d+: invalid database credentials/);
  });
});
