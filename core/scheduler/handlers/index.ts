// The system handlers the scheduler table names: stale recovery, retention and the maintenance
// sentinel (the heartbeat check is no step: every fleet process watches the others, see
// core/fleet/heartbeat-watch.ts). Every fleet process registers them (they run on the cronjobs lane).
import type { HandlerDefinition } from '../../steps/registry.ts';
import { archivePurgeHandler } from './archive-purge.handler.ts';
import { healthCheckHandler } from './health-check.handler.ts';
import { recoverStaleHandler } from './recover-stale.handler.ts';
import type { SystemDeps } from './system-deps.ts';

export { SYSTEM_DEFAULTS, type SystemDeps } from './system-deps.ts';

/** Names of the system handlers, for `kraite schedule` (availability without building deps). */
export const SYSTEM_HANDLER_NAMES = ['steps.recover-stale', 'steps.archive-purge', 'fleet.health-check'] as const;

/** Every system handler over `deps`. */
export function systemHandlers(deps: SystemDeps): HandlerDefinition<any>[] {
  return [recoverStaleHandler(deps), archivePurgeHandler(deps), healthCheckHandler(deps)];
}
