// Sync (trading.md): the user-data frame handler (primary, pushed in < 100 ms) and the 5-minute
// poll of working orders (fallback). Both turn what the exchange says into the same conditional
// writes and deduplicated reactions (reactions.ts); only working orders are polled.
import { z } from 'zod';
import type { AccountTrade, SymbolFilters } from '../../core/exchange/exchange.port.ts';
import { compareDecimal, dec, toDecimalString } from '../../core/exchange/precision.ts';
import { result, type Effect } from '../../core/steps/effects.ts';
import type { HandlerContext } from '../../core/steps/context.ts';
import { defineHandler, type HandlerDefinition } from '../../core/steps/registry.ts';
import { symbolFilters } from '../../core/trading/exchange-symbol.ts';
import { echoOfAlgo, echoOfOrder, UnknownExchangeStatusError, type OrderEcho } from '../../core/trading/order-effects.ts';
import { mergeEffects, type MergeInput } from '../../core/trading/order-merge.ts';
import { toOrder, type OrderRow } from '../../core/trading/order.ts';
import { toPosition, type PositionRow } from '../../core/trading/position.ts';
import { allAccounts, findOrderByClientId, getAccount, getPosition, getSymbol, openPositionsFor, ordersOf } from '../../core/trading/reads.ts';
import { TABLES } from '../../core/trading/tables.ts';
import type { TradingDeps } from './deps.ts';
import { heldAmount, isFlat } from './exits.ts';
import { perAccount } from './fan-out.ts';
import { accountFrame, algoFrame, algoOfFrame, frameProblem, orderFrame, orderOfFrame, tradeOfFrame } from './frames.ts';
import { findOnExchange } from './placement.ts';
import { observeFlat, observeOrder } from './reactions.ts';

/** Arguments of a user-data frame step (the stream daemon's contract). */
export const frameArgs = z.object({ accountId: z.number().int().positive(), eventId: z.number().int().nullable().default(null), frame: z.record(z.string(), z.unknown()) });

async function rowContext(ctx: HandlerContext, clientOrderId: string): Promise<{ row: OrderRow; position: PositionRow; filters: SymbolFilters } | null> {
  const row = await findOrderByClientId(ctx.rows, clientOrderId);
  if (!row) return null;
  const [position, symbol] = await Promise.all([getPosition(ctx.rows, row.positionId), getSymbol(ctx.rows, row.symbol)]);
  if (!position || !symbol) return null;
  return { row, position, filters: symbolFilters(symbol) };
}

/**
 * What an order's trades say about its commission: the total, only when they show exactly the
 * quantity the row holds (trades that lag or lead the row are left to the next poll and the ledger).
 */
function tradedCommission(row: OrderRow, trades: readonly AccountTrade[]): MergeInput {
  const qty = trades.reduce((sum, t) => sum.plus(t.qty), dec(0));
  if (compareDecimal(qty, row.executedQty ?? 0) !== 0) return { status: row.status };
  return { status: row.status, executedQty: toDecimalString(qty), commission: toDecimalString(trades.reduce((sum, t) => sum.plus(t.commission), dec(0))) };
}

function echoOrSkip(make: () => OrderEcho): OrderEcho | string {
  try {
    return make();
  } catch (error) {
    if (error instanceof UnknownExchangeStatusError) return error.message;
    throw error;
  }
}

