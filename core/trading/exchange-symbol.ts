// Exchange symbols: the filters orders must satisfy, the mark price, the concluded direction and
// the two switches slot assignment respects (the operator's is_eligible, the automatic is_blocked).
import type { DecimalString, LeverageTier, SymbolFilters, SymbolInfo } from '../exchange/exchange.port.ts';
import type { InsertEffect, Row, UpdateEffect } from '../steps/effects.ts';
import { decodeRow, encodeRow, oneOf, type Codec } from './row-codec.ts';
import { DIRECTIONS, type Direction } from './statuses.ts';
import { DEFAULT_EXCHANGE, TABLES } from './tables.ts';

/** A symbol as slot assignment and the open block read it. */
export interface ExchangeSymbolRow {
  id: number;
  exchange: string;
  symbol: string;
  /** The exchange's trading status, e.g. TRADING; anything else is never picked. */
  status: string;
  baseAsset: string;
  quoteAsset: string;
  tickSize: DecimalString;
  minPrice: DecimalString;
  maxPrice: DecimalString;
  stepSize: DecimalString;
  minQty: DecimalString;
  maxQty: DecimalString;
  marketStepSize: DecimalString | null;
  marketMinQty: DecimalString | null;
  marketMaxQty: DecimalString | null;
  minNotional: DecimalString;
  percentUp: DecimalString | null;
  percentDown: DecimalString | null;
  /** Concluded direction; null = no opinion, never picked. */
  direction: Direction | null;
  isEligible: boolean;
  isBlocked: boolean;
  blockReason: string | null;
  blockedAt: number | null;
  markPrice: DecimalString | null;
  markPriceAt: number | null;
  leverageBrackets: LeverageTier[] | null;
  createdAt: number;
  updatedAt: number;
}

const CODEC: Codec<ExchangeSymbolRow> = {
  id: ['id', 'int'], exchange: ['exchange', 'string'], symbol: ['symbol', 'string'], status: ['status', 'string'],
  baseAsset: ['base_asset', 'string'], quoteAsset: ['quote_asset', 'string'],
  tickSize: ['tick_size', 'decimal'], minPrice: ['min_price', 'decimal'], maxPrice: ['max_price', 'decimal'],
  stepSize: ['step_size', 'decimal'], minQty: ['min_qty', 'decimal'], maxQty: ['max_qty', 'decimal'],
  marketStepSize: ['market_step_size', 'decimal?'], marketMinQty: ['market_min_qty', 'decimal?'], marketMaxQty: ['market_max_qty', 'decimal?'],
  minNotional: ['min_notional', 'decimal'], percentUp: ['percent_up', 'decimal?'], percentDown: ['percent_down', 'decimal?'],
  direction: ['direction', 'string?'], isEligible: ['is_eligible', 'flag'], isBlocked: ['is_blocked', 'flag'],
  blockReason: ['block_reason', 'string?'], blockedAt: ['blocked_at', 'int?'],
  markPrice: ['mark_price', 'decimal?'], markPriceAt: ['mark_price_at', 'int?'], leverageBrackets: ['leverage_brackets', 'json?'],
  createdAt: ['created_at', 'int'], updatedAt: ['updated_at', 'int'],
};

/** Reads an exchange_symbols row. */
export function toExchangeSymbol(row: Row): ExchangeSymbolRow {
  const s = decodeRow(TABLES.symbols, CODEC, row);
  return { ...s, direction: s.direction === null ? null : oneOf(DIRECTIONS, s.direction, 'exchange_symbols.direction') };
}

/** The stored filters in the shape precision.checkOrder takes. */
export function symbolFilters(s: ExchangeSymbolRow): SymbolFilters {
  return {
    tickSize: s.tickSize, minPrice: s.minPrice, maxPrice: s.maxPrice, stepSize: s.stepSize, minQty: s.minQty, maxQty: s.maxQty,
    ...(s.marketStepSize !== null ? { marketStepSize: s.marketStepSize } : {}),
    ...(s.marketMinQty !== null ? { marketMinQty: s.marketMinQty } : {}),
    ...(s.marketMaxQty !== null ? { marketMaxQty: s.marketMaxQty } : {}),
    minNotional: s.minNotional,
    ...(s.percentUp !== null && s.percentDown !== null ? { percentPrice: { multiplierUp: s.percentUp, multiplierDown: s.percentDown } } : {}),
  };
}

