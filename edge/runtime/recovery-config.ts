// How quickly a dead worker's steps come back, from the process configuration: the engine's
// heartbeat and stale thresholds, the dispatch daemon's recovery cadence, and the worker identity
// a restarted process shares with its previous life (so it can reclaim that life's steps).
import type { DispatchDaemonOptions } from '../../core/steps/dispatch-daemon.ts';
import type { EngineLimits } from '../../core/steps/engine-options.ts';
import type { KraiteConfig } from './config.ts';

/** The engine limits the KRAITE_STEP_HEARTBEAT_MS / KRAITE_STALE_*_MS variables set. */
export function recoveryLimits(config: KraiteConfig): Pick<EngineLimits, 'heartbeatMs' | 'staleRunningMs' | 'staleDispatchedMs'> {
  return { heartbeatMs: config.KRAITE_STEP_HEARTBEAT_MS, staleRunningMs: config.KRAITE_STALE_RUNNING_MS, staleDispatchedMs: config.KRAITE_STALE_DISPATCHED_MS };
}

/** The dispatch daemon's recovery cadence (KRAITE_RECOVER_EVERY_MS). */
export function recoveryDaemonOptions(config: KraiteConfig): Pick<DispatchDaemonOptions, 'recoverEveryMs'> {
  return { recoverEveryMs: config.KRAITE_RECOVER_EVERY_MS };
}

/** `eos@host` (or `all@host` for every role in one process): stable across restarts, unlike a pid. */
export function stableWorkerId(boxes: readonly string[], host: string): string {
  return `${boxes.length === 1 ? boxes[0] : 'all'}@${host}`;
}
