// Gathers the status page's figures from the running process.
import type { StatusReport } from '../../web/status/status-app.ts';
import { STEP_SETS } from '../../core/steps/step.ts';
import type { Backends } from './backends.ts';
import type { FleetProcess, ProcessPlan } from './fleet-process.ts';

/** Builds a report source for the status app. */
export function statusReporter(backends: Backends, plan: ProcessPlan, fleet: FleetProcess): () => Promise<StatusReport> {
  return async () => {
    const consumers = await Promise.all(plan.consumers.map(async (c) => ({ queue: c.queue, concurrency: c.concurrency, ...(await backends.queue.counts(c.queue)) })));
    const steps: StatusReport['steps'] = {};
    for (const set of STEP_SETS) steps[set] = await backends.store.countByState(set);
    const events = (await backends.store.listEvents({ limit: 1000 })).slice(-20).reverse().map((e) => ({ at: e.createdAt, severity: e.severity, message: e.message }));
    return { boxes: plan.boxes, mode: backends.mode, consumers, dispatcher: fleet.daemon?.stats ?? null, steps, events };
  };
}
