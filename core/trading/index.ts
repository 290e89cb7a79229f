// The trading data layer's public surface: row types and mappers, status tables, reads over a
// RowReader, effect builders, credentials. Handlers import from here.
export {
  DEFAULT_DIRECTION_SETTINGS, insertAccount, recordFrame, setTradingEnabled, toAccount,
  type AccountRow, type DirectionSettings, type NewAccount,
} from './account.ts';
export { applyRowEffects } from './apply-row-effects.ts';
export {
  markNotificationSent, queueNotification, recordExchangeEvent, toExchangeEvent, toNotification,
  type EventSource, type ExchangeEventRow, type NewNotification, type NotificationRow, type Severity,
} from './audit.ts';
export {
  ApiCredentials, CredentialsError, decryptCredentials, decryptSecret, encryptCredentials, encryptSecret, importCredentialsKey, masked,
  type EncryptedCredentials, type SecretField,
} from './credentials.ts';
export {
  blockSymbol, recordLeverageBrackets, recordMarkPrice, setSymbolFlags, symbolFilters, toExchangeSymbol, upsertExchangeSymbol,
  type ExchangeSymbolRow, type SymbolFlags,
} from './exchange-symbol.ts';
export {
  echoOfAlgo, echoOfOrder, insertOrder, markFillApplied, moveOrder, recordPlacement, reviseOrderIntent, UnknownExchangeStatusError,
  type NewOrder, type OrderEcho, type OrderWriteOptions,
} from './order-effects.ts';
export { mergeEcho, mergeEffects, mergeFields, type MergedFields, type MergeInput } from './order-merge.ts';
export { ORDER_ROLES, toOrder, type OrderRow } from './order.ts';
export { activatePosition, insertPosition, movePosition, patchPosition, type NewPosition, type PositionPatch, type PositionWriteOptions } from './position-effects.ts';
export { EXIT_REASONS, toPosition, type ExitReason, type PositionRow } from './position.ts';
export {
  allAccounts, eligibleSymbols, findOrderByClientId, getAccount, getPosition, getPositionByUuid, getSymbol, listOrders, listPositions, openPositionsFor,
  ordersOf, tradingAccounts, unappliedFills, type OrderQuery, type PositionQuery,
} from './reads.ts';
export { dbDecimal, RowShapeError } from './row-codec.ts';
export {
  canMoveOrder, canMovePosition, DIRECTIONS, IllegalStatusMoveError, isOpenPosition, isTerminalOrder, OPEN_POSITION_STATUSES, ORDER_STATUSES,
  orderStatusFromExchange, POSITION_STATUSES, positionMovesFrom, TERMINAL_ORDER_STATUSES, TERMINAL_POSITION_STATUSES, WORKING_ORDER_STATUSES,
  type Direction, type LocalOrderStatus, type PositionStatus,
} from './statuses.ts';
export { DEFAULT_EXCHANGE, TABLES, TRADING_UNIQUE_KEYS } from './tables.ts';
