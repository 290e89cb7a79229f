// Builds the admin's view of the fleet from a step engine, its queue and (optionally) the local
// dispatch daemon. Runtime-neutral: the same code serves the Node runtime and the tests.
import type { QueuePort } from '../../core/queue/queue.port.ts';
import type { DispatchDaemon } from '../../core/steps/dispatch-daemon.ts';
import type { StepEngine } from '../../core/steps/engine.ts';
import { cancelStep, retryStep } from '../../core/steps/operator.ts';
import { fetchKlinesSteps, refreshSymbolsSteps } from '../../core/market/handlers/first-run-steps.ts';
import type { BlockStepSpec } from '../../core/steps/effects.ts';
import { recoverStale } from '../../core/steps/recovery.ts';
import { STEP_SETS } from '../../core/steps/step.ts';
import { operatorClose } from '../../handlers/trading/blocks.ts';
import { operatorCancelOrder } from '../../handlers/trading/cancel-order.ts';
import type { AdminCommand, AdminFleet } from './fleet.port.ts';

/** What the view is built from. */
export interface EngineFleetOptions {
  engine: StepEngine;
  queue: QueuePort;
  /** Physical queues to show, with the concurrency this process consumes them at. */
  queues: { queue: string; concurrency: number }[];
  daemon?: DispatchDaemon | null;
  boxes: string[];
  mode: { store: string; queue: string };
  heartbeats?: AdminFleet['heartbeats'];
  governor?: AdminFleet['governor'];
}

/** Settled trees older than this move to the archive when an operator runs `steps:archive`. */
export const ARCHIVE_AFTER_MS = 7 * 24 * 60 * 60_000;

/** A command that starts a block for the fleet to run (tyche's cronjobs lane) and says which step to follow. */
function startCommand(engine: StepEngine, name: string, summary: string, steps: BlockStepSpec[]): AdminCommand {
  return {
    name, summary,
    async run() {
      const [root] = await engine.start(steps, { set: 'default' });
      return `started step ${root!.id} (${root!.handler}) on the ${root!.lane} lane; follow it under Steps`;
    },
  };
}

/** The allowlisted commands: stale recovery and archiving over both step sets, and market data now (where this process knows the market handlers). */
export function fleetCommands(engine: StepEngine): AdminCommand[] {
  const market = engine.o.registry.has('market.symbols.refresh') ? [
    startCommand(engine, 'symbols:refresh', 'refresh exchange symbols and their filters now (the hourly :05 job); new symbols start switched off', refreshSymbolsSteps(false)),
    startCommand(engine, 'klines:fetch', 'fetch missing closed klines now (15m basket; 1h, 4h, 1d of the basket and every approved symbol)', fetchKlinesSteps()),
  ] : [];
  return [...market, {
    name: 'steps:recover-stale',
    summary: 'stale running steps back to pending; stale dispatched steps re-queued on the priority lane',
    async run() {
      const parts: string[] = [];
      for (const set of STEP_SETS) {
        const r = await recoverStale(engine, set);
        parts.push(`${set}: ${r.runningRecovered} running recovered, ${r.dispatchedRequeued} dispatched re-queued, ${r.alerts} alerts`);
      }
      return parts.join('; ');
    },
  }, {
    name: 'steps:archive',
    summary: 'move settled step trees older than 7 days into the archive tables (tree-aware)',
    async run() {
      const before = engine.o.clock.now() - ARCHIVE_AFTER_MS;
      const parts: string[] = [];
      for (const set of STEP_SETS) parts.push(`${set}: ${await engine.o.store.archiveSettledTrees(set, before, 100_000)} steps archived`);
      return parts.join('; ');
    },
  }];
}

/** The admin's AdminFleet over an engine. */
export function engineFleet(o: EngineFleetOptions): AdminFleet {
  return {
    info: { boxes: o.boxes, mode: o.mode },
    store: o.engine.o.store,
    queues: () => Promise.all(o.queues.map(async (q) => ({ queue: q.queue, concurrency: q.concurrency, ...(await o.queue.counts(q.queue)) }))),
    dispatcher: () => (o.daemon ? { ...o.daemon.stats } : null),
    unflushedSaturation: () => o.daemon?.unflushed() ?? [],
    retryStep: (set, id) => retryStep(o.engine, set, id),
    cancelStep: (set, id) => cancelStep(o.engine, set, id),
    commands: fleetCommands(o.engine),
    async closePosition(uuid, who) {
      const close = operatorClose(uuid, who);
      return (await o.engine.start(close.steps, { set: 'trading', dedupeKey: close.dedupeKey }))[0]!;
    },
    async cancelOrder(uuid, clientOrderId) {
      const cancel = operatorCancelOrder(uuid, clientOrderId, o.engine.o.clock.now());
      return (await o.engine.start(cancel.steps, { set: 'trading', dedupeKey: cancel.dedupeKey }))[0]!;
    },
    heartbeats: o.heartbeats,
    governor: o.governor,
  };
}
