// The trading scenarios on the PlanetScale store (the real @planetscale/database client through the
// protocol shim to MariaDB) with the in-process queue: every conditional write the handlers make on
// orders, positions, accounts and symbols must count its row with changed-row semantics (migration 0020).
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import { openPlanetScaleStepStore } from '../core/adapters/planetscale/planetscale-step-store.ts';
import { ledgerScenarios } from './contracts/ledger-scenarios.contract.ts';
import { tradingScenarios } from './contracts/trading-scenarios.contract.ts';
import { freshDatabase } from './support/mysql-database.ts';
import { startPlanetScaleShim } from './support/planetscale-shim.ts';

const planetScaleParts = async () => {
  const db = await freshDatabase();
  const shim = await startPlanetScaleShim(db.url);
  const store = await openPlanetScaleStepStore(shim.url);
  return {
    store, queue: new MemoryQueue(),
    async cleanup() {
      await store.close();
      await shim.close();
      await db.drop();
    },
  };
};

tradingScenarios('the PlanetScale store (shim) with the in-process queue', planetScaleParts);
ledgerScenarios('the PlanetScale store (shim) with the in-process queue', planetScaleParts);
