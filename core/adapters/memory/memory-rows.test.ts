import { describe, expect, it } from 'vitest';
import type { Row, Scalar } from '../../steps/effects.ts';
import { DuplicateKeyError } from '../../steps/step-store.port.ts';
import { MemoryRows, matches } from './memory-rows.ts';

/** The reference: every query answered by scanning every row, as the store did before its indexes. */
class ScanRows {
  readonly rows = new Map<number, Row>();
  next = 1;
  constructor(private readonly keys: string[][]) {}
  find(where: Row, orderBy = 'id', desc = false, limit?: number): Row[] {
    const sign = desc ? -1 : 1;
    const rows = [...this.rows.values()].filter((r) => matches(r, where)).map((r) => ({ ...r }));
    rows.sort((a, b) => {
      const x = a[orderBy] ?? null;
      const y = b[orderBy] ?? null;
      return x === y ? 0 : (x === null || (y !== null && x < y) ? -1 : 1) * sign;
    });
    return limit === undefined ? rows : rows.slice(0, limit);
  }
  clash(row: Row, ignoreId?: number): boolean {
    return this.keys.some((key) => !key.some((c) => (row[c] ?? null) === null) && [...this.rows.values()].some((o) => o.id !== ignoreId && key.every((c) => o[c] === row[c])));
  }
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('MemoryRows', () => {
  it('answers find and update exactly as a scan would, through inserts, updates, clashes and rollbacks', () => {
    const keys = [['account', 'ref']];
    const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const values: Scalar[] = [null, 1, 2, '1', 'a', 'b', true];
    const columns = ['account', 'ref', 'status', 'n'];
    for (let seed = 1; seed <= 20; seed++) {
      const r = rng(seed);
      const rows = new MemoryRows({ t: keys });
      const scan = new ScanRows(keys);
      const randomRow = (): Row => Object.fromEntries(columns.filter(() => r() < 0.8).map((c) => [c, pick(r, values)]));
      const randomWhere = (): Row => Object.fromEntries(columns.filter(() => r() < 0.4).map((c) => [c, pick(r, values)]));
      for (let op = 0; op < 400; op++) {
        const undos: (() => void)[] = [];
        const undo = (fn: () => void) => undos.push(fn);
        const before = new Map([...scan.rows].map(([id, row]) => [id, { ...row }]));
        const beforeNext = scan.next;
        const kind = r();
        if (kind < 0.4) {
          const row = randomRow();
          if (r() < 0.2) row.id = Math.floor(r() * 30) + 1;
          const id = typeof row.id === 'number' ? row.id : scan.next;
          const clashes = scan.rows.has(id) || scan.clash({ ...row, id });
          const ignore = r() < 0.5;
          if (clashes && !ignore) expect(() => rows.insert('t', row, false, undo)).toThrow(DuplicateKeyError);
          else expect(rows.insert('t', row, ignore, undo)).toBe(!clashes);
          if (!clashes) {
            scan.rows.set(id, { ...row, id });
            scan.next = Math.max(scan.next, id + 1);
          }
        } else if (kind < 0.7) {
          const where = randomWhere();
          const set = Object.fromEntries(columns.filter(() => r() < 0.5).map((c) => [c, pick(r, values)]));
          let n = 0;
          let threw = false;
          for (const [id, row] of scan.rows) {
            if (!matches(row, where)) continue;
            const next = { ...row, ...set };
            if (scan.clash(next, id)) {
              threw = true;
              break;
            }
            scan.rows.set(id, next);
            n += 1;
          }
          if (threw) expect(() => rows.update('t', where, set, undo)).toThrow(DuplicateKeyError);
          else expect(rows.update('t', where, set, undo)).toBe(n);
        } else {
          const where = randomWhere();
          const orderBy = pick(r, ['id', 'status', 'n', 'missing']);
          const desc = r() < 0.5;
          const limit = r() < 0.3 ? Math.floor(r() * 3) : undefined;
          expect(rows.find('t', where, { orderBy, desc, limit })).toEqual(scan.find(where, orderBy, desc, limit));
        }
        if (r() < 0.25) {
          // Roll the operation back, newest first, as the store does on a failed transaction.
          for (const fn of undos.reverse()) fn();
          scan.rows.clear();
          for (const [id, row] of before) scan.rows.set(id, row);
          scan.next = beforeNext;
        }
        expect(rows.find('t', {})).toEqual(scan.find({}));
      }
    }
  });

  it('matches no row for a NaN in where, and never clashes on a NULL key column', () => {
    const rows = new MemoryRows({ t: [['k']] });
    const undo = () => {};
    rows.insert('t', { k: null, n: Number.NaN }, false, undo);
    rows.insert('t', { k: null, n: 1 }, false, undo);
    expect(rows.find('t', { n: Number.NaN })).toEqual([]);
    expect(rows.find('t', { k: null }).map((r) => r.id)).toEqual([1, 2]);
  });
});
