// Accounts: one user's binding to one exchange, with encrypted credentials and per-direction
// settings. The row type never carries plaintext keys; decrypting is the caller's explicit step.
import type { DecimalString, MarginType, PositionMode } from '../exchange/exchange.port.ts';
import type { InsertEffect, Row, UpdateEffect } from '../steps/effects.ts';
import { compareDecimal } from '../exchange/precision.ts';
import { dbDecimal, decodeRow, encodeRow, oneOf, RowShapeError, type Codec } from './row-codec.ts';
import type { Direction } from './statuses.ts';
import { DEFAULT_EXCHANGE, TABLES } from './tables.ts';

/** How one direction trades: slots, sizing and the ladder shape (percentages in percent units). */
export interface DirectionSettings {
  /** Maximum open positions in this direction. */
  slots: number;
  leverage: number;
  /** Margin per position, in the quote asset. */
  margin: DecimalString;
  profitPct: DecimalString;
  stopPct: DecimalString;
  gapPct: DecimalString;
  rungMultiplier: DecimalString;
  rungs: number;
}

/** An account as handlers read it. */
export interface AccountRow {
  id: number;
  exchange: string;
  name: string;
  /** AES-256-GCM ciphertext (credentials.ts); never the key itself. */
  apiKeyEnc: string;
  apiSecretEnc: string;
  tradingEnabled: boolean;
  positionMode: PositionMode;
  marginType: MarginType;
  quoteAsset: string;
  minBalance: DecimalString;
  settings: Record<Direction, DirectionSettings>;
  lastFrameAt: number | null;
  /** When an operator removed the account (kept as history); null while it is in use. */
  removedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

type Flat = Omit<AccountRow, 'settings'> & { [K in keyof DirectionSettings as `long${Capitalize<K>}` | `short${Capitalize<K>}`]: DirectionSettings[K] };

const CODEC: Codec<Flat> = {
  id: ['id', 'int'], exchange: ['exchange', 'string'], name: ['name', 'string'],
  apiKeyEnc: ['api_key_enc', 'string'], apiSecretEnc: ['api_secret_enc', 'string'],
  tradingEnabled: ['trading_enabled', 'flag'], positionMode: ['position_mode', 'string'], marginType: ['margin_type', 'string'],
  quoteAsset: ['quote_asset', 'string'], minBalance: ['min_balance', 'decimal'],
  longSlots: ['long_slots', 'int'], longLeverage: ['long_leverage', 'int'], longMargin: ['long_margin', 'decimal'],
  longProfitPct: ['long_profit_pct', 'decimal'], longStopPct: ['long_stop_pct', 'decimal'], longGapPct: ['long_gap_pct', 'decimal'],
  longRungMultiplier: ['long_rung_multiplier', 'decimal'], longRungs: ['long_rungs', 'int'],
  shortSlots: ['short_slots', 'int'], shortLeverage: ['short_leverage', 'int'], shortMargin: ['short_margin', 'decimal'],
  shortProfitPct: ['short_profit_pct', 'decimal'], shortStopPct: ['short_stop_pct', 'decimal'], shortGapPct: ['short_gap_pct', 'decimal'],
  shortRungMultiplier: ['short_rung_multiplier', 'decimal'], shortRungs: ['short_rungs', 'int'],
  lastFrameAt: ['last_frame_at', 'int?'], removedAt: ['removed_at', 'int?'], createdAt: ['created_at', 'int'], updatedAt: ['updated_at', 'int'],
};

const SETTING_KEYS = ['slots', 'leverage', 'margin', 'profitPct', 'stopPct', 'gapPct', 'rungMultiplier', 'rungs'] as const;
const capital = (k: string) => k[0]!.toUpperCase() + k.slice(1);

// Worked out once: an accounts row is read on nearly every step.
const FLAT_NAMES = { long: SETTING_KEYS.map((k) => [k, `long${capital(k)}`] as const), short: SETTING_KEYS.map((k) => [k, `short${capital(k)}`] as const) };
const BASE_KEYS = Object.keys(CODEC).filter((k) => !/^(long|short)[A-Z]/.test(k));

function unflatten(flat: Flat, p: 'long' | 'short'): DirectionSettings {
  const f = flat as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, name] of FLAT_NAMES[p]) out[k] = f[name];
  return out as unknown as DirectionSettings;
}

function flatten(settings: Record<Direction, DirectionSettings>): Partial<Flat> {
  const out: Record<string, unknown> = {};
  for (const [d, p] of [['LONG', 'long'], ['SHORT', 'short']] as const) for (const k of SETTING_KEYS) out[`${p}${capital(k)}`] = settings[d][k];
  return out as Partial<Flat>;
}

/** Reads an accounts row. */
export function toAccount(row: Row): AccountRow {
  const flat = decodeRow(TABLES.accounts, CODEC, row);
  const f = flat as unknown as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const k of BASE_KEYS) fields[k] = f[k];
  const base = fields as Omit<AccountRow, 'settings'>;
  return {
    ...base,
    positionMode: oneOf(['one-way', 'hedge'], flat.positionMode, 'accounts.position_mode'),
    marginType: oneOf(['ISOLATED', 'CROSSED'], flat.marginType, 'accounts.margin_type'),
    settings: { LONG: unflatten(flat, 'long'), SHORT: unflatten(flat, 'short') },
  };
}

