// Generic SQL for domain rows: identifiers are validated, values always travel as placeholders.
// Shared by the mysql2 store (edge/adapters/mysql) and the PlanetScale store (core/adapters/planetscale).
import type { Row } from '../../steps/effects.ts';

const IDENT = /^[a-z][a-z0-9_]*$/;

/** Backticks a validated identifier; anything else is refused. */
export function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`invalid SQL identifier "${name}"`);
  return `\`${name}\``;
}

/** `a = ? AND b IS NULL` for a where-object (empty → TRUE). */
export function whereSql(where: Row): { sql: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  for (const [column, value] of Object.entries(where)) {
    if (value === null) parts.push(`${ident(column)} IS NULL`);
    else {
      parts.push(`${ident(column)} = ?`);
      values.push(value);
    }
  }
  return { sql: parts.length ? parts.join(' AND ') : 'TRUE', values };
}

/** SELECT for findRows. */
export function selectSql(table: string, where: Row, options: { orderBy?: string; desc?: boolean; limit?: number } = {}): { sql: string; values: unknown[] } {
  const w = whereSql(where);
  const order = ` ORDER BY ${ident(options.orderBy ?? 'id')}${options.desc ? ' DESC' : ''}`;
  const limit = options.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(options.limit))}`;
  return { sql: `SELECT * FROM ${ident(table)} WHERE ${w.sql}${order}${limit}`, values: w.values };
}

/** INSERT for one row (a duplicate is caught by the caller: INSERT IGNORE would hide other errors too). */
export function insertSql(table: string, row: Row): { sql: string; values: unknown[] } {
  const columns = Object.keys(row);
  return {
    sql: `INSERT INTO ${ident(table)} (${columns.map(ident).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    values: columns.map((c) => row[c]),
  };
}

/** The invisible counter (migration 0020) every conditional write bumps, so a matched row always counts as changed. */
export const ROW_VERSION_BUMP = 'row_version = row_version + 1';

/**
 * UPDATE for a conditional write. With `bumpVersion` it also bumps `row_version`: PlanetScale counts
 * changed rows, so a write that sets what is already there would read as "matched nothing" without it
 * (mysql2 with found-rows counts matched rows and needs no bump).
 */
export function updateSql(table: string, where: Row, set: Row, options: { bumpVersion?: boolean } = {}): { sql: string; values: unknown[] } {
  const columns = Object.keys(set);
  if (columns.length === 0) throw new Error(`update of ${table} sets no column`);
  const w = whereSql(where);
  const sets = columns.map((c) => `${ident(c)} = ?`).join(', ') + (options.bumpVersion ? `, ${ROW_VERSION_BUMP}` : '');
  return { sql: `UPDATE ${ident(table)} SET ${sets} WHERE ${w.sql}`, values: [...columns.map((c) => set[c]), ...w.values] };
}
