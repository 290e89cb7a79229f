// Open block, steps 1-6: everything before money moves. The pair is verified clear on the
// exchange, margin mode and leverage are set, and the whole ladder is simulated against a fresh
// mark price; a ladder that cannot clear the filters fails here, before the market order.
import type { LeverageTier } from '../../core/exchange/exchange.port.ts';
import { compareDecimal, dec, toDecimalString } from '../../core/exchange/precision.ts';
import { result } from '../../core/steps/effects.ts';
import { defineHandler, type HandlerDefinition } from '../../core/steps/registry.ts';
import { insertOrder } from '../../core/trading/order-effects.ts';
import { movePosition, patchPosition } from '../../core/trading/position-effects.ts';
import { positionArgs } from './blocks.ts';
import { OPEN_ALWAYS, type TradingDeps } from './deps.ts';
import { computeLadder, LadderError } from './ladder.ts';
import { entryOrder } from './order-rows.ts';
import { loadScope, requireScope } from './scope.ts';

const lane = 'positions';

/** The highest leverage ≤ `wanted` whose bracket still admits the notional it implies. */
export function leverageFor(wanted: number, margin: string, tiers: readonly LeverageTier[]): number {
  let best = 1;
  for (let lev = Math.max(1, Math.floor(wanted)); lev >= 1; lev--) {
    const size = dec(margin).times(lev);
    const tier = tiers.find((t) => compareDecimal(size, t.notionalFloor) >= 0 && (compareDecimal(t.notionalCap, 0) === 0 || compareDecimal(size, t.notionalCap) <= 0));
    if (tiers.length === 0 || (tier && tier.initialLeverage >= lev)) { best = lev; break; }
  }
  return best;
}

/** Steps 1-6 of the open block. */
export function openPrepareHandlers(deps: TradingDeps): HandlerDefinition[] {
  const allowance = deps.allowance ?? (async () => OPEN_ALWAYS);
  return [
    defineHandler({
      name: 'trading.open.verify-pair', lane, args: positionArgs,
      async run(job, ctx) {
        // No row: the open-pair guard refused the insert, so another position already holds the pair.
        const s = await loadScope(ctx, deps, job.args.position);
        if (!s) return result.stop('pair already held by another open position');
        if (s.position.status !== 'new') return result.skip(`position is ${s.position.status}`);
        const [legs, orders, algos] = await Promise.all([
          s.exchange.getPositions(s.position.symbol), s.exchange.getOpenOrders(s.position.symbol), s.exchange.getOpenAlgoOrders(s.position.symbol),
        ]);
        const open = legs.some((l) => compareDecimal(l.positionAmt, 0) !== 0);
        if (open || orders.length > 0 || algos.length > 0) {
          return result.fail(`${s.position.symbol} is already open on the exchange (${legs.length} legs, ${orders.length} orders, ${algos.length} algo orders)`);
        }
        return result.complete();
      },
    }),
    defineHandler({
      name: 'trading.open.margin-mode', lane, args: positionArgs,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        await s.exchange.setMarginType(s.position.symbol, s.account.marginType);
        return result.complete();
      },
    }),
    defineHandler({
      name: 'trading.open.prepare', lane, args: positionArgs,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        if (s.position.status !== 'new') return result.skip(`position is ${s.position.status}`);
        const now = ctx.clock.now();
        const gate = await allowance(s.account, now);
        const margin = toDecimalString(dec(s.position.margin).times(gate.marginFactor));
        return result.complete([movePosition(s.position.id, 'new', 'opening', { at: now, set: { margin } })]);
      },
    }),
    defineHandler({
      name: 'trading.open.leverage', lane, args: positionArgs,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        if (s.position.status !== 'opening') return result.skip(`position is ${s.position.status}`);
        const tiers = s.symbol.leverageBrackets ?? (await s.exchange.getLeverageBrackets(s.position.symbol))[0]?.brackets ?? [];
        const gate = await allowance(s.account, ctx.clock.now());
        const wanted = Math.max(1, Math.floor(s.account.settings[s.position.direction].leverage * gate.leverageFactor));
        const leverage = leverageFor(wanted, s.position.margin, tiers);
        return result.complete([patchPosition(s.position.id, 'opening', { at: ctx.clock.now(), set: { leverage } })]);
      },
    }),
    defineHandler({
      name: 'trading.open.set-leverage', lane, args: positionArgs,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        if (s.position.status !== 'opening' || s.position.leverage === null) return result.fail(`position is ${s.position.status} without a leverage`);
        await s.exchange.setLeverage(s.position.symbol, s.position.leverage);
        return result.complete();
      },
    }),
    defineHandler({
      name: 'trading.open.simulate-ladder', lane, args: positionArgs,
      async run(job, ctx) {
        const s = await requireScope(ctx, deps, job.args.position);
        if (s.position.status !== 'opening' || s.position.leverage === null) return result.fail(`position is ${s.position.status} without a leverage`);
        const mark = await s.exchange.getMarkPrice(s.position.symbol);
        try {
          const ladder = computeLadder({ ...s.position, leverage: s.position.leverage, ref: mark.markPrice, filters: s.filters });
          const { effect } = insertOrder(entryOrder(s.position, s.prefix, ladder.entryQty), ctx.clock.now());
          return result.complete([effect]);
        } catch (error) {
          if (error instanceof LadderError) return result.fail(`ladder does not fit ${s.position.symbol}: ${error.message}`);
          throw error;
        }
      },
    }),
  ];
}
