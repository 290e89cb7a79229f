// One fleet process: the queue consumers and daemons of the boxes it runs, over one engine.
import type { Logger } from '../../core/ports/logger.ts';
import type { Clock } from '../../core/ports/clock.ts';
import type { Consumer, QueuePort } from '../../core/queue/queue.port.ts';
import type { LaneRouter } from '../../core/queue/router.port.ts';
import { DispatchDaemon, type DispatchDaemonOptions } from '../../core/steps/dispatch-daemon.ts';
import { StepEngine } from '../../core/steps/engine.ts';
import type { EngineLimits } from '../../core/steps/engine-options.ts';
import { reclaimAtStart } from '../../core/steps/reclaim.ts';
import type { HandlerRegistry } from '../../core/steps/registry.ts';
import type { StepEvent, StepStore } from '../../core/steps/step-store.port.ts';
import { edgeContextOf } from '../scheduler/edge-context.ts';
import { startEdgeServices, type EdgeServices } from '../scheduler/edge-services.ts';
import { startUserDataForBoxes, type BackgroundUserData } from '../streams/user-data/start-user-data.ts';
import type { FleetMetrics } from '../metrics/fleet-metrics.ts';
import { ProtectionWatch } from './protection-watch.ts';

/** What a process runs: consumers of physical queues and, optionally, the dispatch daemon. */
export interface ProcessPlan {
  /** Box names this process stands in for. */
  boxes: string[];
  consumers: { queue: string; lane: string; concurrency: number }[];
  dispatch: boolean;
}

/** Everything a fleet process is built from. */
export interface FleetProcessOptions {
  plan: ProcessPlan;
  store: StepStore;
  queue: QueuePort;
  router: LaneRouter;
  registry: HandlerRegistry;
  logger: Logger;
  worker: string;
  clock?: Clock;
  limits?: Partial<EngineLimits>;
  daemon?: DispatchDaemonOptions;
  onEvents?: (events: StepEvent[]) => void;
  /** Per-hop latency goes here when set. */
  metrics?: FleetMetrics | null;
}

/** A started process. */
export interface FleetProcess {
  engine: StepEngine;
  daemon: DispatchDaemon | null;
  consumers: Consumer[];
  /** Scheduler, heartbeat and alerts; null for a process built without openBackends (tests, benchmarks). */
  edge?: EdgeServices | null;
  /** Settles with how many steps of this worker identity's previous life were taken back (null: consumes nothing). */
  reclaimed: Promise<number> | null;
  /** The user-data streams this process owns, if any (readiness reads them). */
  userData?: BackgroundUserData | null;
  /** Stops the daemon, then lets in-flight steps finish up to the deadline. */
  stop(deadlineMs: number): Promise<void>;
}

/** Starts the consumers (and daemon) of a plan. */
export function startFleetProcess(o: FleetProcessOptions): FleetProcess {
  let daemon: DispatchDaemon | null = null;
  let edge: EdgeServices | null = null;
  const consumed = new Set(o.plan.consumers.map((c) => c.queue));
  const engine = new StepEngine({
    // A sibling promoted onto a queue this process consumes runs next in the same slot.
    chain: (lane) => {
      try {
        return consumed.has(o.router.queueFor(lane));
      } catch {
        return false;
      }
    },
    store: o.store, queue: o.queue, registry: o.registry, router: o.router, logger: o.logger, worker: o.worker, clock: o.clock, limits: o.limits,
    onDeferred: (at) => daemon?.wake(at),
    onEvents: (events) => {
      for (const e of events) o.logger[e.severity === 'critical' ? 'error' : e.severity === 'warning' ? 'warn' : 'info'](e.message, { event: e.kind, subject: e.subject });
      o.onEvents?.(events);
      edge?.onEvents(events);
    },
  });
  if (o.plan.dispatch) daemon = new DispatchDaemon(engine, o.daemon);
  const edgeContext = edgeContextOf(o.queue);
  if (edgeContext) {
    edge = startEdgeServices({
      engine, config: edgeContext.config, topology: edgeContext.topology, env: edgeContext.env, boxes: o.plan.boxes,
      consumers: o.plan.consumers, dispatch: o.plan.dispatch, logger: o.logger, worker: o.worker, metrics: o.metrics,
    });
  }
  // The user-data stream daemon, where the topology puts it (athena; every box with run --all).
  const userData = edgeContext ? startUserDataForBoxes({
    engine, config: edgeContext.config, topology: edgeContext.topology, boxes: o.plan.boxes, logger: o.logger,
    onEnqueued: o.metrics ? (eventTime) => o.metrics!.userDataLag.observe(Math.max(0, Date.now() - eventTime) / 1000) : undefined,
  }) : null;
  const consumers = o.plan.consumers.map((c) => ({ c, hop: o.metrics?.hopSeconds.labels(c.queue) })).map(({ c, hop }) => o.queue.consume(c.queue, c.concurrency, async (job) => {
    hop?.observe(Math.max(0, Date.now() - job.dispatchedAt) / 1000);
    try {
      await engine.execute(job);
    } catch (error) {
      // The store was unreachable mid-run: the step stays running and stale recovery brings it back.
      o.logger.error('step execution failed outside the handler', { step: job.stepId, set: job.set, error });
    }
  }));
  daemon?.start();
  // Steps this worker identity was running before a crash come back now, not after stale recovery.
  const reclaim = o.plan.consumers.length > 0 ? reclaimAtStart(engine) : null;
  // Exposure without a stop pages from wherever the dispatcher or trading workers still run.
  const watch = edge && edgeContext && (o.plan.dispatch || o.plan.consumers.some((c) => c.lane === 'positions'))
    ? new ProtectionWatch({
      rows: o.store, clock: engine.o.clock, logger: o.logger, notifier: edge.notifier, lease: edge.state.lease, owner: o.worker,
      keyPrefix: edgeContext.config.KRAITE_QUEUE_PREFIX, boundMs: edgeContext.config.KRAITE_UNPROTECTED_ALERT_MS, repeatMs: Math.max(1_000, edgeContext.config.KRAITE_ALERT_THROTTLE_MS),
    })
    : null;
  watch?.start();
  return {
    engine, daemon, consumers, edge, userData, reclaimed: reclaim?.done ?? null,
    async stop(deadlineMs) {
      reclaim?.stop();
      await watch?.stop();
      await userData?.stop();
      await edge?.stop();
      await daemon?.stop();
      await Promise.all(consumers.map((c) => c.close(deadlineMs)));
    },
  };
}
