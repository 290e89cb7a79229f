// The scheduler wired as a fleet process wires it (startEdgeServices) over a real step engine,
// with shared state in memory and in Redis: entries fire on cadence and their steps run, a deploy
// cooldown pauses the step producers, the maintenance sentinel pages when maintenance drags on,
// and the process's heartbeat watch pages a box that stopped beating.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../core/adapters/memory/memory-step-store.ts';
import type { Topology } from '../core/fleet/topology.schema.ts';
import type { Notifier, Severity } from '../core/notify/notifier.port.ts';
import { ThrottledNotifier } from '../core/notify/throttled-notifier.ts';
import { ManualClock } from '../core/ports/clock.ts';
import { silentLogger } from '../core/ports/logger.ts';
import { identityRouter } from '../core/queue/router.port.ts';
import { MINUTE } from '../core/scheduler/cadence.ts';
import { result } from '../core/steps/effects.ts';
import { StepEngine } from '../core/steps/engine.ts';
import { defineHandler, HandlerRegistry } from '../core/steps/registry.ts';
import { STEP_SETS, TERMINAL_STATES } from '../core/steps/step.ts';
import { loadTopology } from '../edge/fleet/load-topology.ts';
import { loadConfig } from '../edge/runtime/config.ts';
import { openEdgeState, startEdgeServices, type EdgeServices, type EdgeState } from '../edge/scheduler/edge-services.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 30);
let topology: Topology;
beforeAll(async () => {
  topology = await loadTopology('infra/topology.json');
});

const opened = vitestCleanup();
function vitestCleanup() {
  const fns: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of fns.splice(0).reverse()) await f();
  });
  return (f: () => Promise<void>) => fns.push(f);
}

let openPositionsRuns = 0;
const openPositions = defineHandler({ name: 'trading.open-positions', lane: 'positions', args: z.object({}), run: async () => (openPositionsRuns++, result.complete()) });

async function rig(kind: 'memory' | 'redis') {
  const clock = new ManualClock(T0);
  const store = new MemoryStepStore();
  const queue = new MemoryQueue({ logger: silentLogger });
  const sent: { subject: string; message: string; severity: Severity }[] = [];
  const recording: Notifier = { deliver: async (subject, message, severity) => (sent.push({ subject, message, severity }), 'sent') };
  const notifier = new ThrottledNotifier(recording, { windowMs: 15 * MINUTE, clock });
  let edge: EdgeServices | null = null;
  const engine = new StepEngine({ store, queue, registry: new HandlerRegistry([openPositions]), router: identityRouter, clock, logger: silentLogger, worker: 'athena@test', onEvents: (e) => edge?.onEvents(e) });
  const consumers = ['cronjobs', 'positions'].map((lane) => queue.consume(lane, 2, async (job) => void (await engine.execute(job))));
  let state: EdgeState;
  if (kind === 'redis') {
    const t = testPrefix();
    state = openEdgeState({ REDIS_URL, KRAITE_QUEUE_PREFIX: t.prefix }, engine);
    opened(async () => {
      await state.close();
      await t.cleanup();
    });
  } else state = openEdgeState({ KRAITE_QUEUE_PREFIX: 'kraite' }, engine);
  const config = loadConfig({ KRAITE_MAINTENANCE_PAGE_MS: String(30 * MINUTE) });
  edge = startEdgeServices({
    engine, config, topology, boxes: ['athena'], consumers: [], dispatch: true, logger: silentLogger, worker: 'athena@test', state, notifier, autoStart: false,
  });
  const services = edge;
  opened(async () => {
    await services.stop();
    for (const c of consumers) await c.close(1000);
    await queue.close();
  });
  /** Waits until every step is terminal (the memory queue runs them on the event loop). */
  const settle = async () => {
    for (let i = 0; i < 2000; i++) {
      let open = 0;
      for (const set of STEP_SETS) open += (await store.listSteps(set, { limit: 1000 })).filter((s) => !TERMINAL_STATES.has(s.state)).length;
      if (open === 0) return;
      await new Promise((r) => setImmediate(r));
    }
    throw new Error('steps did not settle');
  };
  const steps = async (handler: string) => (await store.listSteps('default', { handler, limit: 1000 }));
  return { clock, edge: services, state, sent, settle, steps, store };
}

describe.each(['memory', 'redis'] as const)('scheduler over a real engine (%s state)', (kind) => {
  it('fires entries on cadence; their steps run; unavailable handlers are skipped', async () => {
    const r = await rig(kind);
    openPositionsRuns = 0;
    for (let m = 0; m < 6; m++) {
      r.clock.advance(MINUTE);
      const reports = await r.edge.scheduler!.tick();
      expect(reports.find((x) => x.entry === 'sync-orders')?.outcome ?? 'unavailable').toBe('unavailable');
      await r.settle();
    }
    expect((await r.steps('steps.recover-stale')).map((s) => s.state)).toEqual(Array(6).fill('completed'));
    expect(openPositionsRuns).toBe(2); // every 3 min: 12:03 and 12:06
  });

  it('pauses step producers in cooldown, keeps the health check, and the sentinel pages', async () => {
    const r = await rig(kind);
    openPositionsRuns = 0;
    await r.state.cooldown.begin('deploy 0.2.0', 'ops');
    for (let m = 0; m < 40; m++) {
      r.clock.advance(MINUTE);
      await r.edge.heartbeat.beat();
      const reports = await r.edge.scheduler!.tick();
      for (const x of reports) if (x.entry === 'open-positions') expect(x.outcome).toBe('cooldown');
      await r.settle();
    }
    expect(openPositionsRuns).toBe(0);
    const slots = Array.from({ length: 40 }, (_, m) => T0 + (m + 1) * MINUTE).filter((t) => Math.floor(t / (7 * MINUTE)) > Math.floor((t - MINUTE) / (7 * MINUTE)));
    expect((await r.steps('fleet.health-check')).length).toBe(slots.length);
    const pages = r.sent.filter((s) => s.subject === 'fleet:maintenance');
    expect(pages).toHaveLength(1); // the first check past 30 min pages; the throttle holds the next one
    expect(pages[0]).toMatchObject({ severity: 'critical' });
    expect(pages[0]!.message).toContain('deploy 0.2.0');

    await r.state.cooldown.end();
    for (let m = 0; m < 3; m++) {
      r.clock.advance(MINUTE);
      await r.edge.scheduler!.tick();
      await r.settle();
    }
    expect(openPositionsRuns).toBe(1);
  });

  it('pages boxes whose heartbeat is missing (past the cold start) or stale, not its own', async () => {
    const r = await rig(kind);
    r.clock.advance(MINUTE);
    await r.edge.heartbeat.beat();
    expect(await r.edge.watch.check()).toEqual([]); // cold start: nobody else has beaten yet, and that is fine
    r.clock.advance(5 * MINUTE);
    await r.edge.heartbeat.beat();
    await r.edge.watch.check();
    const subjects = r.sent.filter((s) => s.subject.startsWith('fleet:heartbeat:')).map((s) => s.subject).sort();
    expect(subjects).toEqual(['eos', 'hemera', 'iris', 'nyx', 'pheme', 'tyche'].map((b) => `fleet:heartbeat:${b}`));
    expect(r.sent.every((s) => s.severity === 'critical')).toBe(true);
    const beats = await r.state.heartbeats.list();
    expect(beats[0]).toMatchObject({ box: 'athena', worker: 'athena@test', processes: ['dispatcher', 'scheduler', 'heartbeat'] });
  });
});
