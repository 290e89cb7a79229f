// The account's books as Binance keeps them: its fills (userTrades) and its income history
// (funding fees, commissions, realised PnL). The ledger reads these rather than trusting what
// order answers and stream frames happened to carry.
import { ValidationError } from '../../errors.ts';
import type { AccountTrade, AccountTradeQuery, IncomeQuery, IncomeRecord, PositionSide, Side } from '../exchange.port.ts';
import { dec as decimal, toDecimalString } from '../precision.ts';
import type { BinanceRequest, Endpoint } from './request.ts';
import { arr, bool, dec, int, obj, optStr, str } from './wire.ts';

const USER_TRADES: Endpoint = { method: 'GET', path: '/fapi/v1/userTrades', security: 'SIGNED', weight: 5, mutation: false };
const INCOME: Endpoint = { method: 'GET', path: '/fapi/v1/income', security: 'SIGNED', weight: 30, mutation: false };
const SEVEN_DAYS = 7 * 24 * 3600_000;

/** One row of GET /fapi/v1/userTrades. */
export function toAccountTrade(payload: unknown): AccountTrade {
  const o = obj(payload, 'trade');
  return {
    id: str(o, 'id'), orderId: str(o, 'orderId'), symbol: str(o, 'symbol'), side: str(o, 'side') as Side,
    positionSide: (optStr(o, 'positionSide') ?? 'BOTH') as PositionSide, price: dec(o, 'price'), qty: dec(o, 'qty'),
    quoteQty: dec(o, 'quoteQty'), commission: toDecimalString(decimal(dec(o, 'commission')).abs()), commissionAsset: optStr(o, 'commissionAsset') ?? '',
    realizedPnl: dec(o, 'realizedPnl'), maker: bool(o, 'maker'), time: int(o, 'time'), raw: payload,
  };
}

/** One row of GET /fapi/v1/income. */
export function toIncomeRecord(payload: unknown): IncomeRecord {
  const o = obj(payload, 'income');
  return {
    symbol: optStr(o, 'symbol') ?? '', incomeType: str(o, 'incomeType'), income: dec(o, 'income'), asset: optStr(o, 'asset') ?? '',
    time: int(o, 'time'), tranId: str(o, 'tranId'), tradeId: optStr(o, 'tradeId') ?? '', raw: payload,
  };
}

/** The account's fills on a symbol; Binance refuses a window over 7 days and fromId beside a window. */
export async function getAccountTrades(http: BinanceRequest, q: AccountTradeQuery): Promise<AccountTrade[]> {
  if (q.fromId !== undefined && (q.startTime !== undefined || q.endTime !== undefined)) {
    throw new ValidationError('userTrades: fromId cannot be sent with startTime or endTime', 'INVALID_QUERY');
  }
  if (q.startTime !== undefined && q.endTime !== undefined && q.endTime - q.startTime > SEVEN_DAYS) {
    throw new ValidationError('userTrades: startTime to endTime spans more than 7 days', 'INVALID_QUERY');
  }
  const params = { symbol: q.symbol, orderId: q.orderId, startTime: q.startTime, endTime: q.endTime, fromId: q.fromId, limit: q.limit };
  return http.call(USER_TRADES, params, (body) => arr(body, 'userTrades').map(toAccountTrade));
}

/** The account's income history (startTime and endTime inclusive; at most 1000 rows, default 100). */
export async function getIncome(http: BinanceRequest, q: IncomeQuery): Promise<IncomeRecord[]> {
  const params = { symbol: q.symbol, incomeType: q.incomeType, startTime: q.startTime, endTime: q.endTime, limit: q.limit };
  return http.call(INCOME, params, (body) => arr(body, 'income').map(toIncomeRecord));
}
