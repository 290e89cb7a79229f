// Algo order state changes that the matching engine drives: a triggered algo finishes when its
// child order is done, and close-position (GTE_GTC) algos expire once their position is gone.
import type { SimAccount } from './accounts.ts';
import type { AlgoStatus, SimAlgoOrder } from './algo-order.ts';
import { avgPrice, type SimOrder } from './orders.ts';
import type { PositionSide } from './positions.ts';
import type { SimState } from './sim-state.ts';
import { algoUpdate } from './user-events.ts';

/** Moves an algo order to `status` and publishes ALGO_UPDATE. */
export function setAlgoStatus(state: SimState, account: SimAccount, algo: SimAlgoOrder, status: AlgoStatus, reason?: string): void {
  algo.status = status;
  algo.updateTime = state.now();
  if (reason) algo.reason = reason;
  state.emit({ kind: 'user', apiKey: account.apiKey, frame: algoUpdate(algo, algo.updateTime) });
}

/** Marks the parent algo FINISHED (with the child's average price and quantity) once the child is done. */
export function finishAlgoChild(state: SimState, account: SimAccount, order: SimOrder): void {
  if (order.algoId === undefined) return;
  const algo = account.algoOrders.get(order.algoId);
  if (!algo || algo.status !== 'TRIGGERED') return;
  algo.actualAvgPrice = avgPrice(order);
  algo.actualQty = order.executedQty;
  setAlgoStatus(state, account, algo, 'FINISHED');
}

/** The leg a close-position algo closes: BOTH in one-way mode, else the side it sells out of. */
export function closedLegSide(algo: Pick<SimAlgoOrder, 'side' | 'positionSide'>): PositionSide {
  if (algo.positionSide !== 'BOTH') return algo.positionSide;
  return 'BOTH';
}

/** Expires close-position algos whose leg is flat when the account has no working orders on the symbol. */
export function expireOrphanedCloseAll(state: SimState, account: SimAccount, symbol: string): void {
  if (account.working(symbol).length > 0) return;
  for (const algo of account.workingAlgos(symbol)) {
    if (!algo.closePosition) continue;
    if (!account.leg(symbol, closedLegSide(algo)).amount.isZero()) continue;
    setAlgoStatus(state, account, algo, 'EXPIRED');
  }
}
