// The process's Prometheus registry: every Kraite series is declared here, once, with bounded
// labels (handler and lane names, queue names, endpoints, egress IPs, statuses; never an id).
// One registry per process; the engine, the exchange client and the notifier feed it through
// small hooks, and gauges that describe shared state are read when Prometheus scrapes.
import client from 'prom-client';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The Kraite instruments of one process. */
export type FleetMetrics = ReturnType<typeof declare>;

function declare(registry: client.Registry) {
  const r = [registry];
  // Hot-path tallies (a step run adds to plain numbers) are handed to their counters when scraped.
  const tallies: (() => void)[] = [];
  const collect = () => {
    for (const flush of tallies) flush();
  };
  return {
    registry,
    /** Registers a flush of plain-number tallies into the step counters, run at every scrape. */
    onCollect: (flush: () => void) => void tallies.push(flush),
    stepsStarted: new client.Counter({ name: 'kraite_steps_started_total', help: 'Steps whose handler started, per handler and lane', labelNames: ['handler', 'lane'], registers: r, collect }),
    stepsCompleted: new client.Counter({ name: 'kraite_steps_completed_total', help: 'Handler runs that completed, skipped or stopped', labelNames: ['handler', 'lane'], registers: r, collect }),
    stepsFailed: new client.Counter({ name: 'kraite_steps_failed_total', help: 'Handler runs that failed or threw (the engine may retry)', labelNames: ['handler', 'lane'], registers: r, collect }),
    stepsRetried: new client.Counter({ name: 'kraite_steps_retried_total', help: 'Handler runs that asked to run again later', labelNames: ['handler', 'lane'], registers: r, collect }),
    stepRunSeconds: new client.Histogram({ name: 'kraite_step_run_seconds', help: 'Handler run time', labelNames: ['handler', 'lane'], buckets: SECONDS, registers: r }),
    hopSeconds: new client.Histogram({ name: 'kraite_step_hop_seconds', help: 'Dispatched → picked up by a worker, per physical queue', labelNames: ['queue'], buckets: [0.001, 0.0025, ...SECONDS], registers: r }),
    dispatcherTicks: new client.Counter({ name: 'kraite_dispatcher_ticks_total', help: 'Dispatch daemon passes over the active groups', registers: r }),
    dispatcherDispatched: new client.Counter({ name: 'kraite_dispatcher_dispatched_total', help: 'Steps the dispatch daemon dispatched', registers: r }),
    dispatcherGroupFailures: new client.Counter({ name: 'kraite_dispatcher_group_failures_total', help: 'Group ticks that failed', registers: r }),
    dispatcherSaturated: new client.Counter({ name: 'kraite_dispatcher_saturated_ticks_total', help: 'Group ticks that hit the per-tick dispatch cap (kind=capped), and those that left runnable steps for the next tick (kind=leftover)', labelNames: ['kind'], registers: r }),
    dispatcherLag: new client.Gauge({ name: 'kraite_dispatcher_lag_seconds', help: 'Time since the dispatch daemon last finished a tick', registers: r }),
    queueWaiting: new client.Gauge({ name: 'kraite_queue_waiting', help: 'Jobs waiting per physical queue', labelNames: ['queue'], registers: r }),
    queueActive: new client.Gauge({ name: 'kraite_queue_active', help: 'Jobs being processed per physical queue', labelNames: ['queue'], registers: r }),
    queueDelayed: new client.Gauge({ name: 'kraite_queue_delayed', help: 'Delayed jobs per physical queue', labelNames: ['queue'], registers: r }),
    queueOldestWait: new client.Gauge({ name: 'kraite_queue_oldest_wait_seconds', help: 'Age of the oldest waiting job per physical queue (0 when empty)', labelNames: ['queue'], registers: r }),
    exchangeRequests: new client.Counter({ name: 'kraite_exchange_requests_total', help: 'Exchange REST requests by endpoint and HTTP status (0: no response)', labelNames: ['endpoint', 'status'], registers: r }),
    exchangeSeconds: new client.Histogram({ name: 'kraite_exchange_request_seconds', help: 'Exchange REST request time', labelNames: ['endpoint'], buckets: SECONDS, registers: r }),
    exchangeRateLimited: new client.Counter({ name: 'kraite_exchange_rate_limited_total', help: '429 (rate limited) and 418 (banned) answers per egress IP', labelNames: ['ip', 'status'], registers: r }),
    weightUsed: new client.Gauge({ name: 'kraite_exchange_weight_used', help: 'Request weight used this minute per egress IP', labelNames: ['ip'], registers: r }),
    weightHeadroom: new client.Gauge({ name: 'kraite_exchange_weight_headroom', help: 'Request weight left this minute per egress IP (budget − used)', labelNames: ['ip'], registers: r }),
    orders: new client.Counter({ name: 'kraite_orders_total', help: 'Order placements by result: placed, adopted (the exchange already held the client id), rejected', labelNames: ['result'], registers: r }),
    userDataLag: new client.Histogram({ name: 'kraite_user_data_frame_lag_seconds', help: 'User-data frame: exchange event time → enqueued', buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: r }),
    userDataStreams: new client.Gauge({ name: 'kraite_user_data_streams', help: 'Account user-data streams this process owns, per state (waiting, connecting, open, stopped)', labelNames: ['state'], registers: r }),
    markPriceFrames: new client.Counter({ name: 'kraite_mark_price_frames_total', help: 'Mark-price data frames the stream process received', registers: r }),
    markPriceWriteFailures: new client.Counter({ name: 'kraite_mark_price_write_failures_total', help: 'Mark-price bulk writes that failed (the next frame retries)', registers: r }),
    markPriceReconnects: new client.Counter({ name: 'kraite_mark_price_reconnects_total', help: 'Mark-price stream reconnects', registers: r }),
    markPriceSilence: new client.Gauge({ name: 'kraite_mark_price_stream_silence_seconds', help: 'Time since the mark-price stream process last received a data frame', registers: r }),
    markPriceAge: new client.Gauge({ name: 'kraite_mark_price_age_seconds', help: 'Age of the stalest mark price among symbols with an open position', registers: r }),
    openPositions: new client.Gauge({ name: 'kraite_open_positions', help: 'Open positions per direction', labelNames: ['direction'], registers: r }),
    exposure: new client.Gauge({ name: 'kraite_exposure_quote', help: 'Margin × leverage of open positions per direction, in the quote asset', labelNames: ['direction'], registers: r }),
    realizedPnl: new client.Gauge({ name: 'kraite_realized_pnl_quote', help: 'Net PnL summed over closed positions, in the quote asset', registers: r }),
    regimeScore: new client.Gauge({ name: 'kraite_regime_score', help: 'The newest market regime score', registers: r }),
    notifications: new client.Counter({ name: 'kraite_notifications_total', help: 'Alerts by channel, severity and result (sent, throttled, failed)', labelNames: ['channel', 'severity', 'result'], registers: r }),
  };
}

/** A fresh registry with the Kraite instruments and prom-client's process metrics (memory, event-loop lag, CPU). */
export function createFleetMetrics(labels: Record<string, string> = {}): FleetMetrics {
  const registry = new client.Registry();
  registry.setDefaultLabels(labels);
  client.collectDefaultMetrics({ register: registry, prefix: 'kraite_', eventLoopMonitoringPrecision: 20 });
  // prom-client names these gauges *_total, which promtool's lint refuses; the per-type breakdowns stay.
  for (const name of ['active_handles_total', 'active_requests_total', 'active_resources_total']) registry.removeSingleMetric(`kraite_nodejs_${name}`);
  return declare(registry);
}
