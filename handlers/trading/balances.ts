// `trading.store-balances` (every 5 minutes): one balance row per account and run, the quote
// asset as the exchange reports it. Fans out per account like the poll; a failed read retries that
// account alone.
import { z } from 'zod';
import { result } from '../../core/steps/effects.ts';
import { defineHandler, type HandlerDefinition } from '../../core/steps/registry.ts';
import { allAccounts, getAccount } from '../../core/trading/reads.ts';
import { TABLES } from '../../core/trading/tables.ts';
import type { TradingDeps } from './deps.ts';
import { perAccount } from './fan-out.ts';

/** The balance handler. */
export function balanceHandlers(deps: TradingDeps): HandlerDefinition[] {
  return [
    defineHandler({
      name: 'trading.store-balances', lane: 'orders', args: z.object({ accountId: z.number().int().positive().optional() }),
      async run(job, ctx) {
        const now = ctx.clock.now();
        if (job.args.accountId === undefined) return result.complete(perAccount('trading.store-balances', 'orders', await allAccounts(ctx.rows), now, 60_000));
        const account = await getAccount(ctx.rows, job.args.accountId);
        if (!account) return result.skip(`no account ${job.args.accountId}`);
        const balances = await (await deps.exchanges.forAccount(account)).getBalances();
        const b = balances.find((x) => x.asset === account.quoteAsset);
        if (!b) return result.skip(`no ${account.quoteAsset} balance reported`);
        return result.complete([{
          kind: 'insert', table: TABLES.balances, ignoreDuplicate: true,
          row: { account_id: account.id, asset: b.asset, balance: b.balance, available: b.availableBalance, unrealized_pnl: b.crossUnrealizedPnl, taken_at: now },
        }]);
      },
    }),
  ];
}
