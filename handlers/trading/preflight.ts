// The open tick (every 3 minutes): one preflight per account whose trading switch is on. The
// preflight checks the balance and the regime's allowance, reads positions and open orders in
// parallel, fills free LONG and SHORT slots with eligible symbols (never a pair open locally, on
// the exchange, or already picked in this batch, in either direction) and starts one open block
// per new position, passing over a ranked symbol the account's size cannot open. Candidates come
// from the ranking in the deps: market intelligence's token selection when wired, else the
// symbols' stored direction and eligibility flags.
import { z } from 'zod';
import { compareDecimal } from '../../core/exchange/precision.ts';
import { result, type Effect } from '../../core/steps/effects.ts';
import { defineHandler, type HandlerDefinition } from '../../core/steps/registry.ts';
import type { RowReader } from '../../core/steps/step-store.port.ts';
import { readPauseOpens } from '../../core/trading/pause-opens.ts';
import { insertPosition } from '../../core/trading/position-effects.ts';
import { eligibleSymbols, getAccount, getSymbol, openPositionsFor, tradingAccounts } from '../../core/trading/reads.ts';
import { DIRECTIONS, type Direction } from '../../core/trading/statuses.ts';
import { dedupe, openBlock } from './blocks.ts';
import { OPEN_ALWAYS, type TradingDeps } from './deps.ts';
import { sizeMisfit } from './size-fit.ts';

/** What slot assignment asks the ranking for one direction. */
export interface RankQuery {
  accountId: number;
  direction: Direction;
  count: number;
  /** Pairs never to pick: open locally or on the exchange, either direction. */
  exclude: readonly string[];
  now: number;
  exchange: string;
}

/** Ranks candidate symbols for a direction, best first (market intelligence's token selection). */
export type CandidateRanking = (rows: RowReader, q: RankQuery) => Promise<string[]>;

/** The ranking before market intelligence: the symbols' stored direction and eligibility flags, by name. */
export const storedFlagRanking: CandidateRanking = async (rows, q) =>
  (await eligibleSymbols(rows, q.direction, q.exchange)).map((s) => s.symbol).filter((s) => !q.exclude.includes(s));

/** Picks up to `free[d]` symbols per direction from the ranked lists, skipping every pair in `taken` (either direction). */
export function assignSlots(free: Record<Direction, number>, ranked: Record<Direction, readonly string[]>, taken: Set<string>): { symbol: string; direction: Direction }[] {
  const picks: { symbol: string; direction: Direction }[] = [];
  for (const direction of DIRECTIONS) {
    let left = free[direction];
    for (const symbol of ranked[direction]) {
      if (left <= 0) break;
      if (taken.has(symbol)) continue;
      taken.add(symbol);
      picks.push({ symbol, direction });
      left--;
    }
  }
  return picks;
}

/** The open tick and the per-account preflight. */
export function preflightHandlers(deps: TradingDeps): HandlerDefinition[] {
  const allowance = deps.allowance ?? (async () => OPEN_ALWAYS);
  const rank = deps.ranking ?? storedFlagRanking;
  return [
    defineHandler({
      name: 'trading.open-positions', lane: 'positions', args: z.object({}),
      async run(_job, ctx) {
        const now = ctx.clock.now();
        const bucket = Math.floor(now / 60_000);
        return result.complete((await tradingAccounts(ctx.rows)).map((a): Effect => ({
          kind: 'start-block', set: 'trading', steps: [{ handler: 'trading.preflight', args: { accountId: a.id } }], dedupeKey: `preflight:${a.id}:${bucket}`,
        })));
      },
    }),
    defineHandler({
      name: 'trading.preflight', lane: 'positions', args: z.object({ accountId: z.number().int().positive() }),
      async run(job, ctx) {
        const account = await getAccount(ctx.rows, job.args.accountId);
        if (!account?.tradingEnabled) return result.skip('trading is switched off');
        const pause = await readPauseOpens(ctx.rows);
        if (pause.paused) return result.skip(`new opens are paused fleet-wide by ${pause.by}: ${pause.reason}`);
        const now = ctx.clock.now();
        const gate = await allowance(account, now);
        if (!gate.allowed) return result.skip(`regime: ${gate.reason}`);
        const ex = await deps.exchanges.forAccount(account);
        const [balances, legs, orders, local] = await Promise.all([ex.getBalances(), ex.getPositions(), ex.getOpenOrders(), openPositionsFor(ctx.rows, account.id)]);
        const available = balances.find((b) => b.asset === account.quoteAsset)?.availableBalance ?? '0';
        if (compareDecimal(available, account.minBalance) < 0) return result.skip(`balance ${available} ${account.quoteAsset} is below the minimum ${account.minBalance}`);
        const taken = new Set([...local.map((p) => p.symbol), ...legs.filter((l) => compareDecimal(l.positionAmt, 0) !== 0).map((l) => l.symbol), ...orders.map((o) => o.symbol)]);
        const free = {} as Record<Direction, number>;
        for (const d of DIRECTIONS) {
          const cap = Math.min(account.settings[d].slots, gate.maxPerDirection[d]);
          free[d] = Math.max(0, cap - local.filter((p) => p.direction === d).length);
        }
        const ranked = {} as Record<Direction, string[]>;
        for (const d of DIRECTIONS) {
          // Ask for enough to survive the other direction's picks taking a shared pair.
          const count = free.LONG + free.SHORT;
          ranked[d] = free[d] > 0 ? await rank(ctx.rows, { accountId: account.id, direction: d, count, exclude: [...taken], now, exchange: account.exchange }) : [];
        }
        // A symbol the account's size cannot open would hold the slot and fail at simulate-ladder
        // every tick; the next ranked symbol gets it instead. Checked lazily: one mark price per
        // candidate actually considered.
        for (const d of DIRECTIONS) {
          const kept: string[] = [];
          for (const symbol of ranked[d]) {
            if (kept.length >= free.LONG + free.SHORT) break;
            const row = await getSymbol(ctx.rows, symbol, account.exchange);
            const misfit = row === null ? 'symbol unknown' : sizeMisfit(d, account.settings[d], gate, row, (await ex.getMarkPrice(symbol)).markPrice);
            if (misfit === null) kept.push(symbol);
            else ctx.log.info('preflight skipped a symbol the account size cannot open', { account: account.id, symbol, direction: d, reason: misfit });
          }
          ranked[d] = kept;
        }
        const picks = assignSlots(free, ranked, taken);
        if (picks.length === 0) return result.skip('no free slot with an eligible symbol');
        const effects: Effect[] = [];
        for (const pick of picks) {
          const uuid = ctx.ids.uuid();
          effects.push(
            insertPosition({ uuid, account, symbol: pick.symbol, direction: pick.direction, regimeBand: gate.band, regimeScore: gate.score }, now),
            { kind: 'start-block', set: 'trading', steps: openBlock(uuid), dedupeKey: dedupe.open(uuid) },
          );
        }
        ctx.log.info('preflight picked', { account: account.id, picks: picks.map((p) => `${p.direction} ${p.symbol}`).join(', ') });
        return result.complete(effects);
      },
    }),
  ];
}
