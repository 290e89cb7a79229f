// Typed rows from the loose `Row` both stores return, and back. One table per entity maps each
// field to its column and kind, so reading and writing cannot disagree on a column name.
// Decimals stay strings: MySQL's DECIMAL(36,18) pads them to 18 places and the in-memory store
// returns what was written, so both are normalised here and read back identically.
import { ValidationError } from '../errors.ts';
import { dec, toDecimalString } from '../exchange/precision.ts';
import type { Row, Scalar } from '../steps/effects.ts';

/** What a column holds; booleans are stored as 0/1 so both stores match on the same values. */
export type ColumnKind = 'int' | 'string' | 'decimal' | 'flag' | 'json';
/** A kind, with `?` when the column is nullable. */
export type ColumnType = ColumnKind | `${ColumnKind}?`;
/** Every field of `T` mapped to its column and type. */
export type Codec<T> = { readonly [K in keyof T]-?: readonly [column: string, type: ColumnType] };

/** Raised when a row or a write does not fit its codec: a bug or a corrupted row, never retried. */
export class RowShapeError extends ValidationError {
  constructor(message: string) {
    super(message, 'ROW_SHAPE');
  }
}

// DECIMAL(36,18): 18 digits either side of the point.
const SCALE = 18;
const LIMIT = dec('1e18');
const SIGNED_DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Validates a decimal string for a DECIMAL(36,18) column: rounded to 18 places (as MySQL would,
 * so both stores hold the same value) and refused beyond 18 integer digits instead of clipped.
 */
export function dbDecimal(value: string, where = 'decimal'): string {
  if (typeof value !== 'string' || !SIGNED_DECIMAL.test(value)) throw new RowShapeError(`${where}: not a decimal string: ${JSON.stringify(value)}`);
  const d = dec(value).toDecimalPlaces(SCALE);
  if (d.abs().gte(LIMIT)) throw new RowShapeError(`${where}: ${value} does not fit DECIMAL(36,18)`);
  return toDecimalString(d);
}

function split(type: ColumnType): { kind: ColumnKind; nullable: boolean } {
  return type.endsWith('?') ? { kind: type.slice(0, -1) as ColumnKind, nullable: true } : { kind: type as ColumnKind, nullable: false };
}

function decodeValue(kind: ColumnKind, value: unknown, where: string): unknown {
  switch (kind) {
    case 'int': {
      const n = typeof value === 'string' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new RowShapeError(`${where}: not an integer: ${String(value)}`);
      return n;
    }
    case 'string':
      if (typeof value !== 'string') throw new RowShapeError(`${where}: not a string: ${String(value)}`);
      return value;
    case 'decimal':
      // Numbers are refused: a float in a money column is exactly the bug this layer exists to stop.
      if (typeof value !== 'string') throw new RowShapeError(`${where}: decimal read as ${typeof value}, expected a string`);
      return toDecimalString(value);
    case 'flag':
      if (value === 1 || value === true || value === '1') return true;
      if (value === 0 || value === false || value === '0') return false;
      throw new RowShapeError(`${where}: not a 0/1 flag: ${String(value)}`);
    case 'json':
      // MariaDB returns JSON as text; MySQL 8 through mysql2 returns it parsed.
      return typeof value === 'string' ? JSON.parse(value) : value;
  }
}

type Field = { field: string; column: string; kind: ColumnKind; nullable: boolean };
const fieldsOf = new WeakMap<object, Field[]>();

/** A codec's fields with their types split, worked out once per codec (rows are read on every step). */
function fields<T>(codec: Codec<T>): Field[] {
  let list = fieldsOf.get(codec);
  if (!list) {
    list = (Object.entries(codec) as [string, readonly [string, ColumnType]][]).map(([field, [column, type]]) => ({ field, column, ...split(type) }));
    fieldsOf.set(codec, list);
  }
  return list;
}

/** Reads a stored row into `T`; a missing column counts as NULL. */
export function decodeRow<T>(table: string, codec: Codec<T>, row: Row): T {
  const out: Record<string, unknown> = {};
  for (const { field, column, kind, nullable } of fields(codec)) {
    const value = row[column] ?? null;
    const where = `${table}.${column}`;
    if (value === null) {
      if (!nullable) throw new RowShapeError(`${where} is null`);
      out[field] = null;
    } else out[field] = decodeValue(kind, value, where);
  }
  return out as T;
}

function encodeValue(kind: ColumnKind, value: unknown, where: string): Scalar {
  switch (kind) {
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new RowShapeError(`${where}: not an integer: ${String(value)}`);
      return value;
    case 'string':
      if (typeof value !== 'string') throw new RowShapeError(`${where}: not a string: ${String(value)}`);
      return value;
    case 'decimal':
      return dbDecimal(value as string, where);
    case 'flag':
      if (typeof value !== 'boolean') throw new RowShapeError(`${where}: not a boolean: ${String(value)}`);
      return value ? 1 : 0;
    case 'json':
      return JSON.stringify(value);
  }
}

/** Columns for the fields present in `values` (undefined fields are left out, null is written). */
export function encodeRow<T>(table: string, codec: Codec<T>, values: Partial<T>): Row {
  const out: Row = {};
  for (const [field, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const entry = (codec as Record<string, readonly [string, ColumnType] | undefined>)[field];
    if (!entry) throw new RowShapeError(`${table}: unknown field ${field}`);
    const [column, type] = entry;
    const { kind, nullable } = split(type);
    const where = `${table}.${column}`;
    if (value === null) {
      if (!nullable) throw new RowShapeError(`${where} cannot be null`);
      out[column] = null;
    } else out[column] = encodeValue(kind, value, where);
  }
  return out;
}

/** Refuses a value outside a closed set, naming the column (enum columns read as plain strings). */
export function oneOf<V extends string>(values: readonly V[], value: string, where: string): V {
  if (!(values as readonly string[]).includes(value)) throw new RowShapeError(`${where}: unexpected value "${value}"`);
  return value as V;
}
