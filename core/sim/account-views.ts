// Read-only account bodies: balances, account v2/v3, positionRisk v2/v3, symbol and account
// configuration, leverage brackets and commission rates, shaped like Binance's.
import { D, fixed, plain, ZERO } from './decimal.ts';
import type { SimAccount } from './accounts.ts';
import { accountTotals, legInitialMargin, MAINT_MARGIN_RATE, openNotional } from './margin.ts';
import type { SimMarket } from './market.ts';
import { breakEven, unrealized, type PositionLeg } from './positions.ts';
import type { SimState } from './sim-state.ts';

/** One notional tier of a symbol's leverage brackets. */
export interface BracketTier {
  bracket: number;
  initialLeverage: number;
  notionalCap: number;
  notionalFloor: number;
  maintMarginRatio: number;
  cum: number;
}

const CAPS = [50_000, 250_000, 1_000_000, 5_000_000, 20_000_000, 50_000_000];
const MMR = ['0.004', '0.005', '0.01', '0.025', '0.05', '0.1'];
const DIVISORS = [1, 2, 4, 10, 25, Infinity];

/** Synthetic brackets derived from the symbol's max leverage (cum computed as Binance defines it). */
export function leverageBracket(market: SimMarket): BracketTier[] {
  let cum = D(0);
  return CAPS.map((cap, i) => {
    const floor = i === 0 ? 0 : CAPS[i - 1]!;
    if (i > 0) cum = cum.plus(D(floor).times(D(MMR[i]!).minus(MMR[i - 1]!)));
    const lev = Math.max(1, Math.floor(market.spec.maxLeverage / DIVISORS[i]!));
    return { bracket: i + 1, initialLeverage: lev, notionalCap: cap, notionalFloor: floor, maintMarginRatio: Number(MMR[i]), cum: cum.toNumber() };
  });
}

/** The largest notional a leverage allows. */
export function maxNotional(market: SimMarket, leverage: number): number {
  return Math.max(...leverageBracket(market).filter((b) => b.initialLeverage >= leverage).map((b) => b.notionalCap), 0);
}

/** GET /fapi/v1/leverageBracket: an object for one symbol, else an array. */
export function bracketsBody(state: SimState, symbol?: string): unknown {
  const one = (m: SimMarket) => ({ symbol: m.symbol, notionalCoef: 1.0, brackets: leverageBracket(m) });
  return symbol ? one(state.market(symbol)) : state.marketList().map(one);
}

/** GET /fapi/v2|v3/balance. */
export function balanceBody(state: SimState, account: SimAccount): unknown[] {
  const t = accountTotals(state, account);
  return [{
    accountAlias: 'SgsR', asset: 'USDT', balance: fixed(t.wallet), crossWalletBalance: fixed(t.wallet),
    crossUnPnl: fixed(t.unrealized), availableBalance: fixed(t.available), maxWithdrawAmount: fixed(D.min(t.available, t.wallet)),
    marginAvailable: true, updateTime: account.updateTime,
  }];
}

function totalsBody(state: SimState, account: SimAccount) {
  const t = accountTotals(state, account);
  const initial = t.positionInitialMargin.plus(t.openOrderInitialMargin);
  const totals = {
    totalInitialMargin: fixed(initial), totalMaintMargin: fixed(t.maintMargin), totalWalletBalance: fixed(t.wallet),
    totalUnrealizedProfit: fixed(t.unrealized), totalMarginBalance: fixed(t.marginBalance),
    totalPositionInitialMargin: fixed(t.positionInitialMargin), totalOpenOrderInitialMargin: fixed(t.openOrderInitialMargin),
    totalCrossWalletBalance: fixed(t.wallet), totalCrossUnPnl: fixed(t.unrealized), availableBalance: fixed(t.available),
    maxWithdrawAmount: fixed(D.min(t.available, t.wallet)),
  };
  const asset = {
    asset: 'USDT', walletBalance: fixed(t.wallet), unrealizedProfit: fixed(t.unrealized), marginBalance: fixed(t.marginBalance),
    maintMargin: fixed(t.maintMargin), initialMargin: fixed(initial), positionInitialMargin: fixed(t.positionInitialMargin),
    openOrderInitialMargin: fixed(t.openOrderInitialMargin), crossWalletBalance: fixed(t.wallet), crossUnPnl: fixed(t.unrealized),
    availableBalance: fixed(t.available), maxWithdrawAmount: fixed(D.min(t.available, t.wallet)), marginAvailable: true,
    updateTime: account.updateTime,
  };
  return { totals, asset };
}

