// Binance account payloads (balance, positionRisk, leverage brackets, config answers) → our types.
import type { Balance, LeverageBracket, LeverageSetting, MarginType, Position, PositionSide } from '../exchange.port.ts';
import { arr, dec, int, obj, optDec, optInt, optStr, str } from './wire.ts';

/** One row of GET /fapi/v3/balance (or v2). */
export function toBalance(payload: unknown): Balance {
  const o = obj(payload, 'balance');
  return {
    asset: str(o, 'asset'),
    balance: dec(o, 'balance'),
    crossWalletBalance: dec(o, 'crossWalletBalance'),
    crossUnrealizedPnl: optDec(o, 'crossUnPnl') ?? '0',
    availableBalance: dec(o, 'availableBalance'),
    maxWithdrawAmount: optDec(o, 'maxWithdrawAmount'),
    updateTime: optInt(o, 'updateTime') ?? 0,
    raw: payload,
  };
}

// positionRisk says "isolated"/"cross"; symbolConfig and marginType say ISOLATED/CROSSED.
function marginTypeOf(value: string | undefined): MarginType | undefined {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  if (v === 'isolated') return 'ISOLATED';
  if (v === 'cross' || v === 'crossed') return 'CROSSED';
  return undefined;
}

/** One row of GET /fapi/v3/positionRisk (v2 rows also carry leverage and marginType). */
export function toPosition(payload: unknown): Position {
  const o = obj(payload, 'position');
  return {
    symbol: str(o, 'symbol'),
    positionSide: (optStr(o, 'positionSide') ?? 'BOTH') as PositionSide,
    positionAmt: dec(o, 'positionAmt'),
    entryPrice: dec(o, 'entryPrice'),
    breakEvenPrice: optDec(o, 'breakEvenPrice') ?? '0',
    markPrice: optDec(o, 'markPrice') ?? '0',
    unrealizedProfit: optDec(o, 'unRealizedProfit') ?? '0',
    liquidationPrice: optDec(o, 'liquidationPrice') ?? '0',
    notional: optDec(o, 'notional') ?? '0',
    marginType: marginTypeOf(optStr(o, 'marginType')),
    leverage: optInt(o, 'leverage'),
    isolatedMargin: optDec(o, 'isolatedMargin'),
    updateTime: optInt(o, 'updateTime') ?? 0,
    raw: payload,
  };
}

/** GET /fapi/v1/leverageBracket: an array, or one object when a symbol was asked for. */
export function toLeverageBrackets(payload: unknown): LeverageBracket[] {
  const rows = Array.isArray(payload) ? payload : [payload];
  return rows.map((row) => {
    const o = obj(row, 'leverage bracket');
    return {
      symbol: str(o, 'symbol'),
      brackets: arr(o.brackets, 'brackets').map((b) => {
        const t = obj(b, 'bracket');
        return {
          bracket: int(t, 'bracket'),
          initialLeverage: int(t, 'initialLeverage'),
          notionalCap: dec(t, 'notionalCap'),
          notionalFloor: dec(t, 'notionalFloor'),
          maintMarginRatio: dec(t, 'maintMarginRatio'),
          cum: optDec(t, 'cum') ?? '0',
        };
      }),
      raw: row,
    };
  });
}

/** POST /fapi/v1/leverage answer. */
export function toLeverageSetting(payload: unknown): LeverageSetting {
  const o = obj(payload, 'leverage');
  return { symbol: str(o, 'symbol'), leverage: int(o, 'leverage'), maxNotionalValue: optDec(o, 'maxNotionalValue') ?? '0', raw: payload };
}
