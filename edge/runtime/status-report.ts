// Gathers the status page's figures: the fleet (every box's heartbeats, every physical queue of
// the topology) and the running process's own share.
import { isBoxProcessBeat } from '../../core/fleet/heartbeat-watch.ts';
import type { Heartbeat } from '../../core/fleet/heartbeat.port.ts';
import { queuesForBox } from '../../core/fleet/topology.ts';
import { STEP_SETS } from '../../core/steps/step.ts';
import type { FleetBoxStatus, StatusReport } from '../../web/status/status-app.ts';
import { expectedBoxes } from '../scheduler/edge-services.ts';
import type { Backends } from './backends.ts';
import type { FleetProcess, ProcessPlan } from './fleet-process.ts';

/** Each expected box with its beats; alive when its own process beat within `staleMs` of `now`. */
export function fleetBoxes(expected: readonly string[], beats: readonly Heartbeat[], now: number, staleMs: number): FleetBoxStatus[] {
  return expected.map((box) => {
    const mine = beats.filter((b) => b.box === box);
    const own = mine.filter(isBoxProcessBeat).reduce<number | null>((at, b) => Math.max(at ?? 0, b.at), null);
    return { box, alive: own !== null && now - own <= staleMs, lastBeatAt: own, processes: mine.map((b) => ({ worker: b.worker, version: b.version, at: b.at, runs: b.processes })) };
  });
}

/** Builds a report source for the status app. */
export function statusReporter(backends: Backends, plan: ProcessPlan, fleet: FleetProcess): () => Promise<StatusReport> {
  const { topology, config } = backends;
  const physical = [...new Set(topology.boxes.flatMap((b) => queuesForBox(topology, b.name).map((q) => q.queue)))];
  return async () => {
    const consumers = await Promise.all(plan.consumers.map(async (c) => ({ queue: c.queue, concurrency: c.concurrency, ...(await backends.queue.counts(c.queue)) })));
    const steps: StatusReport['steps'] = {};
    for (const set of STEP_SETS) steps[set] = await backends.store.countByState(set);
    const events = (await backends.store.listEvents({ limit: 1000 })).slice(-20).reverse().map((e) => ({ at: e.createdAt, severity: e.severity, message: e.message }));
    const heartbeats = fleet.edge?.state.heartbeats;
    const now = Date.now();
    const fleetView = heartbeats
      ? {
        at: now, heartbeatStaleMs: config.KRAITE_HEARTBEAT_STALE_MS,
        boxes: fleetBoxes(expectedBoxes(topology), await heartbeats.list(), now, config.KRAITE_HEARTBEAT_STALE_MS),
        queues: await Promise.all(physical.map(async (queue) => ({ queue, ...(await backends.queue.counts(queue)) }))),
      }
      : null;
    return { boxes: plan.boxes, mode: backends.mode, consumers, dispatcher: fleet.daemon?.stats ?? null, steps, events, fleet: fleetView };
  };
}
