// The trading tables (infra/migrations/0002_trading.sql) and the unique keys the in-memory store
// must enforce to behave like MySQL: hand TRADING_UNIQUE_KEYS to MemoryStepStore({ uniqueKeys }).

/** Table names, so builders and reads never spell one differently. */
export const TABLES = {
  accounts: 'accounts',
  symbols: 'exchange_symbols',
  positions: 'positions',
  orders: 'orders',
  exchangeEvents: 'exchange_events',
  notifications: 'notifications',
  balances: 'account_balances',
} as const;

/** The venue a row belongs to when the caller names none. */
export const DEFAULT_EXCHANGE = 'binance';

/**
 * The migration's UNIQUE keys, column for column. positions (account_id, symbol, is_open) is the
 * open-pair guard: is_open is NULL once a position is terminal and NULL never clashes, in SQL and
 * in MemoryRows alike. Plain keys only: the store compares values, so it needs no generated column.
 */
export const TRADING_UNIQUE_KEYS: Record<string, string[][]> = {
  [TABLES.accounts]: [['exchange', 'name']],
  [TABLES.symbols]: [['exchange', 'symbol']],
  [TABLES.positions]: [['uuid'], ['account_id', 'symbol', 'is_open']],
  [TABLES.orders]: [['client_order_id']],
  [TABLES.balances]: [['account_id', 'asset', 'taken_at']],
};
