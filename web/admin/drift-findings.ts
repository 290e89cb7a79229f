// Drift findings as the admin reads them: the trading drift check (handlers/trading/drift.ts) emits
// notify effects with subject `drift <account name> <symbol> <kind>`, stored as step events. The
// event port lists forward from an id only, so the newest events are found by locating the last id
// (a few indexed one-row reads) and reading the window just before it.
import type { StepStore, StoredEvent } from '../../core/steps/step-store.port.ts';

/** One drift finding. */
export interface DriftEvent {
  id: number;
  at: number;
  account: string;
  symbol: string;
  kind: string;
  detail: string;
  stepId: number | null;
  set: string | null;
}

/** How many of the newest events the drift views look through. */
export const DRIFT_WINDOW = 5_000;

type EventReader = Pick<StepStore, 'listEvents'>;

/** The largest event id, or 0 when there is none: doubling, then bisecting, on "is there one after x". */
export async function lastEventId(events: EventReader): Promise<number> {
  const after = async (x: number) => (await events.listEvents({ afterId: x, limit: 1 })).length > 0;
  if (!(await after(0))) return 0;
  let lo = 0;
  let hi = 1;
  while (await after(hi)) {
    lo = hi;
    hi *= 2;
  }
  // after(lo) holds and after(hi) does not: the last id is in (lo, hi].
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await after(mid)) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The newest `limit` events (ids may have gaps: at most `limit`), oldest first. */
export async function newestEvents(events: EventReader, limit: number): Promise<StoredEvent[]> {
  const last = await lastEventId(events);
  if (last === 0) return [];
  return events.listEvents({ afterId: Math.max(0, last - limit), limit });
}

/** Parses a drift subject; the account name may hold spaces, the symbol and kind do not. */
export function parseDriftSubject(subject: string): { account: string; symbol: string; kind: string } | null {
  const parts = subject.split(' ');
  if (parts[0] !== 'drift' || parts.length < 4) return null;
  const kind = parts.at(-1)!;
  const symbol = parts.at(-2)!;
  return { account: parts.slice(1, -2).join(' '), symbol, kind };
}

/** Drift findings among the newest events, newest first. */
export async function recentDrift(events: EventReader, window = DRIFT_WINDOW): Promise<DriftEvent[]> {
  const found: DriftEvent[] = [];
  for (const e of await newestEvents(events, window)) {
    if (e.kind !== 'notify') continue;
    const subject = parseDriftSubject(e.subject);
    if (subject) found.push({ id: e.id, at: e.createdAt, ...subject, detail: e.message, stepId: e.stepId ?? null, set: e.set ?? null });
  }
  return found.sort((a, b) => b.at - a.at || b.id - a.id);
}
