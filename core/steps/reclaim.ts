// A restarted worker takes back the steps its previous life was running at once, instead of
// leaving them to stale recovery (a dead heartbeat plus the recovery cadence). The worker identity
// is box-stable (`eos@host`, no pid) and every run writes `identity#token`. A step is orphaned when
// it runs under this identity, its token is not a run of this process, and its heartbeat has not
// moved since this process started: a live twin with the same identity beats every heartbeatMs,
// so the pass one beat after start never takes a live run (and the finish path's run-token check
// would drop a taken run's effects anyway).
import type { StepEngine } from './engine.ts';
import { STEP_SETS, type StepSet } from './step.ts';

/** Slack on top of one heartbeat period for a beat's write to land. */
const BEAT_SLACK_MS = 1_000;

/**
 * Moves the running steps of this worker identity whose heartbeat is older than `before` (and
 * whose run is not live here) back to pending, each with a `step.reclaimed` event; returns how many.
 */
export async function reclaimOwnSteps(engine: StepEngine, set: StepSet, before: number, limit = 500): Promise<number> {
  const mine = `${engine.o.worker}#`;
  let reclaimed = 0;
  for (const step of await engine.o.store.findStaleRunning(set, before, limit)) {
    if (!step.worker?.startsWith(mine) || engine.runsNow(step.worker)) continue;
    await engine.transact(async (tx, after, at) => {
      // The block first, as the finish path locks it; then: still the same run? Stale recovery may
      // have handed the step to someone else meanwhile.
      const block = await tx.lockBlock(set, step.blockUuid);
      const current = block.find((s) => s.id === step.id);
      if (current?.state !== 'running' || current.worker !== step.worker) return;
      const patch = { state: 'pending' as const, worker: null, heartbeatAt: null, dispatchAfter: at, updatedAt: at };
      if (!(await tx.updateStep(set, step.id, ['running'], patch))) return;
      Object.assign(current, patch);
      reclaimed += 1;
      after.events.push({
        kind: 'step.reclaimed', subject: `step:${step.id}`, severity: 'warning', stepId: step.id, set, createdAt: at,
        message: `step ${step.id} (${step.handler}) was running on ${step.worker} when that process died; its restart took it back`,
      });
      // Dispatched now, without waiting for a dispatcher tick (the dispatcher's box may be down too).
      const parent = step.parentId === null ? null : await tx.getStep(set, step.parentId);
      await engine.promote(tx, block, parent, at, after);
    });
  }
  return reclaimed;
}

/** A reclaim in progress (started by reclaimAtStart). */
export interface StartupReclaim {
  /** Settles after the second pass with the total reclaimed. */
  done: Promise<number>;
  /** Cancels the second pass (process stopping). */
  stop(): void;
}

/**
 * Reclaims at start: at once, the steps whose heartbeat was already a beat (plus slack) old — no
 * live run is that late — and one beat later those that have not beaten since the start.
 */
export function reclaimAtStart(engine: StepEngine, sets: readonly StepSet[] = STEP_SETS): StartupReclaim {
  const { clock, logger, limits } = engine.o;
  const startedAt = clock.now();
  const pass = async (before: number) => {
    let total = 0;
    for (const set of sets) {
      try {
        total += await reclaimOwnSteps(engine, set, before);
      } catch (error) {
        logger.error('reclaiming this worker\'s previous steps failed; stale recovery will take them', { set, error });
      }
    }
    return total;
  };
  let timer: ReturnType<typeof setTimeout> | null = null;
  let cancel: () => void = () => {};
  const done = (async () => {
    let total = await pass(startedAt - limits.heartbeatMs - BEAT_SLACK_MS);
    const waited = await new Promise<boolean>((resolve) => {
      cancel = () => resolve(false);
      timer = setTimeout(() => resolve(true), limits.heartbeatMs + BEAT_SLACK_MS);
      // The second pass alone never keeps a process alive.
      (timer as { unref?: () => void }).unref?.();
    });
    if (waited) total += await pass(startedAt);
    if (total > 0) logger.warn(`reclaimed ${total} step(s) this worker was running before it restarted`, { worker: engine.o.worker });
    return total;
  })();
  return {
    done,
    stop() {
      if (timer) clearTimeout(timer);
      cancel();
    },
  };
}
