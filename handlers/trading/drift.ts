// The drift check and WAP self-heal (every 5 minutes, trading.md). Local positions and orders are
// compared with the exchange — missing protection, exchange-only positions or orders, quantity
// mismatches — and a finding is reported only if a second fresh read of both sides still shows it
// (a failed read concludes nothing: the step retries). Active positions whose resting take-profit
// covers less than our filled entries get a WAP.
import { z } from 'zod';
import type { ExchangePort } from '../../core/exchange/exchange.port.ts';
import { compareDecimal, dec } from '../../core/exchange/precision.ts';
import type { HandlerContext } from '../../core/steps/context.ts';
import { result, type Effect } from '../../core/steps/effects.ts';
import { defineHandler, type HandlerDefinition } from '../../core/steps/registry.ts';
import type { AccountRow } from '../../core/trading/account.ts';
import { allAccounts, ordersOf, openPositionsFor } from '../../core/trading/reads.ts';
import { isTerminalOrder } from '../../core/trading/statuses.ts';
import { dedupe, wapBlock } from './blocks.ts';
import type { TradingDeps } from './deps.ts';
import { heldAmount } from './exits.ts';
import { perAccount } from './fan-out.ts';
import { currentProfit, ownFilled } from './wap.ts';

/** One discrepancy between our books and the exchange. */
export interface DriftFinding {
  kind: 'missing-protection' | 'exchange-only-position' | 'exchange-only-order' | 'quantity-mismatch' | 'tp-under-coverage';
  symbol: string;
  detail: string;
  positionUuid?: string;
}

/** One comparison of local state with one exchange read. */
export async function findDrift(ctx: HandlerContext, account: AccountRow, ex: ExchangePort): Promise<DriftFinding[]> {
  const [legs, orders, algos, local] = await Promise.all([ex.getPositions(), ex.getOpenOrders(), ex.getOpenAlgoOrders(), openPositionsFor(ctx.rows, account.id)]);
  const findings: DriftFinding[] = [];
  const ours = new Set<string>();
  const localSymbols = new Set(local.map((p) => p.symbol));
  for (const p of local) {
    const rows = await ordersOf(ctx.rows, p.id);
    for (const r of rows) ours.add(r.clientOrderId);
    if (p.status !== 'active') continue;
    const live = (id: string) => orders.some((o) => o.clientOrderId === id) || algos.some((a) => a.clientAlgoId === id);
    const working = rows.filter((r) => !isTerminalOrder(r.status) && r.status !== 'pending');
    for (const role of ['stop', 'profit'] as const) {
      if (!working.some((r) => r.role === role && live(r.clientOrderId))) findings.push({ kind: 'missing-protection', symbol: p.symbol, detail: `no working ${role} on the exchange`, positionUuid: p.uuid });
    }
    const held = dec(heldAmount(legs.filter((l) => l.symbol === p.symbol))).abs();
    const filled = ownFilled(rows);
    if (compareDecimal(held, filled) < 0) findings.push({ kind: 'quantity-mismatch', symbol: p.symbol, detail: `exchange holds ${held}, our fills total ${filled}`, positionUuid: p.uuid });
    const tp = currentProfit(rows);
    if (tp && !isTerminalOrder(tp.status) && compareDecimal(tp.quantity ?? 0, filled) < 0) {
      findings.push({ kind: 'tp-under-coverage', symbol: p.symbol, detail: `take-profit covers ${tp.quantity} of ${filled}`, positionUuid: p.uuid });
    }
  }
  for (const l of legs) {
    if (compareDecimal(l.positionAmt, 0) !== 0 && !localSymbols.has(l.symbol)) findings.push({ kind: 'exchange-only-position', symbol: l.symbol, detail: `exchange holds ${l.positionAmt} with no open position of ours` });
  }
  for (const id of [...orders.map((o) => [o.symbol, o.clientOrderId]), ...algos.map((a) => [a.symbol, a.clientAlgoId])]) {
    if (!ours.has(id[1]!)) findings.push({ kind: 'exchange-only-order', symbol: id[0]!, detail: `order ${id[1]} is not in our books` });
  }
  return findings;
}

const keyOf = (f: DriftFinding) => `${f.kind}|${f.symbol}|${f.positionUuid ?? ''}`;

/** The drift check handler. */
export function driftHandlers(deps: TradingDeps): HandlerDefinition[] {
  return [
    defineHandler({
      name: 'trading.drift-check', lane: 'orders', args: z.object({ accountId: z.number().int().positive().optional() }),
      async run(job, ctx) {
        const now = ctx.clock.now();
        if (job.args.accountId === undefined) return result.complete(perAccount('trading.drift-check', 'orders', await allAccounts(ctx.rows), now, 60_000));
        const accounts = (await allAccounts(ctx.rows)).filter((a) => a.id === job.args.accountId);
        const effects: Effect[] = [];
        for (const account of accounts) {
          const ex = await deps.exchanges.forAccount(account);
          const first = await findDrift(ctx, account, ex);
          if (first.length === 0) continue;
          // Re-check on fresh reads of both sides before concluding anything.
          const again = new Set((await findDrift(ctx, account, ex)).map(keyOf));
          for (const f of first.filter((x) => again.has(keyOf(x)))) {
            if (f.kind === 'tp-under-coverage' && f.positionUuid) {
              effects.push({ kind: 'start-block', set: 'trading', steps: wapBlock(f.positionUuid), dedupeKey: dedupe.heal(f.positionUuid, Math.floor(now / 300_000)) });
            } else {
              effects.push({ kind: 'notify', severity: 'warning', subject: `drift ${account.name} ${f.symbol} ${f.kind}`, message: f.detail });
            }
          }
        }
        return result.complete(effects);
      },
    }),
  ];
}
