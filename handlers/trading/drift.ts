// The drift check and self-heal (every 5 minutes, trading.md, issue 13). Local positions and orders
// are compared with the exchange both ways: missing protection; the exchange holding less than our
// fills (an exit we did not see) or more (a fill whose frame was lost), both healed by WAP, which asks
// the exchange; working orders of ours on a flat pair (the position is closed) or of a position that
// already ended (cancelled); positions stuck past the deadline (re-driven, supervise.ts); rows left
// `pending`; exchange-only positions and orders. A finding counts only if a second fresh read of both
// sides still shows it (a failed read concludes nothing: the step retries), and heals from that read.
import { z } from 'zod';
import type { ExchangePort } from '../../core/exchange/exchange.port.ts';
import { compareDecimal, dec } from '../../core/exchange/precision.ts';
import type { HandlerContext } from '../../core/steps/context.ts';
import { result, type BlockStepSpec, type Effect } from '../../core/steps/effects.ts';
import { defineHandler, type HandlerDefinition } from '../../core/steps/registry.ts';
import type { AccountRow } from '../../core/trading/account.ts';
import { allAccounts, findOrderByClientId, getPosition, ordersOf, openPositionsFor } from '../../core/trading/reads.ts';
import { isTerminalOrder, type PositionStatus } from '../../core/trading/statuses.ts';
import { dedupe, wapBlock } from './blocks.ts';
import { TRADING_DEFAULTS, type TradingDeps } from './deps.ts';
import { observeFlat } from './reactions.ts';
import { isStuck, redriveStuck } from './supervise.ts';
import { everExposed, heldAmount } from './exits.ts';
import { perAccount } from './fan-out.ts';
import { currentProfit, ownHeld } from './wap.ts';

/** One discrepancy between our books and the exchange. */
export interface DriftFinding {
  kind: 'missing-protection' | 'exchange-only-position' | 'exchange-only-order' | 'quantity-mismatch' | 'tp-under-coverage'
    | 'orders-on-flat-pair' | 'orphan-order' | 'stuck-position' | 'stale-pending-order';
  symbol: string;
  detail: string;
  positionUuid?: string;
  /** What heals it, applied only when the second look confirms the finding. */
  heal?: Effect[];
}

/** Statuses whose position the lifecycle manages (its exits and WAPs are started from these). */
const MANAGED: readonly PositionStatus[] = ['active', 'syncing', 'waping'];

