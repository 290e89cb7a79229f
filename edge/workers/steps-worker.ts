// The `kraite-steps` Worker (wrangler.toml [env.kraite-steps]): the step runner on Cloudflare. Queue
// messages run steps through the engine on the PlanetScale store; the next steps go to the STEPS
// producer; `POST /steps/:id/run` (signed) runs one step for callers without the queue. What stays on
// the persistent edge (WebSockets, the dispatch safety-net tick, the scheduler) is in the README.
import { CloudflareQueuePort, type MessageBatch } from '../../core/adapters/push/cloudflare-queues.ts';
import { httpStepEntry } from '../../core/adapters/push/http-step-entry.ts';
import { consumeStepBatch } from '../../core/adapters/push/step-consumer.ts';
import { PlanetScaleStepStore } from '../../core/adapters/planetscale/planetscale-step-store.ts';
import { BinanceUsdmClient } from '../../core/exchange/binance/binance-client.ts';
import { systemClock } from '../../core/ports/clock.ts';
import type { StepEngine } from '../../core/steps/engine.ts';
import { createStatusApp } from '../../web/status/status-app.ts';
import { serverlessEngines } from './steps-engine.ts';
import { storeStatusReport } from './status-report.ts';
import { parseWorkerEnv } from './worker-env.ts';

/** The queue wake-ups for delayed steps go to (the only physical queue of this deployment). */
const STEPS_QUEUE = 'kraite-steps';

interface Isolate {
  engineFor(identity: string): StepEngine;
  queue: CloudflareQueuePort;
  deferred: number[];
  entry: ((request: Request) => Promise<Response | null>) | null;
  /** The status page (read-only: steps per state, newest events) at / and /status.json. */
  status: { fetch(request: Request): Response | Promise<Response> };
}

// One per isolate: the store's prepared sessions and the decrypted credentials outlive a request.
let isolate: Promise<Isolate> | null = null;

function boot(rawEnv: unknown): Promise<Isolate> {
  isolate ??= (async () => {
    const env = parseWorkerEnv(rawEnv);
    const store = new PlanetScaleStepStore({ url: env.KRAITE_STORE_URL });
    const queue = new CloudflareQueuePort(() => env.STEPS);
    const deferred: number[] = [];
    const engineFor = await serverlessEngines({
      store, queue, clock: systemClock, credentialsKey: env.KRAITE_CREDENTIALS_KEY, onDeferred: (at) => deferred.push(at),
      connect: (c, account) => new BinanceUsdmClient({ baseUrl: env.KRAITE_EXCHANGE_URL, apiKey: c.apiKey, secret: c.apiSecret, clock: systemClock, accountId: String(account.id), fetch: (input, init) => fetch(input, init) }),
    });
    const entry = env.KRAITE_STEP_RUN_SECRET ? httpStepEntry({ engine: engineFor('cf-steps-http'), secret: env.KRAITE_STEP_RUN_SECRET, clock: systemClock }) : null;
    const status = createStatusApp(storeStatusReport(store, { store: 'planetscale', queue: 'cloudflare-queues' }));
    return { engineFor, queue, deferred, entry, status };
  })();
  isolate.catch(() => (isolate = null));
  return isolate;
}

/** Sends one wake-up for the earliest step that became due later during this invocation. */
async function wakeLater(i: Isolate): Promise<void> {
  if (i.deferred.length === 0) return;
  const at = Math.min(...i.deferred.splice(0));
  await i.queue.tick(STEPS_QUEUE, at, at - systemClock.now());
}

export default {
  async queue(batch: MessageBatch, env: unknown): Promise<void> {
    const i = await boot(env);
    await consumeStepBatch(batch, { engineFor: i.engineFor });
    await wakeLater(i);
  },
  async fetch(request: Request, env: unknown): Promise<Response> {
    const i = await boot(env);
    if (new URL(request.url).pathname === '/health') return Response.json({ ok: true, runtime: 'workers', service: 'kraite-steps' });
    const res = i.entry ? await i.entry(request) : null;
    await wakeLater(i);
    return res ?? (request.method === 'GET' ? i.status.fetch(request) : new Response('not found', { status: 404 }));
  },
};
