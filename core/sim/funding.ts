// Funding: at every 8-hourly funding time each open leg pays (or receives) its notional at the mark
// price times the symbol's funding rate — longs pay a positive rate, shorts receive it — booked into
// the wallet and the income history as FUNDING_FEE and announced by ACCOUNT_UPDATE m=FUNDING_FEE.
import { D, type Dec } from './decimal.ts';
import type { SimAccount } from './accounts.ts';
import { legView } from './settlement.ts';
import type { SimState } from './sim-state.ts';
import { accountUpdate } from './user-events.ts';

/** Binance USDⓈ-M perpetuals settle funding every 8 hours (00:00, 08:00, 16:00 UTC). */
export const FUNDING_PERIOD_MS = 8 * 3600_000;

/** One funding payment of one leg, as the income history lists it. */
export interface SimFundingFee {
  tranId: number;
  symbol: string;
  /** Signed as credited: negative when the account paid. */
  amount: Dec;
  time: number;
}

/** The last funding time at or before `time`. */
export function lastFundingTime(time: number): number {
  return Math.floor(time / FUNDING_PERIOD_MS) * FUNDING_PERIOD_MS;
}

function charge(state: SimState, account: SimAccount, at: number): void {
  const paid = [];
  for (const leg of account.legs.values()) {
    if (leg.amount.isZero()) continue;
    const market = state.market(leg.symbol);
    const amount = leg.amount.times(market.mark).times(market.fundingRate).neg().toDecimalPlaces(8, D.ROUND_HALF_UP);
    if (amount.isZero()) continue;
    account.wallet = account.wallet.plus(amount);
    account.funding.push({ tranId: state.nextTranId(), symbol: leg.symbol, amount, time: at });
    paid.push({ leg, amount });
  }
  if (paid.length === 0) return;
  account.updateTime = at;
  // Cross margin: the balance alone; an isolated leg is listed too (its margin moved).
  const isolated = paid.filter((p) => account.settingsOf(p.leg.symbol, state.market(p.leg.symbol).spec.maxLeverage).marginType === 'ISOLATED');
  const change = paid.reduce((sum, p) => sum.plus(p.amount), new D(0));
  state.emit({ kind: 'user', apiKey: account.apiKey, frame: accountUpdate('FUNDING_FEE', account.wallet, change, isolated.map((p) => legView(state, account, p.leg)), at) });
}

/** Charges every funding time that passed since the last one charged (none before the engine started). */
export function settleFunding(state: SimState): void {
  for (let next = state.fundedUpTo + FUNDING_PERIOD_MS; next <= state.now(); next += FUNDING_PERIOD_MS) {
    for (const account of state.accounts.values()) charge(state, account, next);
    state.fundedUpTo = next;
  }
}
