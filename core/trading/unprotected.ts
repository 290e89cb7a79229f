// Positions whose exposure has gone without a working stop for too long: the watch that pages an
// operator when recovery did not close the window in time (a worker killed mid-open, a stop
// cancelled on the exchange and not replaced). Local rows only: the entry row is written one hop
// before the market order goes out, so an entry that is not known dead may be on the exchange.
import type { RowReader } from '../steps/step-store.port.ts';
import { toOrder, type OrderRow } from './order.ts';
import { toPosition, type PositionRow } from './position.ts';
import type { PositionStatus } from './statuses.ts';
import { TABLES } from './tables.ts';

/** Statuses in which a position holds (or may hold) exposure that its stop must cover. */
const EXPOSED: readonly PositionStatus[] = ['opening', 'active', 'syncing', 'waping'];
/** Entry states that prove no exposure came of it. */
const DEAD = new Set(['cancelled', 'expired', 'rejected']);

/** One position exposed without a working stop. */
export interface UnprotectedPosition {
  position: PositionRow;
  /** Since when: the entry's placement, or the moment its stop stopped working, whichever is later. */
  since: number;
  /** The stop's local status, or 'missing' before its row exists. */
  stop: string;
  /** The entry's local status: `pending` means its answer was never recorded (the order may be filled). */
  entry: string;
}

/** The exposure window of one position's orders: null while a stop works or no exposure is possible. */
export function unprotectedSince(orders: readonly OrderRow[]): { since: number; stop: string; entry: string } | null {
  const entry = orders.find((o) => o.role === 'entry');
  if (!entry || DEAD.has(entry.status)) return null;
  const stops = orders.filter((o) => o.role === 'stop');
  // A working stop protects; a filled one (closePosition) already took the exposure away.
  if (stops.some((s) => s.status === 'working' || s.status === 'partially_filled' || s.status === 'filled')) return null;
  const latest = stops.reduce<OrderRow | null>((a, s) => (a === null || s.id > a.id ? s : a), null);
  // A stop row still pending has never worked: the window started with the entry.
  const stoppedAt = latest && latest.status !== 'pending' ? latest.updatedAt : 0;
  return { since: Math.max(entry.createdAt, stoppedAt), stop: latest?.status ?? 'missing', entry: entry.status };
}

/** Every position exposed without a working stop for longer than `boundMs`. */
export async function unprotectedPositions(rows: RowReader, now: number, boundMs: number): Promise<UnprotectedPosition[]> {
  const found: UnprotectedPosition[] = [];
  for (const status of EXPOSED) {
    for (const position of (await rows.findRows(TABLES.positions, { status })).map(toPosition)) {
      const window = unprotectedSince((await rows.findRows(TABLES.orders, { position_id: position.id })).map(toOrder));
      if (window && now - window.since > boundMs) found.push({ position, ...window });
    }
  }
  return found;
}