/** One comparison of local state with one exchange read. */
export async function findDrift(ctx: HandlerContext, account: AccountRow, ex: ExchangePort, deadlineMs: number): Promise<DriftFinding[]> {
  const [legs, orders, algos, local] = await Promise.all([ex.getPositions(), ex.getOpenOrders(), ex.getOpenAlgoOrders(), openPositionsFor(ctx.rows, account.id)]);
  const now = ctx.clock.now();
  const findings: DriftFinding[] = [];
  const ours = new Set<string>();
  const localSymbols = new Set(local.map((p) => p.symbol));
  const liveIds = new Set([...orders.map((o) => o.clientOrderId), ...algos.map((a) => a.clientAlgoId)]);
  const heal = (uuid: string, steps: BlockStepSpec[]): Effect[] => [{ kind: 'start-block', set: 'trading', steps, dedupeKey: dedupe.heal(uuid, Math.floor(now / 300_000)) }];
  for (const p of local) {
    const rows = await ordersOf(ctx.rows, p.id);
    for (const r of rows) ours.add(r.clientOrderId);
    const at = { symbol: p.symbol, positionUuid: p.uuid };
    if (isStuck(p, now, deadlineMs)) {
      findings.push({ kind: 'stuck-position', ...at, detail: `${p.status} since ${new Date(p.updatedAt).toISOString()}`, heal: redriveStuck(p, now, deadlineMs) });
    }
    for (const r of rows.filter((o) => o.status === 'pending' && now - o.createdAt >= deadlineMs)) {
      findings.push({ kind: 'stale-pending-order', ...at, detail: `order ${r.clientOrderId} pending since ${new Date(r.createdAt).toISOString()}` });
    }
    const held = dec(heldAmount(legs.filter((l) => l.symbol === p.symbol))).abs();
    const filled = ownHeld(rows);
    const liveOurs = rows.filter((r) => liveIds.has(r.clientOrderId));
    if (held.isZero() && liveOurs.length > 0 && MANAGED.includes(p.status) && everExposed(rows)) {
      // Flat on the exchange with our orders still working: the position ended without us seeing it.
      findings.push({ kind: 'orders-on-flat-pair', ...at, detail: `exchange is flat, ${liveOurs.length} orders of ours still work: ${liveOurs.map((r) => r.clientOrderId).join(', ')}`, heal: observeFlat(p) });
      continue;
    }
    if (p.status !== 'active') continue;
    const working = rows.filter((r) => !isTerminalOrder(r.status) && r.status !== 'pending');
    for (const role of ['stop', 'profit'] as const) {
      if (!working.some((r) => r.role === role && liveIds.has(r.clientOrderId))) findings.push({ kind: 'missing-protection', ...at, detail: `no working ${role} on the exchange` });
    }
    // Both ways: less than our fills (an exit we did not see), more (a fill whose frame was lost).
    // WAP heals either: it asks the exchange about the TP and stop, or looks the lost fill up.
    if (compareDecimal(held, filled) !== 0) {
      findings.push({ kind: 'quantity-mismatch', ...at, detail: `exchange holds ${held}, our books say ${filled}`, heal: heal(p.uuid, wapBlock(p.uuid)) });
      continue;
    }
    const tp = currentProfit(rows);
    // What the take-profit still covers is its size less what it already sold.
    const covers = tp ? dec(tp.quantity ?? 0).minus(tp.executedQty ?? 0) : dec(0);
    if (tp && !isTerminalOrder(tp.status) && compareDecimal(covers, filled) < 0) {
      findings.push({ kind: 'tp-under-coverage', ...at, detail: `take-profit covers ${covers} of ${filled}`, heal: heal(p.uuid, wapBlock(p.uuid)) });
    }
  }
  for (const l of legs) {
    if (compareDecimal(l.positionAmt, 0) !== 0 && !localSymbols.has(l.symbol)) findings.push({ kind: 'exchange-only-position', symbol: l.symbol, detail: `exchange holds ${l.positionAmt} with no open position of ours` });
  }
  for (const [symbol, id] of [...orders.map((o) => [o.symbol, o.clientOrderId] as const), ...algos.map((a) => [a.symbol, a.clientAlgoId] as const)]) {
    if (ours.has(id)) continue;
    // An order of a position that already ended: ours, but nothing should be working for it.
    const row = await findOrderByClientId(ctx.rows, id);
    const owner = row ? await getPosition(ctx.rows, row.positionId) : null;
    if (owner) {
      findings.push({ kind: 'orphan-order', symbol, positionUuid: owner.uuid, detail: `order ${id} still works for position ${owner.id}, which is ${owner.status}`, heal: heal(owner.uuid, [{ handler: 'trading.cancel-orphans', args: { position: owner.uuid }, lane: 'priority' }]) });
    } else {
      findings.push({ kind: 'exchange-only-order', symbol, detail: `order ${id} is not in our books` });
    }
  }
  return findings;
}

const keyOf = (f: DriftFinding) => `${f.kind}|${f.symbol}|${f.positionUuid ?? ''}`;

/** The drift check handler. */
export function driftHandlers(deps: TradingDeps): HandlerDefinition[] {
  const deadline = deps.exitDeadlineMs ?? TRADING_DEFAULTS.exitDeadlineMs;
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
          const first = await findDrift(ctx, account, ex, deadline);
          if (first.length === 0) continue;
          // Re-check on fresh reads of both sides before concluding anything; heal from the second look.
          const again = new Map((await findDrift(ctx, account, ex, deadline)).map((f) => [keyOf(f), f]));
          const healed = new Set<string>();
          for (const f of first) {
            const confirmed = again.get(keyOf(f));
            if (!confirmed) continue;
            // One heal per position per run: a close outranks a WAP for the same position.
            if (confirmed.heal && !healed.has(confirmed.positionUuid ?? keyOf(f))) {
              healed.add(confirmed.positionUuid ?? keyOf(f));
              effects.push(...confirmed.heal);
            }
            // The TP's under-coverage is healed silently, as before; everything else is also reported.
            if (f.kind !== 'tp-under-coverage') effects.push({ kind: 'notify', severity: 'warning', subject: `drift ${account.name} ${f.symbol} ${f.kind}`, message: f.detail });
          }
        }
        return result.complete(effects);
      },
    }),
  ];
}
