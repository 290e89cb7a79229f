// The whole restore: the database half (restore-database.ts), then the reconciliation pass per
// account with trading off, then the position counter moved past every position id the exchange
// still shows in a client id of ours, so a new position can never reuse an id (and with it the
// client ids) of one the backup missed.
import { systemClock } from '../../core/ports/clock.ts';
import type { ExchangeDirectory } from '../../core/trading/exchange-directory.ts';
import { createMySqlPool } from '../adapters/mysql/mysql-pool.ts';
import { openMySqlStepStore } from '../adapters/mysql/open-mysql-store.ts';
import type { BackupConfig } from './backup-config.ts';
import { reconcileRestoredFleet, type ReconciliationReport } from './reconcile-restore.ts';
import { restoreDatabase, type RestoredDatabase } from './restore-database.ts';
import type { ObjectStore } from './s3-store.ts';

/** What a restore did, for the operator. */
export interface RestoreResult extends RestoredDatabase {
  reconciliation: ReconciliationReport;
  /** Milliseconds from the start to a reconciled fleet. */
  tookMs: number;
}

/** Restores backup `from`, then reconciles every account with its exchange (reads only). */
export async function restoreFleet(o: {
  config: BackupConfig; store: ObjectStore; from: string; force: boolean; exchanges: ExchangeDirectory;
  now?: () => number; say?: (line: string) => void;
}): Promise<RestoreResult> {
  const now = o.now ?? (() => systemClock.now());
  const started = now();
  const restored = await restoreDatabase(o);
  const stepStore = await openMySqlStepStore(o.config.DATABASE_URL);
  let reconciliation: ReconciliationReport;
  try {
    reconciliation = await reconcileRestoredFleet({ store: stepStore, exchanges: o.exchanges, now });
  } finally {
    await stepStore.close();
  }
  if (reconciliation.highestPositionId > 0) {
    const pool = createMySqlPool(o.config.DATABASE_URL, { connectionLimit: 1 });
    try {
      // InnoDB keeps the larger of this and MAX(id)+1, so it never moves the counter backwards.
      await pool.query(`ALTER TABLE positions AUTO_INCREMENT = ${reconciliation.highestPositionId + 1}`);
    } finally {
      await pool.end();
    }
  }
  return { ...restored, reconciliation, tookMs: now() - started };
}

/** The reconciliation report as lines for a terminal. */
export function formatReconciliation(report: ReconciliationReport): string[] {
  const lines: string[] = [];
  for (const a of report.accounts) {
    lines.push(`account ${a.accountId} (${a.name}):${a.error ? ` NOT RECONCILED: ${a.error}` : ''}`);
    if (a.error) continue;
    for (const p of a.adoptedPositions) lines.push(`  adopted position ${p.positionId} ${p.symbol} ${p.direction} qty ${p.quantity}: ${p.orders.join(', ')}`);
    for (const r of a.adoptedOrders) lines.push(`  adopted order ${r.clientOrderId} of position ${r.positionId}`);
    for (const u of a.unadopted) lines.push(`  NOT ADOPTED ${u.symbol} ${u.clientOrderIds.join(', ')}: ${u.reason}`);
    for (const f of a.foreignPositions) lines.push(`  exchange position ${f.symbol} ${f.positionAmt} carries no order of ours: manual or foreign, left alone`);
    for (const b of a.booksOnly) lines.push(`  books-only position ${b.positionId} ${b.symbol} (${b.status}): no exposure on the exchange`);
    if (!a.adoptedPositions.length && !a.adoptedOrders.length && !a.unadopted.length && !a.foreignPositions.length && !a.booksOnly.length) lines.push('  books and exchange agree');
  }
  return lines;
}
