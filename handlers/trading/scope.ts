// Loading what a position-scoped handler works on: the position, its account, its symbol with
// filters, and the account's exchange. Every handler reads fresh; nothing is cached across runs.
import type { ExchangePort, SymbolFilters } from '../../core/exchange/exchange.port.ts';
import { NonRetriableError } from '../../core/errors.ts';
import type { HandlerContext } from '../../core/steps/context.ts';
import type { AccountRow } from '../../core/trading/account.ts';
import { symbolFilters, type ExchangeSymbolRow } from '../../core/trading/exchange-symbol.ts';
import type { OrderRow } from '../../core/trading/order.ts';
import type { PositionRow } from '../../core/trading/position.ts';
import { getAccount, getPositionByUuid, getSymbol, ordersOf } from '../../core/trading/reads.ts';
import type { TradingDeps } from './deps.ts';

/** A position with everything around it. */
export interface Scope {
  position: PositionRow;
  account: AccountRow;
  symbol: ExchangeSymbolRow;
  filters: SymbolFilters;
  exchange: ExchangePort;
  prefix: string;
}

/** Raised when a row a step names is missing: retrying will not create it. */
export class MissingRowError extends NonRetriableError {
  constructor(what: string) {
    super(`${what} not found`, 'TRADING_MISSING_ROW');
  }
}

/** The scope of the position with `uuid`, or null when that position was never inserted. */
export async function loadScope(ctx: HandlerContext, deps: TradingDeps, uuid: string): Promise<Scope | null> {
  const position = await getPositionByUuid(ctx.rows, uuid);
  if (!position) return null;
  const [account, symbol] = await Promise.all([getAccount(ctx.rows, position.accountId), getSymbol(ctx.rows, position.symbol, position.exchange)]);
  if (!account) throw new MissingRowError(`account ${position.accountId}`);
  if (!symbol) throw new MissingRowError(`symbol ${position.symbol}`);
  return { position, account, symbol, filters: symbolFilters(symbol), exchange: await deps.exchanges.forAccount(account), prefix: deps.prefix ?? 'k' };
}

/** Like loadScope, but a missing position is an error (every step after the first has one). */
export async function requireScope(ctx: HandlerContext, deps: TradingDeps, uuid: string): Promise<Scope> {
  const scope = await loadScope(ctx, deps, uuid);
  if (!scope) throw new MissingRowError(`position ${uuid}`);
  return scope;
}

/** The position's orders, freshly read. */
export function ordersOfScope(ctx: HandlerContext, scope: Scope): Promise<OrderRow[]> {
  return ordersOf(ctx.rows, scope.position.id);
}
