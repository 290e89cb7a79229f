// Gathers the dashboard's figures from the fleet: queues, dispatcher saturation, step throughput
// and failures, stream health (accounts' last frames), mark-price freshness and recent events.
// Figures no subsystem reports yet (heartbeats, exchange weight, regime) are absent, not invented.
import type { Clock } from '../../core/ports/clock.ts';
import type { GovernorState } from '../../core/governor/weight-governor.port.ts';
import type { DaemonStats } from '../../core/steps/dispatch-daemon.ts';
import { STEP_SETS, type StepSet, type StepState } from '../../core/steps/step.ts';
import { TABLES } from '../../core/trading/tables.ts';
import { newestEvents } from './drift-findings.ts';
import type { AdminFleet, QueueGauge } from './fleet.port.ts';

/** A user-data stream is stale after this long without a frame. */
export const STREAM_STALE_MS = 2 * 60_000;
/** A mark price is stale after this long. */
export const MARK_PRICE_STALE_MS = 60_000;

/** Saturation of one set over the last hour. */
export interface SaturationSummary {
  set: StepSet;
  ticks: number;
  capped: number;
  dispatched: number;
  /** Dispatches per minute, oldest first (for the chart). */
  perMinute: { minute: number; dispatched: number; capped: number }[];
}

/** Everything the dashboard shows. */
export interface DashboardData {
  at: number;
  info: AdminFleet['info'];
  queues: QueueGauge[];
  dispatcher: DaemonStats | null;
  saturation: SaturationSummary[];
  steps: Record<StepSet, Partial<Record<StepState, number>>>;
  /** Completion and failure times of steps created in the last hour (for the per-minute charts). */
  completedAt: number[];
  failedAt: number[];
  streams: { accountId: number; name: string; tradingEnabled: boolean; lastFrameAt: number | null; stale: boolean }[];
  markPrices: { symbols: number; fresh: number; stale: number; never: number; oldestAt: number | null };
  events: { at: number; severity: string; message: string }[];
  /** Newest beat per box, or null when no heartbeat port is wired. */
  heartbeats: { box: string; worker: string; version: string; at: number; processes: string[]; consumers: number; stale: boolean }[] | null;
  /** The newest regime snapshot, cooldown and override, or null when the regime worker has not reported. */
  regime: RegimeView | null;
  /** Exchange weight per egress IP, bans and order counts, or null when no governor is wired. */
  governor: GovernorState | null;
}

/** The market regime as the dashboard shows it. */
export interface RegimeView {
  score: string;
  band: string;
  periodAt: number;
  computedAt: number;
  cooldownUntil: number | null;
  override: { mode: string; reason: string; by: string; until: number } | null;
}

/** A box is stale after this long without a heartbeat. */
export const HEARTBEAT_STALE_MS = 3 * 60_000;

/** Reads the regime tables (0004_market.sql); null when they are empty or not there yet. */
async function readRegime(fleet: AdminFleet, now: number): Promise<RegimeView | null> {
  try {
    const [snap] = await fleet.store.findRows('regime_snapshots', {}, { orderBy: 'period_at', desc: true, limit: 1 });
    if (!snap) return null;
    const [cooldown] = await fleet.store.findRows('regime_cooldown', { id: 1 });
    const [override] = await fleet.store.findRows('regime_overrides', {}, { orderBy: 'created_at', desc: true, limit: 1 });
    const until = num(cooldown?.until_at);
    return {
      score: String(snap.score), band: String(snap.band), periodAt: Number(snap.period_at), computedAt: Number(snap.computed_at),
      cooldownUntil: until !== null && until > now ? until : null,
      override: override && Number(override.until_at) > now ? { mode: String(override.mode), reason: String(override.reason), by: String(override.created_by), until: Number(override.until_at) } : null,
    };
  } catch {
    // The market migration is not applied on this database yet.
    return null;
  }
}