function legFigures(state: SimState, account: SimAccount, leg: PositionLeg) {
  const market = state.market(leg.symbol);
  const settings = account.settingsOf(leg.symbol, market.spec.maxLeverage);
  const notional = leg.amount.times(market.mark);
  const im = legInitialMargin(state, account, leg);
  const isolated = settings.marginType === 'ISOLATED';
  return { market, settings, notional, im, mm: notional.abs().times(MAINT_MARGIN_RATE), isolated, up: unrealized(leg, market.mark) };
}

/** GET /fapi/v3/account: totals, the USDT asset and the open positions. */
export function accountV3Body(state: SimState, account: SimAccount): Record<string, unknown> {
  const { totals, asset } = totalsBody(state, account);
  const positions = [...account.legs.values()].filter((l) => !l.amount.isZero()).map((leg) => {
    const f = legFigures(state, account, leg);
    return {
      symbol: leg.symbol, positionSide: leg.positionSide, positionAmt: plain(leg.amount), unrealizedProfit: fixed(f.up),
      isolatedMargin: fixed(f.isolated ? f.im.plus(f.up) : ZERO), notional: plain(f.notional), isolatedWallet: plain(f.isolated ? f.im : ZERO),
      initialMargin: plain(f.im), maintMargin: plain(f.mm), updateTime: leg.updateTime,
    };
  });
  return { ...totals, assets: [asset], positions };
}

/** GET /fapi/v2/account: v3 plus account flags and every symbol's legs with leverage. */
export function accountV2Body(state: SimState, account: SimAccount): Record<string, unknown> {
  const { totals, asset } = totalsBody(state, account);
  const positions = state.marketList().flatMap((m) => account.legsOf(m.symbol)).map((leg) => {
    const f = legFigures(state, account, leg);
    const n = openNotional(account, leg.symbol);
    return {
      symbol: leg.symbol, initialMargin: plain(f.im), maintMargin: plain(f.mm), unrealizedProfit: fixed(f.up),
      positionInitialMargin: plain(f.im), openOrderInitialMargin: '0', leverage: String(f.settings.leverage), isolated: f.isolated,
      entryPrice: plain(leg.entry), breakEvenPrice: plain(breakEven(leg)), maxNotional: String(maxNotional(f.market, f.settings.leverage)),
      bidNotional: plain(n.bid), askNotional: plain(n.ask), positionSide: leg.positionSide, positionAmt: plain(leg.amount), updateTime: leg.updateTime,
    };
  });
  return {
    feeTier: 0, feeBurn: false, canTrade: true, canDeposit: true, canWithdraw: true, updateTime: 0, multiAssetsMargin: false,
    tradeGroupId: -1, ...totals, assets: [asset], positions,
  };
}

/** GET /fapi/v2/positionRisk: every leg of every (or one) symbol, with leverage and margin type. */
export function positionRiskV2Body(state: SimState, account: SimAccount, symbol?: string): unknown[] {
  const markets = symbol ? [state.market(symbol)] : state.marketList();
  return markets.flatMap((m) => account.legsOf(m.symbol)).map((leg) => {
    const f = legFigures(state, account, leg);
    return {
      entryPrice: plain(leg.entry), breakEvenPrice: plain(breakEven(leg)), marginType: f.isolated ? 'isolated' : 'cross',
      isAutoAddMargin: 'false', isolatedMargin: fixed(f.isolated ? f.im.plus(f.up) : ZERO), leverage: String(f.settings.leverage),
      liquidationPrice: '0', markPrice: fixed(f.market.mark), maxNotionalValue: String(maxNotional(f.market, f.settings.leverage)),
      positionAmt: plain(leg.amount), notional: plain(f.notional), isolatedWallet: plain(f.isolated ? f.im : ZERO),
      symbol: leg.symbol, unRealizedProfit: fixed(f.up), positionSide: leg.positionSide, updateTime: leg.updateTime,
    };
  });
}

