// Paper mode's market data: the embedded simulator stands in for the mark-price stream and for the
// first hourly kline fetch, so the admin's mark-price table and the market regime show real
// figures from the first minute of `npm start` instead of "never priced" / "not reported yet".
import type { ExchangeMarketData } from '../exchange/exchange.port.ts';
import type { BlockStepSpec } from '../steps/effects.ts';
import type { StepStore } from '../steps/step-store.port.ts';
import { applyRowEffects } from './apply-row-effects.ts';
import { recordMarkPrice } from './exchange-symbol.ts';

/**
 * Writes the simulator's current mark prices onto the symbols rows (as the mark-price daemon does
 * live); returns how many. `markAt` says when a symbol's price was last heard of (paper trading on
 * live prices: when the followed market sent it, so a silent market shows as stale; null: never,
 * not written); without it the walk's prices are as of `now`.
 */
export async function recordPaperMarks(store: StepStore, exchange: Pick<ExchangeMarketData, 'getMarkPrices'>, now: number, markAt?: (symbol: string) => number | null): Promise<number> {
  const marks = (await exchange.getMarkPrices()).map((m) => ({ ...m, at: markAt ? markAt(m.symbol) : now })).filter((m) => m.at !== null);
  // `required: false`: a simulator symbol the store does not list is no error.
  await store.transaction((tx) => applyRowEffects(tx, marks.map((m) => ({ ...recordMarkPrice(m.symbol, m.markPrice, m.at!), required: false }))));
  return marks.length;
}

/** The block that fetches the hourly klines (from the simulator in paper mode) and then computes the regime, so the first snapshot exists at once. */
export function paperRegimeBlock(): BlockStepSpec[] {
  return [
    { handler: 'market.klines.schedule', args: { interval: '1h' }, index: 1 },
    { handler: 'market.regime.compute', args: {}, index: 2 },
  ];
}
