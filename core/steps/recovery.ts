// Stale recovery: running steps whose worker died go back to pending; dispatched steps nobody
// picked up are re-queued on the priority lane, and a second stall raises an alert.
import type { StepEngine } from './engine.ts';
import type { StepSet } from './step.ts';

/** Counts of what one recovery pass did. */
export interface RecoveryReport {
  set: StepSet;
  runningRecovered: number;
  dispatchedRequeued: number;
  alerts: number;
}

/** Runs one recovery pass over `set`. */
export async function recoverStale(engine: StepEngine, set: StepSet, limit = 500): Promise<RecoveryReport> {
  const { store, clock, limits, router } = engine.o;
  const report: RecoveryReport = { set, runningRecovered: 0, dispatchedRequeued: 0, alerts: 0 };
  const now = clock.now();

  for (const step of await store.findStaleRunning(set, now - limits.staleRunningMs, limit)) {
    await engine.transact(async (tx, after, at) => {
      const moved = await tx.updateStep(set, step.id, ['running'], { state: 'pending', worker: null, heartbeatAt: null, dispatchAfter: at, updatedAt: at });
      if (!moved) return;
      report.runningRecovered += 1;
      after.events.push({
        kind: 'step.recovered', subject: `step:${step.id}`, severity: 'warning', stepId: step.id, set, createdAt: at,
        message: `step ${step.id} (${step.handler}) was running on ${step.worker ?? '?'} with no heartbeat since ${new Date(step.heartbeatAt ?? 0).toISOString()}; back to pending`,
      });
    });
  }

  for (const step of await store.findStaleDispatched(set, now - limits.staleDispatchedMs, limit)) {
    const requeued = await engine.transact(async (tx, after, at) => {
      const stallCount = step.stallCount + 1;
      const moved = await tx.updateStep(set, step.id, ['dispatched'], { dispatchedAt: at, stallCount, updatedAt: at });
      if (!moved) return null;
      const escalate = stallCount >= 2;
      after.events.push({
        kind: escalate ? 'step.stalled' : 'step.requeued', subject: `step:${step.id}`, severity: escalate ? 'critical' : 'warning',
        stepId: step.id, set, createdAt: at,
        message: `step ${step.id} (${step.handler}) sat dispatched on ${step.lane} since ${new Date(step.dispatchedAt ?? 0).toISOString()}; re-queued on ${router.recoveryQueueFor(step.lane)} (stall ${stallCount})`,
      });
      if (escalate) report.alerts += 1;
      return { ...step, dispatchedAt: at, stallCount };
    });
    if (!requeued) continue;
    await engine.push(requeued, router.recoveryQueueFor(step.lane));
    report.dispatchedRequeued += 1;
  }
  return report;
}
