// Grafana dashboards as code (JSON, schema 39): the fleet (queues and steps), trading (positions,
// exposure, PnL, orders, regime), the exchange (weight per egress IP, requests, errors) and the
// streams (mark-price age, user-data queue). Each reads the "Prometheus" datasource variable.

interface Target {
  expr: string;
  legend: string;
}

let nextId = 1;

function panel(title: string, targets: Target[], unit: string, x: number, y: number, kind: 'timeseries' | 'stat' = 'timeseries') {
  return {
    id: nextId++, type: kind, title, datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { x, y, w: 12, h: 8 },
    fieldConfig: { defaults: { unit }, overrides: [] },
    options: kind === 'stat' ? { reduceOptions: { calcs: ['lastNotNull'] } } : { legend: { displayMode: 'list', placement: 'bottom' } },
    targets: targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), expr: t.expr, legendFormat: t.legend })),
  };
}

function dashboard(uid: string, title: string, panels: [string, Target[], string, ('timeseries' | 'stat')?][]) {
  nextId = 1;
  return {
    uid, title, tags: ['kraite'], schemaVersion: 39, version: 1, refresh: '30s', time: { from: 'now-6h', to: 'now' },
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' }] },
    panels: panels.map(([t, targets, unit, kind], i) => panel(t, targets, unit, (i % 2) * 12, Math.floor(i / 2) * 8, kind)),
  };
}

