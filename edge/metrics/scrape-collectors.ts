// Gauges that describe shared state (queues, the dispatcher, the governor's weight per IP, the
// books) are read when Prometheus scrapes, not pushed: a scrape costs a few reads, a step nothing.
import { Decimal } from 'decimal.js';
import type { ExchangeGovernor } from '../../core/governor/weight-governor.port.ts';
import type { QueuePort } from '../../core/queue/queue.port.ts';
import type { DispatchDaemon } from '../../core/steps/dispatch-daemon.ts';
import type { RowReader } from '../../core/steps/step-store.port.ts';
import { latestSnapshot } from '../../core/market/regime/regime-store.ts';
import { TABLES } from '../../core/trading/tables.ts';
import type { FleetMetrics } from './fleet-metrics.ts';

/** What a scrape reads. */
export interface ScrapeSources {
  queue: QueuePort;
  /** Physical queues to report (the ones this process consumes; every one on the dispatcher's box). */
  queues: readonly string[];
  daemon: DispatchDaemon | null;
  governor: ExchangeGovernor | null;
  /** The books: set on the process that reports trading state (the scheduler's box, or --all). */
  rows: RowReader | null;
  now: () => number;
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
  const seen = { ticks: 0, dispatched: 0, groupFailures: 0 };
  return async () => {
    const now = s.now();
    await Promise.all(s.queues.map(async (queue) => {
      try {
        const c = await s.queue.counts(queue);
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
      m.dispatcherTicks.inc(Math.max(0, st.ticks - seen.ticks));
      m.dispatcherDispatched.inc(Math.max(0, st.dispatched - seen.dispatched));
      m.dispatcherGroupFailures.inc(Math.max(0, st.groupFailures - seen.groupFailures));
      Object.assign(seen, { ticks: st.ticks, dispatched: st.dispatched, groupFailures: st.groupFailures });
      if (st.lastTickAt) m.dispatcherLag.set(Math.max(0, now - st.lastTickAt) / 1000);
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