/** The frame handler and the poll. */
export function syncHandlers(deps: TradingDeps): HandlerDefinition[] {
  return [
    defineHandler({
      name: 'trading.user-data-frame', lane: 'user-data-stream', args: frameArgs, maxAttempts: 5,
      async run(job, ctx) {
        const { frame, accountId } = job.args;
        const at = ctx.clock.now();
        switch (frame.e) {
          case 'ORDER_TRADE_UPDATE':
          case 'ALGO_UPDATE': {
            const parsed = frame.e === 'ORDER_TRADE_UPDATE' ? orderFrame.safeParse(frame) : algoFrame.safeParse(frame);
            if (!parsed.success) return result.skip(`malformed ${String(frame.e)}: ${frameProblem(parsed.error)}`);
            const f = parsed.data;
            const clientId = f.e === 'ORDER_TRADE_UPDATE' ? f.o.c : f.o.caid;
            const found = await rowContext(ctx, clientId);
            if (!found || found.row.accountId !== accountId) return result.skip(`order ${clientId} is not ours`);
            const echo = echoOrSkip(() => (f.e === 'ORDER_TRADE_UPDATE' ? echoOfOrder(orderOfFrame(f), found.filters) : echoOfAlgo(algoOfFrame(f), found.filters)));
            if (typeof echo === 'string') return result.skip(echo);
            // An order frame's trade carries its commission: the fill's fee is known while the position is open.
            const trade = f.e === 'ORDER_TRADE_UPDATE' ? tradeOfFrame(f) : undefined;
            return result.complete(observeOrder(found.row, trade ? { ...echo, trade } : echo, found.position, at));
          }
          case 'ACCOUNT_UPDATE': {
            const parsed = accountFrame.safeParse(frame);
            if (!parsed.success) return result.skip(`malformed ACCOUNT_UPDATE: ${frameProblem(parsed.error)}`);
            const flat = new Set(parsed.data.a.P.filter((p) => isFlat(p.pa)).map((p) => p.s));
            if (flat.size === 0) return result.complete();
            const open = (await openPositionsFor(ctx.rows, accountId)).filter((p) => flat.has(p.symbol));
            return result.complete(open.flatMap((p) => observeFlat(p)));
          }
          default:
            return result.skip(`frame ${String(frame.e)} needs no reaction`);
        }
      },
    }),
    defineHandler({
      name: 'trading.sync-orders', lane: 'orders', args: z.object({ accountId: z.number().int().positive().optional() }),
      async run(job, ctx) {
        const at = ctx.clock.now();
        if (job.args.accountId === undefined) return result.complete(perAccount('trading.sync-orders', 'orders', await allAccounts(ctx.rows), at, 60_000));
        const account = await getAccount(ctx.rows, job.args.accountId);
        if (!account) return result.skip(`no account ${job.args.accountId}`);
        const ex = await deps.exchanges.forAccount(account);
        const working = [
          ...(await ctx.rows.findRows(TABLES.orders, { account_id: account.id, status: 'working' })),
          ...(await ctx.rows.findRows(TABLES.orders, { account_id: account.id, status: 'partially_filled' })),
        ].map(toOrder);
        const effects: Effect[] = [];
        const touched = new Set<string>();
        // One read of a symbol's open orders covers every working row on it (a position's rungs and
        // protection share its symbol); a row missing from it has finished and is looked up alone.
        const bySymbol = new Map<string, OrderRow[]>();
        for (const row of working) bySymbol.set(row.symbol, [...(bySymbol.get(row.symbol) ?? []), row]);
        for (const [symbolName, rows] of bySymbol) {
          const symbol = await getSymbol(ctx.rows, symbolName);
          if (!symbol) continue;
          const filters = symbolFilters(symbol);
          const [orders, algos] = await Promise.all([ex.getOpenOrders(symbolName), ex.getOpenAlgoOrders(symbolName)]);
          const open = new Map<string, OrderEcho>([
            ...orders.map((o): [string, OrderEcho] => [o.clientOrderId, echoOfOrder(o, filters)]),
            ...algos.map((a): [string, OrderEcho] => [a.clientAlgoId, echoOfAlgo(a, filters)]),
          ]);
          const positions = new Map<number, PositionRow | null>();
          for (const row of rows) {
            if (!positions.has(row.positionId)) positions.set(row.positionId, await getPosition(ctx.rows, row.positionId));
            const position = positions.get(row.positionId);
            if (!position) continue;
            const echo = open.get(row.clientOrderId) ?? (await findOnExchange(ex, row, filters));
            const observed = echo ? observeOrder(row, echo, position, at) : [];
            if (observed.length > 0) touched.add(row.clientOrderId);
            effects.push(...observed);
          }
        }
        // Fills whose commission no frame brought (the frame lost, or an answer merged first): the order's
        // trades fill it in. Not required: a row another source moved meanwhile is filled in by the next poll.
        for (const position of await openPositionsFor(ctx.rows, account.id)) {
          for (const row of await ordersOf(ctx.rows, position.id)) {
            if (row.isAlgo || row.commission !== null || row.exchangeOrderId === null || touched.has(row.clientOrderId) || compareDecimal(row.executedQty ?? 0, 0) <= 0) continue;
            effects.push(...mergeEffects(row, tradedCommission(row, await ex.getAccountTrades({ symbol: row.symbol, orderId: row.exchangeOrderId })), { at, required: false }));
          }
        }
        // A position the exchange no longer holds (closed by hand, liquidated): same path as the stream's flat update.
        const active = (await ctx.rows.findRows(TABLES.positions, { account_id: account.id, status: 'active' })).map(toPosition);
        if (active.length > 0) {
          const legs = await ex.getPositions();
          for (const p of active) if (isFlat(heldAmount(legs.filter((l) => l.symbol === p.symbol)))) effects.push(...observeFlat(p));
        }
        return result.complete(effects);
      },
    }),
  ];
}
