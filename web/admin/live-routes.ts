// Live updates for the pages that show positions, orders, fills and balances: GET /live/events is
// a Server-Sent Events stream (Hono's streamSSE) that sends `change` whenever the trading rows'
// fingerprint moves; admin-live.js then fetches the page again and swaps its <main>. Without
// script the pages carry a refresh link instead. The fingerprint reads primary keys and the open
// positions only, so a poll is cheap; a stream ends after `maxMs` and the browser reconnects.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { RowReader } from '../../core/steps/step-store.port.ts';
import { TABLES } from '../../core/trading/tables.ts';
import type { AdminDeps, AdminEnv } from './admin-deps.ts';

/** How often the stream looks at the rows, and how long one stream lives. */
export interface LiveOptions {
  pollMs: number;
  maxMs: number;
}

/** Default: a look every second; a stream lives five minutes. */
export const DEFAULT_LIVE: LiveOptions = { pollMs: 1_000, maxMs: 5 * 60_000 };

const newestId = async (rows: RowReader, table: string) => String((await rows.findRows(table, {}, { orderBy: 'id', desc: true, limit: 1 }))[0]?.id ?? 0);

/** What changes when a position, order, fill (exchange event) or balance snapshot does. */
export async function tradingFingerprint(rows: RowReader): Promise<string> {
  const ids = await Promise.all([TABLES.positions, TABLES.orders, TABLES.exchangeEvents, TABLES.balances].map((t) => newestId(rows, t)));
  const open = await rows.findRows(TABLES.positions, { is_open: 1 }, { orderBy: 'id' });
  return [...ids, ...open.map((p) => `${String(p.id)}:${String(p.status)}:${String(p.updated_at)}`)].join('|');
}

/** The SSE route. */
export function liveRoutes(deps: AdminDeps, options: LiveOptions = DEFAULT_LIVE): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get('/live/events', (c) => streamSSE(c, async (stream) => {
    let aborted = false;
    stream.onAbort(() => {
      aborted = true;
    });
    const started = Date.now();
    let last = await tradingFingerprint(deps.fleet.store);
    await stream.writeSSE({ event: 'hello', data: 'watching positions, orders, fills and balances', retry: 2_000 });
    while (!aborted && Date.now() - started < options.maxMs) {
      await stream.sleep(options.pollMs);
      const now = await tradingFingerprint(deps.fleet.store);
      if (now !== last) {
        last = now;
        await stream.writeSSE({ event: 'change', data: String(deps.clock.now()) });
      }
    }
  }, async (error, stream) => {
    console.error(`admin: live stream: ${error.message}`);
    await stream.writeSSE({ event: 'error', data: 'the live stream stopped; reload the page' });
  }));
  return app;
}
