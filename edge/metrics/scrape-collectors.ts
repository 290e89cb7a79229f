// Gauges that describe shared state (queues, the dispatcher, the governor's weight per IP, the
// books) are read when Prometheus scrapes, not pushed: a scrape costs a few reads, a step nothing.
import { Decimal } from 'decimal.js';
import type { ExchangeGovernor } from '../../core/governor/weight-governor.port.ts';
import type { QueuePort } from '../../core/queue/queue.port.ts';
import type { DispatchDaemon } from '../../core/steps/dispatch-daemon.ts';
import type { MarkPriceStats } from '../streams/mark-price/mark-price-daemon.ts';
import type { BackgroundUserData } from '../streams/user-data/start-user-data.ts';
import type { RowReader } from '../../core/steps/step-store.port.ts';
import { latestSnapshot } from '../../core/market/regime/regime-store.ts';
import { TABLES } from '../../core/trading/tables.ts';
import type { FleetMetrics } from './fleet-metrics.ts';

/** What a scrape reads. */
export interface ScrapeSources {
  /** Null in a process that consumes no queue (the mark-price stream). */
  queue: QueuePort | null;
  /** Physical queues to report (the ones this process consumes; every one on the dispatcher's box). */
  queues: readonly string[];
  daemon: DispatchDaemon | null;
  governor: ExchangeGovernor | null;
  /** The books: set on the process that reports trading state (the scheduler's box, or --all). */
  rows: RowReader | null;
  /** The user-data streams this process owns (athena's main process, a `streams:user-data` shard). */
  userData?: BackgroundUserData | null;
  /** The mark-price stream's counters (`stream:mark-price`, or `run --all` against an exchange). */
  markPrice?: MarkPriceStats | null;
  now: () => number;
}

const STREAM_STATES = ['waiting', 'connecting', 'open', 'stopped'] as const;

function userDataStreams(m: FleetMetrics, userData: BackgroundUserData): void {
  const s = userData.status();
  const count: Record<string, number> = Object.fromEntries(STREAM_STATES.map((state) => [state, 0]));
  if (typeof s !== 'string') for (const stream of s.streams) count[stream.state] = (count[stream.state] ?? 0) + 1;
  for (const state of STREAM_STATES) m.userDataStreams.labels(state).set(count[state]!);
}

/** Counters kept as plain numbers by a daemon become Prometheus counters by adding what grew since the last scrape. */
function counterFeed(): (counter: { inc(n: number): void }, key: string, total: number) => void {
  const seen = new Map<string, number>();
  return (counter, key, total) => {
    counter.inc(Math.max(0, total - (seen.get(key) ?? 0)));
    seen.set(key, total);
  };
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

async function books(m: FleetMetrics, rows: RowReader, now: number): Promise<void> {
  const open = await rows.findRows(TABLES.positions, { is_open: 1 });
  const count = { LONG: 0, SHORT: 0 } as Record<string, number>;
  const exposure = { LONG: new Decimal(0), SHORT: new Decimal(0) } as Record<string, Decimal>;
  const symbols = new Set<string>();
  for (const p of open) {
    const direction = p.direction === 'SHORT' ? 'SHORT' : 'LONG';
    count[direction]! += 1;
    exposure[direction] = exposure[direction]!.plus(new Decimal(str(p.margin) ?? 0).times(Number(p.leverage ?? 1)));
    symbols.add(String(p.symbol));
  }
  for (const d of ['LONG', 'SHORT']) {
    m.openPositions.labels(d).set(count[d]!);
    m.exposure.labels(d).set(exposure[d]!.toNumber());
  }
  // positions.pnl holds net PnL (after fees and funding) once the ledger columns land; the same column before.
  const closed = await rows.findRows(TABLES.positions, { is_open: null });
  m.realizedPnl.set(closed.reduce((sum, p) => (p.pnl === null || p.pnl === undefined ? sum : sum.plus(String(p.pnl))), new Decimal(0)).toNumber());
  let stalest = 0;
  for (const symbol of symbols) {
    const [row] = await rows.findRows(TABLES.symbols, { symbol }, { limit: 1 });
    const at = row?.mark_price_at === null || row?.mark_price_at === undefined ? null : Number(row.mark_price_at);
    stalest = Math.max(stalest, at === null ? Number.POSITIVE_INFINITY : now - at);
  }
  m.markPriceAge.set(Number.isFinite(stalest) ? stalest / 1000 : -1);
  const regime = await latestSnapshot(rows);
  if (regime) m.regimeScore.set(regime.score);
}

/** Returns the function the /metrics route awaits before it renders the registry. */
export function scrapeCollector(m: FleetMetrics, s: ScrapeSources): () => Promise<void> {
  const feed = counterFeed();
  return async () => {
    const now = s.now();
    const port = s.queue;
    if (port) await Promise.all(s.queues.map(async (queue) => {
      try {
        const c = await port.counts(queue);
        m.queueWaiting.labels(queue).set(c.waiting);
        m.queueActive.labels(queue).set(c.active);
        m.queueDelayed.labels(queue).set(c.delayed);
        m.queueOldestWait.labels(queue).set((c.oldestWaitingMs ?? 0) / 1000);
      } catch {
        // Redis away: the gauges keep their last value and /health/ready says why.
      }
    }));
    if (s.daemon) {
      const st = s.daemon.stats;
      feed(m.dispatcherTicks, 'ticks', st.ticks);
      feed(m.dispatcherDispatched, 'dispatched', st.dispatched);
      feed(m.dispatcherGroupFailures, 'groupFailures', st.groupFailures);
      feed(m.dispatcherSaturated.labels('capped'), 'capped', st.capped);
      feed(m.dispatcherSaturated.labels('leftover'), 'leftover', st.leftover);
      if (st.lastTickAt) m.dispatcherLag.set(Math.max(0, now - st.lastTickAt) / 1000);
    }
    if (s.userData) userDataStreams(m, s.userData);
    if (s.markPrice) {
      const st = s.markPrice;
      feed(m.markPriceFrames, 'markPriceFrames', st.frames);
      feed(m.markPriceWriteFailures, 'markPriceWriteFailures', st.writeFailures);
      feed(m.markPriceReconnects, 'markPriceReconnects', st.reconnects);
      m.markPriceSilence.set(Math.max(0, now - st.lastDataAt) / 1000);
    }
    if (s.governor) {
      try {
        for (const ip of (await s.governor.state()).ips) {
          m.weightUsed.labels(ip.ip).set(ip.used);
          m.weightHeadroom.labels(ip.ip).set(Math.max(0, ip.budget - ip.used));
        }
      } catch {
        // As above.
      }
    }
    if (s.rows) {
      try {
        await books(m, s.rows, now);
      } catch {
        // The database is away: /health/ready names it.
      }
    }
  };
}
