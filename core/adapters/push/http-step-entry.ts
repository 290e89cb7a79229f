// `POST /steps/:id/run` for runtimes without a queue (a function URL, a plain HTTP host): a signed
// request runs one step through the engine and answers its outcome. Steps it dispatches go out
// through whatever QueuePort the engine has — HttpPushQueue posts them back to this entry.
import type { Clock } from '../../ports/clock.ts';
import type { ExecuteResult, StepEngine } from '../../steps/engine.ts';
import { STEP_SETS, type StepSet } from '../../steps/step.ts';
import { SIGNATURE_HEADER, verifyRequest } from './signed-request.ts';

/** How the entry is wired. */
export interface HttpStepEntryOptions {
  engine: StepEngine;
  /** The shared HMAC secret (at least 32 characters). */
  secret: string;
  clock: Clock;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fetch handler answering `POST /steps/:id/run` with `{ set, dispatchedAt }`; null for any other path. */
export function httpStepEntry(options: HttpStepEntryOptions): (request: Request) => Promise<Response | null> {
  if (options.secret.length < 32) throw new RangeError('the step-run secret must be at least 32 characters');
  return async (request) => {
    const url = new URL(request.url);
    const match = /^\/steps\/(\d+)\/run$/.exec(url.pathname);
    if (!match) return null;
    if (request.method !== 'POST') return json(405, { error: 'POST only' });
    const body = await request.text();
    const refused = await verifyRequest(options.secret, request.headers.get(SIGNATURE_HEADER), request.method, url.pathname, body, options.clock.now());
    if (refused) return json(401, { error: refused });
    let parsed: { set?: unknown; dispatchedAt?: unknown };
    try {
      parsed = JSON.parse(body || '{}') as typeof parsed;
    } catch {
      return json(400, { error: 'body: not JSON' });
    }
    const set = (parsed.set ?? 'default') as StepSet;
    if (!STEP_SETS.includes(set)) return json(400, { error: `set: must be one of ${STEP_SETS.join(', ')}` });
    const dispatchedAt = typeof parsed.dispatchedAt === 'number' ? parsed.dispatchedAt : options.clock.now();
    // A throw becomes a 500: the caller (a queue, a scheduler) retries, and the claim keeps the re-run single.
    const outcome: ExecuteResult = await options.engine.execute({ set, stepId: Number(match[1]), dispatchedAt });
    return json(200, { outcome });
  };
}
