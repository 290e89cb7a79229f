// Periodic account-wide jobs (the order poll, the drift check) fan out to one block per account,
// so one slow or failing account never holds up the others and each retries on its own. Every
// account is covered whatever its trading switch says: the switch gates new positions only, open
// ones are managed until they end.
import type { Effect } from '../../core/steps/effects.ts';
import type { AccountRow } from '../../core/trading/account.ts';

/** One root block of `handler` per account, at most one per account per `bucketMs` window. */
export function perAccount(handler: string, lane: string, accounts: readonly AccountRow[], now: number, bucketMs: number): Effect[] {
  const bucket = Math.floor(now / bucketMs);
  return accounts.map((a): Effect => ({
    kind: 'start-block', set: 'trading', steps: [{ handler, args: { accountId: a.id }, lane }], dedupeKey: `${handler}:${a.id}:${bucket}`,
  }));
}
