// Remembers, per opened queue, the configuration and topology it was opened with, so the fleet
// process can start the edge services (scheduler, heartbeat, alerts) of its plan without every
// caller threading them through. Processes built by hand (tests, benchmarks) have no context and
// run no edge services.
import type { Topology } from '../../core/fleet/topology.schema.ts';
import type { QueuePort } from '../../core/queue/queue.port.ts';
import type { KraiteConfig } from '../runtime/config.ts';

/** What the edge services need besides the engine. */
export interface EdgeContext {
  config: KraiteConfig;
  topology: Topology;
  env?: Record<string, string | undefined>;
}

const contexts = new WeakMap<QueuePort, EdgeContext>();

/** Called by openBackends for the queue it opened. */
export function rememberEdgeContext(queue: QueuePort, context: EdgeContext): void {
  contexts.set(queue, context);
}

/** The context a queue was opened with, if any. */
export function edgeContextOf(queue: QueuePort): EdgeContext | undefined {
  return contexts.get(queue);
}
