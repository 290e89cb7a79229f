// Runs a backtest fleet's steps the way `npm start` (kraite run --all, embedded) runs them: the
// embedded store and queue from the configuration, the topology's all-in-one plan (every lane's
// consumers at their concurrency, the dispatch daemon), the registry with the system handlers, and
// startFleetProcess — the same process wiring, with its own daemon and asynchronous consumers.
// Only the wall-clock parts stay out: prices and the cron slots come from the backtest's timeline
// on a manual clock, so the run is comparable with the backtest's own drive.
import { TopologyRouter } from '../../core/fleet/lane-router.ts';
import { isRunnable } from '../../core/steps/runnable.ts';
import { STEP_SETS } from '../../core/steps/step.ts';
import type { StepStore } from '../../core/steps/step-store.port.ts';
import { jsonLogger } from '../../core/ports/logger.ts';
import type { FleetDrive } from '../../edge/backtest/backtest-fleet.ts';
import { planFor } from '../../edge/cli/commands/run.command.ts';
import { loadTopology } from '../../edge/fleet/load-topology.ts';
import { createQueue, createStore } from '../../edge/runtime/backends.ts';
import { loadConfig } from '../../edge/runtime/config.ts';
import { startFleetProcess, type FleetProcess } from '../../edge/runtime/fleet-process.ts';
import { createRegistry } from '../../handlers/index.ts';
import { until } from './wait-until.ts';

// True while any step could still move at the clock's time: dispatched, running without a child
// block, or pending and runnable now.
async function busy(store: StepStore, now: number): Promise<boolean> {
  for (const set of STEP_SETS) {
    const live = await store.listSteps(set, { state: ['pending', 'dispatched', 'running'], limit: 10_000 });
    for (const s of live) {
      if (s.state === 'dispatched' || (s.state === 'running' && s.childBlockUuid === null)) return true;
      if (s.state !== 'pending') continue;
      const block = await store.listSteps(set, { blockUuid: s.blockUuid, limit: 1_000 });
      const parent = s.parentId === null ? null : await store.getStep(set, s.parentId);
      if (isRunnable(s, block, parent, now)) return true;
    }
  }
  return false;
}

/** The drive of `npm start`'s fleet process (see file comment). */
export async function npmStartDrive(): Promise<FleetDrive> {
  const config = loadConfig({ LOG_LEVEL: 'error' });
  const topology = await loadTopology(config.KRAITE_TOPOLOGY);
  const store = await createStore(config);
  const queue = await createQueue(config);
  const plan = planFor(topology, { all: true });
  let fleet: FleetProcess | null = null;
  const queueIdle = async () => {
    for (const c of plan.consumers) {
      const n = await queue.counts(c.queue);
      if (n.waiting > 0 || n.active > 0) return false;
    }
    return true;
  };
  return {
    store, queue,
    start({ handlers, clock, onEvents }) {
      fleet = startFleetProcess({
        plan, store, queue, router: new TopologyRouter(topology), registry: createRegistry(handlers), clock, onEvents,
        logger: jsonLogger({ level: 'error', write: () => {} }), worker: 'paper@npm-start',
      });
      return fleet.engine;
    },
    async idle(engine) {
      fleet!.daemon?.wake(engine.o.clock.now());
      // Idle twice in a row, a turn apart: a finish pushes its promoted siblings after its commit.
      let quiet = 0;
      await until('the fleet process to go idle', async () => {
        const idle = (await queueIdle()) && !(await busy(store, engine.o.clock.now()));
        quiet = idle ? quiet + 1 : 0;
        if (!idle) fleet!.daemon?.wake(engine.o.clock.now());
        return quiet >= 2;
      }, 60_000, 1);
    },
    async close() {
      await fleet?.stop(5_000);
      await queue.close();
      await store.close();
    },
  };
}
