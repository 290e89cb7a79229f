// Exchange metrics from the client's per-attempt call events: requests by endpoint and status,
// 429/418 per egress IP, and order placements by result.
import type { CallEvent } from '../../core/exchange/binance/request.ts';
import type { FleetMetrics } from './fleet-metrics.ts';

const PLACEMENTS = new Set(['POST /fapi/v1/order', 'POST /fapi/v1/batchOrders']);

/** The client's onCall hook that records each exchange call in `m`. */
export const exchangeCallRecorder = (m: FleetMetrics) => (e: CallEvent): void => {
  m.exchangeRequests.labels(e.endpoint, String(e.status)).inc();
  m.exchangeSeconds.labels(e.endpoint).observe(e.durationMs / 1000);
  if (e.status === 429 || e.status === 418) m.exchangeRateLimited.labels(e.ip, String(e.status)).inc();
  if (!PLACEMENTS.has(e.endpoint)) return;
  if (e.status >= 200 && e.status < 300 && !e.error) m.orders.labels('placed').inc();
  // The exchange already holds the client id: placement adopts that order instead of sending again.
  else if (e.error === 'DUPLICATE_CLIENT_ORDER_ID') m.orders.labels('adopted').inc();
  else if (e.status >= 400 && e.status < 500 && e.status !== 429 && e.status !== 418) m.orders.labels('rejected').inc();
};
