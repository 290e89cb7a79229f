// Live updates over Server-Sent Events (Hono's streamSSE), one mechanism for every page: the
// server asks a fingerprint function what the viewer's page shows (a cheap string over the rows it
// reads) every `intervalMs` and sends `change` when it differs, plus a comment heartbeat so
// proxies keep the connection. The page (web/assets LIVE_JS) refetches itself and swaps its
// [data-live] regions. Polling the store keeps it right on every runner, embedded or MySQL.
import type { Context, Env } from 'hono';
import { streamSSE } from 'hono/streaming';

/** What the viewer's page currently shows, as a string that changes whenever the page would. */
export type LiveFingerprint<E extends Env> = (c: Context<E>) => Promise<string>;

/** Live stream tunables. */
export interface LiveOptions {
  /** How often the fingerprint is taken (default 1 s: changes show within about a second). */
  intervalMs?: number;
  /** A heartbeat comment every this many ms (default 15 s). */
  heartbeatMs?: number;
  /** Closes the stream after this long (default 10 min; the browser's EventSource reconnects). */
  maxAgeMs?: number;
}

/** A route handler streaming `change` events whenever `fingerprint` changes. */
export function liveStream<E extends Env>(fingerprint: LiveFingerprint<E>, options: LiveOptions = {}) {
  const intervalMs = options.intervalMs ?? 1_000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxAgeMs = options.maxAgeMs ?? 600_000;
  return (c: Context<E>) => streamSSE(c, async (stream) => {
    let closed = false;
    stream.onAbort(() => { closed = true; });
    let last = await fingerprint(c);
    await stream.writeSSE({ event: 'hello', data: 'ok', retry: 2_000 });
    const started = Date.now();
    let beat = started;
    while (!closed && Date.now() - started < maxAgeMs) {
      await stream.sleep(intervalMs);
      if (closed) break;
      const now = await fingerprint(c);
      if (now !== last) {
        last = now;
        await stream.writeSSE({ event: 'change', data: String(Date.now()) });
      } else if (Date.now() - beat >= heartbeatMs) {
        await stream.write(': keep-alive\n\n');
        beat = Date.now();
      }
    }
  }, async (error) => {
    console.error(`live: ${c.req.path}: ${error.message}`);
  });
}
