// The figures of the drills, computed from plain records: the simulator's orders (entries and
// their protective stops), the dedupe keys of the scheduler's blocks, and the simulator's and
// the database's open positions. Pure, so a unit test pins each rule.
import { nextSlotAfter, slotAtOrBefore } from '../../core/scheduler/cadence.ts';
import type { ScheduleEntry } from '../../core/scheduler/schedule-entry.ts';
import { dedupeKey } from '../../core/scheduler/scheduler.ts';

/** An order the exchange accepted, reduced to what the drills read. */
export interface OrderRecord {
  account: string;
  symbol: string;
  clientId: string;
  /** `entry`: a market order opening or adding to a position; `stop`: a closePosition stop; `other`. */
  kind: 'entry' | 'stop' | 'other';
  createdAt: number;
  /** When it filled (entries), or null. */
  filledAt: number | null;
  /** When it stopped working (cancelled, triggered, expired), or null while it works. */
  endedAt: number | null;
}

/** One entry fill and how long it stood without a working stop. */
export interface UnprotectedWindow {
  account: string;
  symbol: string;
  filledAt: number;
  /** ms from the fill to the first working stop; the time until `now` when none came. */
  ms: number;
  /** No stop was ever placed for it (by `now`). */
  open: boolean;
}

/** For every filled entry: the time from its fill until a stop of the same account and symbol was working (0 when one already was). */
export function unprotectedWindows(orders: readonly OrderRecord[], now: number): UnprotectedWindow[] {
  const stops = orders.filter((o) => o.kind === 'stop');
  return orders.filter((o) => o.kind === 'entry' && o.filledAt !== null).map((e) => {
    const t = e.filledAt!;
    const mine = stops.filter((s) => s.account === e.account && s.symbol === e.symbol);
    if (mine.some((s) => s.createdAt <= t && (s.endedAt === null || s.endedAt > t))) return { account: e.account, symbol: e.symbol, filledAt: t, ms: 0, open: false };
    const next = mine.filter((s) => s.createdAt > t).reduce<number | null>((m, s) => (m === null || s.createdAt < m ? s.createdAt : m), null);
    return { account: e.account, symbol: e.symbol, filledAt: t, ms: (next ?? now) - t, open: next === null };
  });
}

/** Client ids the exchange accepted more than once, per account. */
export function duplicateClientIds(orders: readonly OrderRecord[]): string[] {
  const seen = new Map<string, number>();
  for (const o of orders) seen.set(`${o.account}/${o.clientId}`, (seen.get(`${o.account}/${o.clientId}`) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
}

/** Every slot of every step-producing entry in [from, to] that has no block (by its dedupe key). */
export function missedSlots(entries: readonly ScheduleEntry[], keys: ReadonlySet<string>, from: number, to: number): { entry: string; slot: number }[] {
  const missed: { entry: string; slot: number }[] = [];
  for (const e of entries) {
    if (!e.step) continue;
    for (let s = slotAtOrBefore(e.cadence, from) < from ? nextSlotAfter(e.cadence, from) : from; s <= to; s = nextSlotAfter(e.cadence, s)) {
      if (!keys.has(dedupeKey(e.name, s))) missed.push({ entry: e.name, slot: s });
    }
  }
  return missed;
}

/** Open positions the two sides disagree on, and exchange positions with no working stop. */
export function positionInvariants(exchange: readonly { account: string; symbol: string; protectedByStop: boolean }[], local: readonly { account: string; symbol: string }[]): { exchangeOnly: string[]; localOnly: string[]; withoutStop: string[] } {
  const key = (p: { account: string; symbol: string }) => `${p.account}/${p.symbol}`;
  const ex = new Set(exchange.map(key));
  const lo = new Set(local.map(key));
  return {
    exchangeOnly: [...ex].filter((k) => !lo.has(k)),
    localOnly: [...lo].filter((k) => !ex.has(k)),
    withoutStop: exchange.filter((p) => !p.protectedByStop).map(key),
  };
}