/** The four dashboards, by file name. */
export function dashboards(): Record<string, unknown> {
  return {
    'kraite-fleet.json': dashboard('kraite-fleet', 'Kraite · fleet (queues and steps)', [
      ['Steps started per second by lane', [{ expr: 'sum by (lane) (rate(kraite_steps_started_total[1m]))', legend: '{{lane}}' }], 'ops'],
      ['Step failures per second by handler', [{ expr: 'sum by (handler) (rate(kraite_steps_failed_total[5m]))', legend: '{{handler}}' }], 'ops'],
      ['Step run time p95 by handler', [{ expr: 'histogram_quantile(0.95, sum by (handler, le) (rate(kraite_step_run_seconds_bucket[5m])))', legend: '{{handler}}' }], 's'],
      ['Hop latency p95 by queue', [{ expr: 'histogram_quantile(0.95, sum by (queue, le) (rate(kraite_step_hop_seconds_bucket[5m])))', legend: '{{queue}}' }], 's'],
      ['Queue depth', [{ expr: 'max by (queue) (kraite_queue_waiting)', legend: '{{queue}} waiting' }, { expr: 'max by (queue) (kraite_queue_active)', legend: '{{queue}} active' }], 'short'],
      ['Oldest waiting job', [{ expr: 'max by (queue) (kraite_queue_oldest_wait_seconds)', legend: '{{queue}}' }], 's'],
      ['Dispatcher ticks and dispatched per second', [{ expr: 'rate(kraite_dispatcher_ticks_total[1m])', legend: 'ticks' }, { expr: 'rate(kraite_dispatcher_dispatched_total[1m])', legend: 'dispatched' }], 'ops'],
      ['Dispatcher lag', [{ expr: 'kraite_dispatcher_lag_seconds', legend: '{{box}}' }], 's'],
      ['Dispatcher saturation: group ticks at the cap per minute', [{ expr: 'sum by (kind) (increase(kraite_dispatcher_saturated_ticks_total[1m]))', legend: '{{kind}}' }], 'short'],
      ['Event-loop lag p99', [{ expr: 'kraite_nodejs_eventloop_lag_p99_seconds', legend: '{{box}}' }], 's'],
      ['Resident memory', [{ expr: 'kraite_process_resident_memory_bytes', legend: '{{box}}' }], 'bytes'],
    ]),
    'kraite-trading.json': dashboard('kraite-trading', 'Kraite · trading (positions, PnL, orders)', [
      ['Open positions', [{ expr: 'sum by (direction) (kraite_open_positions)', legend: '{{direction}}' }], 'short'],
      ['Exposure (margin × leverage)', [{ expr: 'sum by (direction) (kraite_exposure_quote)', legend: '{{direction}}' }], 'currencyUSD'],
      ['Realized PnL (net)', [{ expr: 'kraite_realized_pnl_quote', legend: 'net PnL' }], 'currencyUSD', 'stat'],
      ['Orders per minute by result', [{ expr: 'sum by (result) (increase(kraite_orders_total[1m]))', legend: '{{result}}' }], 'short'],
      ['Regime score', [{ expr: 'kraite_regime_score', legend: 'score' }], 'short'],
      ['Notifications by channel and result', [{ expr: 'sum by (channel, result) (increase(kraite_notifications_total[15m]))', legend: '{{channel}} {{result}}' }], 'short'],
    ]),
    'kraite-exchange.json': dashboard('kraite-exchange', 'Kraite · exchange (weight per IP, errors)', [
      ['Weight used this minute per egress IP', [{ expr: 'max by (ip) (kraite_exchange_weight_used)', legend: '{{ip}}' }], 'short'],
      ['Weight headroom per egress IP', [{ expr: 'min by (ip) (kraite_exchange_weight_headroom)', legend: '{{ip}}' }], 'short'],
      ['Requests per second by status', [{ expr: 'sum by (status) (rate(kraite_exchange_requests_total[1m]))', legend: '{{status}}' }], 'ops'],
      ['Requests per second by endpoint', [{ expr: 'sum by (endpoint) (rate(kraite_exchange_requests_total[1m]))', legend: '{{endpoint}}' }], 'ops'],
      ['429 and 418 per egress IP', [{ expr: 'sum by (ip, status) (increase(kraite_exchange_rate_limited_total[5m]))', legend: '{{ip}} {{status}}' }], 'short'],
      ['Request time p95 by endpoint', [{ expr: 'histogram_quantile(0.95, sum by (endpoint, le) (rate(kraite_exchange_request_seconds_bucket[5m])))', legend: '{{endpoint}}' }], 's'],
    ]),
    'kraite-streams.json': dashboard('kraite-streams', 'Kraite · streams (mark price, user data)', [
      ['Mark-price age (stalest open symbol)', [{ expr: 'max(kraite_mark_price_age_seconds)', legend: 'age' }], 's'],
      ['User-data frames queued', [{ expr: 'max(kraite_queue_waiting{queue=~".*user-data-stream"})', legend: 'waiting' }, { expr: 'max(kraite_queue_oldest_wait_seconds{queue=~".*user-data-stream"})', legend: 'oldest wait (s)' }], 'short'],
      ['User-data frame steps per second', [{ expr: 'sum(rate(kraite_steps_started_total{lane="user-data-stream"}[1m]))', legend: 'frames' }], 'ops'],
      ['User-data frame lag p95 (event time → enqueued)', [{ expr: 'histogram_quantile(0.95, sum by (le) (rate(kraite_user_data_frame_lag_seconds_bucket[5m])))', legend: 'p95' }], 's'],
      ['User-data account streams by state', [{ expr: 'sum by (state) (kraite_user_data_streams)', legend: '{{state}}' }], 'short'],
      ['Mark-price stream: frames per second and silence', [{ expr: 'sum(rate(kraite_mark_price_frames_total[1m]))', legend: 'frames/s' }, { expr: 'max(kraite_mark_price_stream_silence_seconds)', legend: 'silent for (s)' }], 'short'],
      ['Mark-price stream: reconnects and failed writes', [{ expr: 'sum(increase(kraite_mark_price_reconnects_total[15m]))', legend: 'reconnects' }, { expr: 'sum(increase(kraite_mark_price_write_failures_total[15m]))', legend: 'failed writes' }], 'short'],
    ]),
  };
}
