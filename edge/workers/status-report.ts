// The status page's report from the store alone, for the edge runtime: steps per state and the
// newest events. Queue depths and box heartbeats live in Redis and the Node fleet; a Worker shows
// what the database knows, read-only.
import type { StepStore } from '../../core/steps/step-store.port.ts';
import { STEP_SETS } from '../../core/steps/step.ts';
import type { StatusReport } from '../../web/status/status-app.ts';

/** A report source over `store` (PlanetScale on Workers), naming the runtime as its box. */
export function storeStatusReport(store: StepStore, mode: StatusReport['mode']): () => Promise<StatusReport> {
  return async () => {
    const steps: StatusReport['steps'] = {};
    for (const set of STEP_SETS) steps[set] = await store.countByState(set);
    const newest = await store.findRows('step_events', {}, { orderBy: 'id', desc: true, limit: 20 });
    const events = newest.map((e) => ({ at: Number(e.created_at), severity: String(e.severity), message: String(e.message) }));
    return { boxes: ['workers'], mode, consumers: [], dispatcher: null, steps, events, fleet: null };
  };
}