const key = (exchange: string, symbol: string): Row => ({ exchange, symbol });

function filterFields(info: SymbolInfo): Partial<ExchangeSymbolRow> {
  const f = info.filters;
  return {
    status: info.status, baseAsset: info.baseAsset, quoteAsset: info.quoteAsset,
    tickSize: f.tickSize, minPrice: f.minPrice, maxPrice: f.maxPrice, stepSize: f.stepSize, minQty: f.minQty, maxQty: f.maxQty,
    marketStepSize: f.marketStepSize ?? null, marketMinQty: f.marketMinQty ?? null, marketMaxQty: f.marketMaxQty ?? null,
    minNotional: f.minNotional, percentUp: f.percentPrice?.multiplierUp ?? null, percentDown: f.percentPrice?.multiplierDown ?? null,
  };
}

/**
 * Creates or refreshes a symbol from exchange info: an idempotent insert (new symbols start
 * ineligible, unblocked, without a direction) then a filter update that leaves the switches alone.
 * Two effects because the store port has no upsert; both apply in one transaction.
 */
export function upsertExchangeSymbol(info: SymbolInfo, at: number, exchange = DEFAULT_EXCHANGE): [InsertEffect, UpdateEffect] {
  const filters = filterFields(info);
  const row = encodeRow(TABLES.symbols, CODEC, {
    exchange, symbol: info.symbol, ...filters, direction: null, isEligible: false, isBlocked: false, blockReason: null, blockedAt: null,
    markPrice: null, markPriceAt: null, leverageBrackets: null, createdAt: at, updatedAt: at,
  });
  return [
    { kind: 'insert', table: TABLES.symbols, row, ignoreDuplicate: true },
    { kind: 'update', table: TABLES.symbols, where: key(exchange, info.symbol), set: encodeRow(TABLES.symbols, CODEC, { ...filters, updatedAt: at }) },
  ];
}

/** What an operator (or, later, market intelligence) sets on a symbol; undefined fields stay. */
export interface SymbolFlags {
  direction?: Direction | null;
  isEligible?: boolean;
  /** A reason blocks the symbol; null unblocks it. */
  block?: string | null;
}

/** Sets direction, eligibility and the block; `required`, so an unknown symbol rolls back. */
export function setSymbolFlags(symbol: string, flags: SymbolFlags, at: number, exchange = DEFAULT_EXCHANGE): UpdateEffect {
  const blocking = flags.block === undefined ? {} : flags.block === null
    ? { isBlocked: false, blockReason: null, blockedAt: null }
    : { isBlocked: true, blockReason: flags.block.slice(0, 255), blockedAt: at };
  const set = encodeRow(TABLES.symbols, CODEC, { direction: flags.direction, isEligible: flags.isEligible, ...blocking, updatedAt: at });
  return { kind: 'update', table: TABLES.symbols, where: key(exchange, symbol), set, required: true };
}

/** The automatic block after an unprovable cancel: separate from the operator's eligibility switch. */
export function blockSymbol(symbol: string, reason: string, at: number, exchange = DEFAULT_EXCHANGE): UpdateEffect {
  return { ...setSymbolFlags(symbol, { block: reason }, at, exchange), required: false };
}

/** Stores a fresh mark price (rounded to the grid by the caller: it is exchange evidence). */
export function recordMarkPrice(symbol: string, markPrice: DecimalString, at: number, exchange = DEFAULT_EXCHANGE): UpdateEffect {
  return { kind: 'update', table: TABLES.symbols, where: key(exchange, symbol), set: encodeRow(TABLES.symbols, CODEC, { markPrice, markPriceAt: at }) };
}

/** Stores the symbol's leverage tiers, read by the open block's leverage step. */
export function recordLeverageBrackets(symbol: string, tiers: LeverageTier[], at: number, exchange = DEFAULT_EXCHANGE): UpdateEffect {
  return { kind: 'update', table: TABLES.symbols, where: key(exchange, symbol), set: encodeRow(TABLES.symbols, CODEC, { leverageBrackets: tiers, updatedAt: at }) };
}
