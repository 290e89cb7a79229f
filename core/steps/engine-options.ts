// Everything the step engine is built from, with defaults for what callers may omit.
import type { Clock } from '../ports/clock.ts';
import { systemClock } from '../ports/clock.ts';
import type { IdSource } from '../ports/ids.ts';
import { cryptoIds } from '../ports/ids.ts';
import type { Logger } from '../ports/logger.ts';
import { silentLogger } from '../ports/logger.ts';
import type { QueuePort } from '../queue/queue.port.ts';
import { identityRouter, type LaneRouter } from '../queue/router.port.ts';
import type { HandlerContext, Job } from './context.ts';
import type { HandlerRegistry } from './registry.ts';
import type { StepEvent, StepStore } from './step-store.port.ts';

/** Tunables of the engine; every one has a default. */
export interface EngineLimits {
  /** Most steps one dispatcher tick claims per group. */
  tickCap: number;
  /** A running step whose heartbeat is older than this is stale. */
  staleRunningMs: number;
  /** A dispatched step not picked up within this is re-queued on the priority lane. */
  staleDispatchedMs: number;
  /** How often a running step refreshes its heartbeat. */
  heartbeatMs: number;
  /** Upper bound of retry backoff. */
  maxBackoffMs: number;
  maxAttempts: number;
  backoffMs: number;
}

/** Construction options of StepEngine. */
export interface StepEngineOptions {
  store: StepStore;
  queue: QueuePort;
  registry: HandlerRegistry;
  router?: LaneRouter;
  clock?: Clock;
  ids?: IdSource;
  random?: () => number;
  logger?: Logger;
  /**
   * Identity of this process, written (with a run token after '#') to the steps it runs. Box-stable
   * (box and host, no pid), so a restarted process recognises its previous life's steps (reclaim.ts).
   */
  worker?: string;
  /** Adds capability ports (exchange, indicators…) to the base ctx for a job. */
  context?: (job: Job<unknown>, base: HandlerContext) => HandlerContext;
  /** Receives events after their transaction commits (alerts, notifications). */
  onEvents?: (events: StepEvent[]) => void;
  /**
   * Lanes this process consumes itself: a sibling promoted onto one of them is run next in the
   * same worker slot instead of taking a queue hop. Off (undefined) for pure producers.
   */
  chain?: (lane: string) => boolean;
  /** Told when a step was rescheduled for later, so a local dispatcher can wake in time. */
  onDeferred?: (at: number) => void;
  limits?: Partial<EngineLimits>;
}

/** The limits used when none are given: a dead worker's step is noticed after three missed beats (~15 s). */
export const DEFAULT_LIMITS: EngineLimits = {
  tickCap: 200,
  staleRunningMs: 15_000,
  staleDispatchedMs: 120_000,
  heartbeatMs: 5_000,
  maxBackoffMs: 300_000,
  maxAttempts: 3,
  backoffMs: 1_000,
};

/** Options with every default filled in. */
export type ResolvedEngineOptions = Required<Omit<StepEngineOptions, 'context' | 'onDeferred' | 'chain' | 'limits'>> &
  Pick<StepEngineOptions, 'context' | 'onDeferred' | 'chain'> & { limits: EngineLimits };

/** Fills defaults. */
export function resolveEngineOptions(o: StepEngineOptions): ResolvedEngineOptions {
  return {
    store: o.store,
    queue: o.queue,
    registry: o.registry,
    router: o.router ?? identityRouter,
    clock: o.clock ?? systemClock,
    ids: o.ids ?? cryptoIds,
    random: o.random ?? Math.random,
    logger: o.logger ?? silentLogger,
    worker: o.worker ?? 'local',
    context: o.context,
    onEvents: o.onEvents ?? (() => {}),
    onDeferred: o.onDeferred,
    chain: o.chain,
    limits: { ...DEFAULT_LIMITS, ...o.limits },
  };
}