/** GET /fapi/v3/positionRisk: only symbols with a position or open orders; no leverage or margin type. */
export function positionRiskV3Body(state: SimState, account: SimAccount, symbol?: string): unknown[] {
  const markets = symbol ? [state.market(symbol)] : state.marketList();
  return markets.flatMap((m) => account.legsOf(m.symbol)).filter((leg) => !leg.amount.isZero() || account.working(leg.symbol).some((o) => o.positionSide === leg.positionSide)).map((leg) => {
    const f = legFigures(state, account, leg);
    const n = openNotional(account, leg.symbol);
    return {
      symbol: leg.symbol, positionSide: leg.positionSide, positionAmt: plain(leg.amount), entryPrice: plain(leg.entry),
      breakEvenPrice: plain(breakEven(leg)), markPrice: fixed(f.market.mark), unRealizedProfit: fixed(f.up), liquidationPrice: '0',
      isolatedMargin: plain(f.isolated ? f.im.plus(f.up) : ZERO), notional: plain(f.notional), marginAsset: 'USDT',
      isolatedWallet: plain(f.isolated ? f.im : ZERO), initialMargin: plain(f.im), maintMargin: plain(f.mm),
      positionInitialMargin: plain(f.im), openOrderInitialMargin: '0', adl: 0, bidNotional: plain(n.bid), askNotional: plain(n.ask),
      updateTime: leg.updateTime,
    };
  });
}

/** GET /fapi/v1/symbolConfig. */
export function symbolConfigBody(state: SimState, account: SimAccount, symbol?: string): unknown[] {
  const markets = symbol ? [state.market(symbol)] : state.marketList();
  return markets.map((m) => {
    const s = account.settingsOf(m.symbol, m.spec.maxLeverage);
    return { symbol: m.symbol, marginType: s.marginType, isAutoAddMargin: false, leverage: s.leverage, maxNotionalValue: String(maxNotional(m, s.leverage)) };
  });
}

/** GET /fapi/v1/accountConfig. */
export function accountConfigBody(account: SimAccount): Record<string, unknown> {
  return { feeTier: 0, canTrade: true, canDeposit: true, canWithdraw: true, dualSidePosition: account.dualSidePosition, updateTime: 0, multiAssetsMargin: false, tradeGroupId: -1 };
}

/** GET /fapi/v1/commissionRate. */
export function commissionRateBody(state: SimState, account: SimAccount, symbol: string): Record<string, unknown> {
  const m = state.market(symbol);
  return { symbol: m.symbol, makerCommissionRate: plain(account.makerRate), takerCommissionRate: plain(account.takerRate) };
}

/** GET /fapi/v1/income: REALIZED_PNL and COMMISSION rows from the account's trades, and its FUNDING_FEE payments, oldest first. */
export function incomeBody(account: SimAccount, p: { symbol?: string; incomeType?: string; startTime?: number; endTime?: number; limit: number }): unknown[] {
  // The filter is applied before rows are built (a backtest asks for a position's few rows out of
  // a month of trades), which keeps the same rows in the same order: a stable sort of a filtered list.
  const wanted = (symbol: string, time: number) => (!p.symbol || symbol === p.symbol)
    && (p.startTime === undefined || time >= p.startTime) && (p.endTime === undefined || time <= p.endTime);
  const ofType = (type: string) => !p.incomeType || type === p.incomeType;
  const fromTrades = account.trades.filter((t) => wanted(t.symbol, t.time)).flatMap((t) => [
    ...(t.realizedPnl.isZero() ? [] : [{ type: 'REALIZED_PNL', amount: t.realizedPnl }]),
    ...(t.commission.isZero() ? [] : [{ type: 'COMMISSION', amount: t.commission.neg() }]),
  ].map((r, i) => ({ r, i })).filter(({ r }) => ofType(r.type)).map(({ r, i }) => ({
    symbol: t.symbol, incomeType: r.type, income: plain(r.amount), asset: 'USDT', info: r.type === 'COMMISSION' ? 'COMMISSION' : '',
    time: t.time, tranId: t.id * 10 + i, tradeId: String(t.id),
  })));
  const fromFunding = account.funding.filter((f) => wanted(f.symbol, f.time) && ofType('FUNDING_FEE')).map((f) => ({
    symbol: f.symbol, incomeType: 'FUNDING_FEE', income: plain(f.amount), asset: 'USDT', info: 'FUNDING_FEE', time: f.time, tranId: f.tranId, tradeId: '',
  }));
  // A stable sort keeps each trade's own rows in order.
  return [...fromTrades, ...fromFunding].sort((a, b) => a.time - b.time).slice(-p.limit);
}