/**
 * Settings a new account starts with until an operator edits them. Slots are 1 so an account does
 * nothing surprising when trading is switched on; the ×2 rung multiplier is the spec's default.
 */
export const DEFAULT_DIRECTION_SETTINGS: DirectionSettings = {
  slots: 1, leverage: 5, margin: '10', profitPct: '0.5', stopPct: '2', gapPct: '2', rungMultiplier: '2', rungs: 4,
};

/** What an operator supplies for a new account; credentials already encrypted. */
export interface NewAccount {
  exchange?: string;
  name: string;
  apiKeyEnc: string;
  apiSecretEnc: string;
  /** Off unless asked: keys are added first, trading switched on deliberately. */
  tradingEnabled?: boolean;
  positionMode?: PositionMode;
  marginType?: MarginType;
  quoteAsset?: string;
  minBalance?: DecimalString;
  settings?: Partial<Record<Direction, Partial<DirectionSettings>>>;
}

// The schema's UNSIGNED columns refuse negatives in MySQL only; checking here keeps the
// in-memory store from accepting what MySQL would refuse.
function checkSettings(direction: Direction, s: DirectionSettings): DirectionSettings {
  const bad = (what: string) => new RowShapeError(`accounts ${direction.toLowerCase()} ${what}`);
  if (!Number.isInteger(s.slots) || s.slots < 0) throw bad(`slots must be a whole number ≥ 0, got ${s.slots}`);
  if (!Number.isInteger(s.leverage) || s.leverage < 1) throw bad(`leverage must be a whole number ≥ 1, got ${s.leverage}`);
  if (!Number.isInteger(s.rungs) || s.rungs < 0) throw bad(`rungs must be a whole number ≥ 0, got ${s.rungs}`);
  for (const k of ['margin', 'profitPct', 'stopPct', 'gapPct', 'rungMultiplier'] as const) {
    if (compareDecimal(dbDecimal(s[k], k), 0) <= 0) throw bad(`${k} must be positive, got ${s[k]}`);
  }
  return s;
}

/** Inserts an account; a second account with the same exchange and name is refused (DuplicateKeyError). */
export function insertAccount(account: NewAccount, at: number): InsertEffect {
  const settings = {
    LONG: checkSettings('LONG', { ...DEFAULT_DIRECTION_SETTINGS, ...account.settings?.LONG }),
    SHORT: checkSettings('SHORT', { ...DEFAULT_DIRECTION_SETTINGS, ...account.settings?.SHORT }),
  };
  const row = encodeRow(TABLES.accounts, CODEC, {
    exchange: account.exchange ?? DEFAULT_EXCHANGE, name: account.name, apiKeyEnc: account.apiKeyEnc, apiSecretEnc: account.apiSecretEnc,
    tradingEnabled: account.tradingEnabled ?? false, positionMode: account.positionMode ?? 'one-way', marginType: account.marginType ?? 'ISOLATED',
    quoteAsset: account.quoteAsset ?? 'USDT', minBalance: account.minBalance ?? '0', ...flatten(settings),
    lastFrameAt: null, removedAt: null, createdAt: at, updatedAt: at,
  });
  return { kind: 'insert', table: TABLES.accounts, row };
}

/** Switches trading on or off; the open block re-reads this right before the market entry. */
export function setTradingEnabled(accountId: number, enabled: boolean, at: number): UpdateEffect {
  return { kind: 'update', table: TABLES.accounts, where: { id: accountId }, set: encodeRow(TABLES.accounts, CODEC, { tradingEnabled: enabled, updatedAt: at }), required: true };
}

/** Records the time of the latest user-data stream frame (a plain touch: no status to expect). */
export function recordFrame(accountId: number, at: number): UpdateEffect {
  return { kind: 'update', table: TABLES.accounts, where: { id: accountId }, set: { last_frame_at: at } };
}

/** Replaces an account's encrypted credentials (rotation); a removed account is not updated. */
export function setCredentials(accountId: number, credentials: { apiKeyEnc: string; apiSecretEnc: string }, at: number): UpdateEffect {
  return {
    kind: 'update', table: TABLES.accounts, where: { id: accountId, removed_at: null },
    set: encodeRow(TABLES.accounts, CODEC, { apiKeyEnc: credentials.apiKeyEnc, apiSecretEnc: credentials.apiSecretEnc, updatedAt: at }), required: true,
  };
}

/** Removes an account: trading off and a removal time, the row kept for the history that refers to it. */
export function removeAccount(accountId: number, at: number): UpdateEffect {
  return {
    kind: 'update', table: TABLES.accounts, where: { id: accountId, removed_at: null },
    set: encodeRow(TABLES.accounts, CODEC, { tradingEnabled: false, removedAt: at, updatedAt: at }), required: true,
  };
}
