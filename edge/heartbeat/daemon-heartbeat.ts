// The fleet heartbeat of a daemon that runs as its own process (the mark-price stream's own unit,
// a user-data stream shard): with Redis, it beats once a minute for every box of the topology that
// lists the daemon, naming itself as that daemon, so the admin's fleet panel shows it beside the
// box's main process.
// Without Redis there is no fleet to report to (embedded mode runs everything in one process).
import { hostname } from 'node:os';
import { HeartbeatPublisher } from '../../core/fleet/heartbeat.port.ts';
import type { Daemon } from '../../core/fleet/topology.schema.ts';
import { systemClock } from '../../core/ports/clock.ts';
import type { Logger } from '../../core/ports/logger.ts';
import { loadTopology } from '../fleet/load-topology.ts';
import type { KraiteConfig } from '../runtime/config.ts';
import { openEdgeState } from '../scheduler/edge-services.ts';
import { processVersion } from './version.ts';

/** Starts beating for `daemon` when the fleet has Redis; returns how to stop. */
export async function startDaemonHeartbeat(o: { config: KraiteConfig; env: Record<string, string | undefined>; daemon: Daemon; logger: Logger; worker?: string }): Promise<{ worker: string; stop(): Promise<void> }> {
  const worker = o.worker ?? `${o.daemon}@${hostname()}:${process.pid}`;
  if (!o.config.REDIS_URL) return { worker, stop: async () => undefined };
  const topology = await loadTopology(o.config.KRAITE_TOPOLOGY);
  const state = openEdgeState(o.config);
  const publisher = new HeartbeatPublisher({
    port: state.heartbeats, clock: systemClock, worker, version: processVersion(o.env),
    boxes: topology.boxes.filter((b) => b.daemons.includes(o.daemon)).map((b) => b.name),
    processes: () => [o.daemon], consumers: () => [],
    onError: (error) => o.logger.warn('could not publish the heartbeat', { error }),
  });
  publisher.start();
  return {
    worker,
    async stop() {
      publisher.stop();
      await state.close();
    },
  };
}