async function readHeartbeats(fleet: AdminFleet, now: number): Promise<DashboardData['heartbeats']> {
  if (!fleet.heartbeats) return null;
  // Every live process of a box (a box may run more than one: athena's main process and its
  // mark-price daemon); a box with none live shows its newest beat, stale.
  const byBox = new Map<string, Awaited<ReturnType<NonNullable<AdminFleet['heartbeats']>['list']>>>();
  for (const b of await fleet.heartbeats.list()) byBox.set(b.box, [...(byBox.get(b.box) ?? []), b]);
  return [...byBox.keys()].sort((a, b) => a.localeCompare(b)).flatMap((box) => {
    const beats = byBox.get(box)!;
    const live = beats.filter((b) => now - b.at <= HEARTBEAT_STALE_MS).sort((a, b) => a.worker.localeCompare(b.worker));
    const newest = beats.reduce((a, b) => (b.at > a.at ? b : a));
    return live.length ? live : [newest];
  }).map((b) => ({
    box: b.box, worker: b.worker, version: b.version, at: b.at, processes: b.processes, consumers: b.consumers.reduce((n, c) => n + c.concurrency, 0), stale: now - b.at > HEARTBEAT_STALE_MS,
  }));
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Reads the dashboard's figures once. */
export async function dashboardData(fleet: AdminFleet, clock: Clock): Promise<DashboardData> {
  const now = clock.now();
  const hourAgo = now - 60 * 60_000;
  const { store } = fleet;
  const steps = {} as DashboardData['steps'];
  const saturation: SaturationSummary[] = [];
  const completedAt: number[] = [];
  const failedAt: number[] = [];
  for (const set of STEP_SETS) {
    steps[set] = await store.countByState(set);
    const fromMinute = Math.floor(hourAgo / 60_000) * 60_000;
    // The store has the minutes the daemon has written; a local daemon still holds the minute in progress.
    const samples = [...await store.listSaturation(set, fromMinute), ...(fleet.unflushedSaturation?.() ?? []).filter((s) => s.set === set && s.minute >= fromMinute)];
    const byMinute = new Map<number, { minute: number; dispatched: number; capped: number }>();
    for (const s of samples) {
      const m = byMinute.get(s.minute) ?? { minute: s.minute, dispatched: 0, capped: 0 };
      m.dispatched += s.dispatched;
      m.capped += s.capped;
      byMinute.set(s.minute, m);
    }
    saturation.push({
      set, ticks: samples.reduce((n, s) => n + s.ticks, 0), capped: samples.reduce((n, s) => n + s.capped, 0),
      dispatched: samples.reduce((n, s) => n + s.dispatched, 0), perMinute: [...byMinute.values()].sort((a, b) => a.minute - b.minute),
    });
    for (const s of await store.listSteps(set, { state: ['completed', 'failed'], createdFrom: hourAgo, limit: 5_000 })) {
      if (s.completedAt !== null) (s.state === 'failed' ? failedAt : completedAt).push(s.completedAt);
    }
  }
  const accounts = await store.findRows(TABLES.accounts, { removed_at: null }, { orderBy: 'id' });
  const streams = accounts.map((a) => {
    const lastFrameAt = num(a.last_frame_at);
    return { accountId: Number(a.id), name: String(a.name), tradingEnabled: Number(a.trading_enabled) === 1, lastFrameAt, stale: lastFrameAt === null || now - lastFrameAt > STREAM_STALE_MS };
  });
  const symbols = await store.findRows(TABLES.symbols, {});
  const marks = symbols.map((s) => num(s.mark_price_at));
  const seen = marks.filter((m): m is number => m !== null);
  // The newest 15 (the event port lists forward from an id, so find the tail first).
  const events = (await newestEvents(store, 15)).reverse().map((e) => ({ at: e.createdAt, severity: e.severity, message: e.message }));
  return {
    at: now, info: fleet.info, queues: await fleet.queues(), dispatcher: fleet.dispatcher(), saturation, steps, completedAt, failedAt, streams,
    markPrices: { symbols: symbols.length, fresh: seen.filter((m) => now - m <= MARK_PRICE_STALE_MS).length, stale: seen.filter((m) => now - m > MARK_PRICE_STALE_MS).length, never: marks.length - seen.length, oldestAt: seen.length ? Math.min(...seen) : null },
    events, heartbeats: await readHeartbeats(fleet, now), regime: await readRegime(fleet, now), governor: fleet.governor ? await fleet.governor.state() : null,
  };
}
