// A redelivered queue message takes back the run its earlier delivery left behind. Queues redeliver
// a message only after the invocation that had it ended (it threw, or the isolate died), so a step
// still running under that delivery's identity has no live run anywhere: it goes back to dispatched
// at once, and the engine runs it again in this delivery. The handler's re-run looks its order up by
// client id before placing (the reconcile rule), so an order the exchange accepted is adopted, not doubled.
import type { StepEngine } from '../../steps/engine.ts';
import type { StepJob } from '../../queue/queue.port.ts';

/** Moves the job's step from running (under `identity#…`) back to dispatched; true when it did. */
export async function adoptRedelivered(engine: StepEngine, job: StepJob, identity: string): Promise<boolean> {
  const ref = await engine.o.store.getStep(job.set, job.stepId);
  if (ref?.state !== 'running' || !ref.worker?.startsWith(`${identity}#`) || ref.childBlockUuid !== null) return false;
  return engine.transact(async (tx, after, now) => {
    // Through the block, as every finish locks it (core/ARCHITECTURE.md, lock order).
    const step = (await tx.lockBlock(job.set, ref.blockUuid)).find((s) => s.id === job.stepId);
    if (step?.state !== 'running' || step.worker !== ref.worker) return false;
    if (!(await tx.updateStep(job.set, step.id, ['running'], { state: 'pending', worker: null, heartbeatAt: null, updatedAt: now }))) return false;
    await tx.updateStep(job.set, step.id, ['pending'], { state: 'dispatched', dispatchedAt: now, updatedAt: now });
    after.events.push({
      kind: 'step.readopted', subject: `step:${step.id}`, severity: 'warning', stepId: step.id, set: job.set, createdAt: now,
      message: `step ${step.id} (${step.handler}) was running on ${step.worker} when its queue delivery failed; the redelivery runs it again`,
    });
    return true;
  });
}
