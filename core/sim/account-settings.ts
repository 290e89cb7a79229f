// Account configuration endpoints: leverage, margin type and position mode, with Binance's
// "no need to change" and "blocked by orders / position" rejections.
import type { SimAccount } from './accounts.ts';
import { enumParam, intParam, required, boolParam, type Params } from './params.ts';
import { errors } from './sim-error.ts';
import type { SimState } from './sim-state.ts';
import { leverageBracket } from './account-views.ts';
import { leverageUpdate } from './user-events.ts';

/** POST /fapi/v1/leverage → `{leverage, maxNotionalValue, symbol}`; publishes ACCOUNT_CONFIG_UPDATE. */
export function changeLeverage(state: SimState, account: SimAccount, p: Params): Record<string, unknown> {
  const market = state.market(required(p, 'symbol'));
  const raw = required(p, 'leverage');
  const leverage = intParam(p, 'leverage')!;
  if (leverage < 1 || leverage > market.spec.maxLeverage) throw errors.leverageInvalid(raw);
  account.settingsOf(market.symbol, market.spec.maxLeverage).leverage = leverage;
  const now = state.now();
  state.emit({ kind: 'user', apiKey: account.apiKey, frame: leverageUpdate(market.symbol, leverage, now) });
  const cap = leverageBracket(market).find((b) => b.initialLeverage >= leverage)?.notionalCap ?? 0;
  return { leverage, maxNotionalValue: String(cap), symbol: market.symbol };
}

/** POST /fapi/v1/marginType (ISOLATED | CROSSED) → `{code:200,msg:"success"}`. */
export function changeMarginType(state: SimState, account: SimAccount, p: Params): Record<string, unknown> {
  const market = state.market(required(p, 'symbol'));
  const marginType = enumParam(p, 'marginType', ['ISOLATED', 'CROSSED'] as const);
  if (!marginType) throw errors.mandatory('marginType');
  const settings = account.settingsOf(market.symbol, market.spec.maxLeverage);
  if (settings.marginType === marginType) throw errors.marginTypeSame();
  if (account.working(market.symbol).length > 0) throw errors.marginTypeOrders();
  if (account.legsOf(market.symbol).some((l) => !l.amount.isZero())) throw errors.marginTypePosition();
  settings.marginType = marginType;
  return { code: 200, msg: 'success' };
}

/** POST /fapi/v1/positionSide/dual → `{code:200,msg:"success"}`; applies to every symbol. */
export function changePositionMode(_state: SimState, account: SimAccount, p: Params): Record<string, unknown> {
  const dual = boolParam(p, 'dualSidePosition');
  if (dual === undefined) throw errors.mandatory('dualSidePosition');
  if (dual === account.dualSidePosition) throw errors.positionModeSame();
  if (account.working().length > 0 || account.workingAlgos().length > 0) throw errors.positionModeOrders();
  if ([...account.legs.values()].some((l) => !l.amount.isZero())) throw errors.positionModePosition();
  account.dualSidePosition = dual;
  return { code: 200, msg: 'success' };
}
