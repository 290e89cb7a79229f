// One fault-soak run: the real trading handlers through the real step engine (over the store and
// queue given: embedded, or MariaDB + BullMQ), the real scheduler on a manual clock (opens, polls,
// drift checks), the in-process simulator behind the real Binance client, and user-data frames
// through the real sink. The plan's events are applied at their times; between them the clock jumps
// straight to the next thing due (an event, a held frame, a scheduler slot, a delayed step), so no
// run ever sleeps. Then the faults go off, the polls run, and the invariants are checked.
import { BinanceUsdmClient } from '../../../core/exchange/binance/binance-client.ts';
import type { FetchFn } from '../../../core/exchange/binance/request.ts';
import { ManualClock } from '../../../core/ports/clock.ts';
import { seededRandom, sequentialIds } from '../../../core/ports/ids.ts';
import { silentLogger } from '../../../core/ports/logger.ts';
import type { Consumer, QueuePort } from '../../../core/queue/queue.port.ts';
import { MemoryCooldown } from '../../../core/scheduler/cooldown.port.ts';
import { MemoryLease } from '../../../core/scheduler/lease.port.ts';
import { SCHEDULE } from '../../../core/scheduler/schedule-table.ts';
import { Scheduler } from '../../../core/scheduler/scheduler.ts';
import { engineStarter } from '../../../core/scheduler/step-starter.ts';
import { inProcessFetch } from '../../../core/sim/in-process-exchange.ts';
import { SimExchange } from '../../../core/sim/sim-exchange.ts';
import { tickGroup } from '../../../core/steps/dispatcher.ts';
import { StepEngine } from '../../../core/steps/engine.ts';
import { HandlerRegistry } from '../../../core/steps/registry.ts';
import type { StepEvent, StepStore } from '../../../core/steps/step-store.port.ts';
import { STEP_SETS } from '../../../core/steps/step.ts';
import { DEFAULT_ALLOWLIST } from '../../../core/streams/user-data-frames.ts';
import { UserDataSink } from '../../../core/streams/user-data-sink.ts';
import { CATCH_UP_HANDLER } from '../../streams/user-data/user-data-daemon.ts';
import { importCredentialsKey } from '../../../core/trading/credentials.ts';
import { credentialDirectory } from '../../../core/trading/exchange-directory.ts';
import { toOrder } from '../../../core/trading/order.ts';
import { seedPaperTrading } from '../../../core/trading/paper-seed.ts';
import { toPosition } from '../../../core/trading/position.ts';
import { tradingHandlers } from '../../../handlers/trading/index.ts';
import { checkFees, checkFinal, checkLadder, checkStops, type SoakSnapshot, type Violation } from './soak-invariants.ts';
import type { SoakEvent, SoakPlan } from './soak-plan.ts';
import { SoakStream, type StreamCounts } from './soak-stream.ts';

const LANES = ['positions', 'orders', 'priority', 'user-data-stream', 'cronjobs'];
const START = Date.UTC(2026, 0, 5, 12, 0, 0);
const API_KEY = 'soak-key';
const SECRET = 'soak-secret';
// After the quiet phase, delayed steps (retries, the 20 s second flat read) may still run this long.
const DRAIN_MS = 15 * 60_000;

/** The store and queue a run uses. */
export interface SoakParts {
  store: StepStore;
  queue: QueuePort;
}

/** How a run waits for work it cannot see finish (real I/O on MariaDB + BullMQ). */
export interface SoakRunOptions {
  /** `io` waits a few ms between dispatcher ticks (BullMQ); `memory` only yields a turn (default). */
  wait?: 'memory' | 'io';
  /** Wall-clock limit of one settle before the run is declared stuck (default 60 s). */
  settleTimeoutMs?: number;
  /** Distinguishes ids when several runs share one database. */
  idPrefix?: string;
  /** Called at the end with the run's simulator, for digging into a failing seed. */
  inspect?: (world: { sim: SimExchange; apiKey: string; accountId: number }) => Promise<void>;
}

/** REST faults the client actually met. */
export interface RestCounts {
  requests: number;
  lostResponses: number;
  writes5xx: number;
  reads5xx: number;
}

/** What one run found and did. */
export interface SoakOutcome {
  seed: number;
  violations: Violation[];
  /** The run itself broke (did not settle, threw): reported beside the violations. */
  error: string | null;
  positions: Record<string, number>;
  closed: number;
  steps: number;
  stream: StreamCounts;
  rest: RestCounts;
  critical: string[];
  wallMs: number;
}

/** Runs `plan` over `parts`. */
export async function runSoak(plan: SoakPlan, parts: SoakParts, options: SoakRunOptions = {}): Promise<SoakOutcome> {
  const wall = performance.now();
  const clock = new ManualClock(START);
  const sim = new SimExchange({
    clock, seed: plan.seed, accounts: [{ apiKey: API_KEY, secret: SECRET, balance: '100000' }],
    rateLimits: { weightPerMinute: 100_000_000, ordersPer10s: 1_000_000, ordersPerMinute: 1_000_000 },
  });
  sim.freeze();
  const rest: RestCounts = { requests: 0, lostResponses: 0, writes5xx: 0, reads5xx: 0 };
  const simFetch = inProcessFetch(sim);
  const fetch: FetchFn = async (url, init) => {
    rest.requests++;
    try {
      const res = await simFetch(url, init);
      if (res.status >= 500) {
        if (init.method === 'GET') rest.reads5xx++;
        else rest.writes5xx++;
      }
      return res;
    } catch (error) {
      rest.lostResponses++;
      throw error;
    }
  };
  const connect = (apiKey: string, secret: string) => new BinanceUsdmClient({ baseUrl: 'http://sim.invalid', apiKey, secret, clock, fetch });
  const key = await importCredentialsKey(btoa(String.fromCharCode(...new Uint8Array(32).fill(plan.seed % 251))));
  const prefix = (options.idPrefix ?? plan.seed.toString(16)).padStart(8, '0').slice(-8);
  const accountId = await seedPaperTrading(parts.store, connect(API_KEY, SECRET), {
    key, now: clock.now(), directions: plan.directions,
    account: {
      name: `soak-${prefix}`, apiKey: API_KEY, secret: SECRET, tradingEnabled: true,
      settings: { LONG: { slots: plan.slots.LONG }, SHORT: { slots: plan.slots.SHORT } },
    },
  });
  const critical: string[] = [];
  const engine = new StepEngine({
    store: parts.store, queue: parts.queue, clock, ids: sequentialIds(prefix), random: seededRandom(plan.seed), logger: silentLogger,
    registry: new HandlerRegistry(tradingHandlers({ exchanges: credentialDirectory(key, (c) => connect(c.apiKey, c.apiSecret)) })),
    worker: 'soak', chain: (lane) => LANES.includes(lane),
    onEvents: (events: StepEvent[]) => {
      for (const e of events) if (e.severity === 'critical') critical.push(`+${((e.createdAt - START) / 1000).toFixed(0)}s ${e.subject}: ${e.message}`);
    },
  });
  const consumers: Consumer[] = LANES.map((lane) => parts.queue.consume(lane, 4, async (job) => void (await engine.execute(job))));
  // The daemon's reconcile while the socket is down and at every reconnect (user-data-daemon.ts).
  let syncs: Promise<unknown> = Promise.resolve();
  const syncAccount = () => {
    syncs = syncs.then(() => engine.start([{ handler: CATCH_UP_HANDLER, args: { accountId } }], { set: 'trading' }));
  };
  const stream = new SoakStream(sim, new UserDataSink({ engine, allowlist: DEFAULT_ALLOWLIST }), accountId, API_KEY, syncAccount);
  const trading = SCHEDULE.filter((e) => e.step?.handler.startsWith('trading.'));
  const scheduler = (entries: typeof trading) => new Scheduler({
    entries, starter: engineStarter(engine), lease: new MemoryLease(clock), cooldown: new MemoryCooldown(clock), clock, logger: silentLogger, owner: 'soak',
  });

  const violations: Violation[] = [];
  const seen = new Set<string>();
  const note = (found: Violation[]) => {
    for (const v of found) {
      const k = `${v.invariant}|${v.key ?? v.detail}`;
      if (!seen.has(k)) {
        seen.add(k);
        violations.push(v);
      }
    }
  };
  const snapshot = async (): Promise<SoakSnapshot> => {
    const positions = (await parts.store.findRows('positions', { account_id: accountId }, { orderBy: 'id' })).map(toPosition);
    const orders = (await parts.store.findRows('orders', { account_id: accountId }, { orderBy: 'id' })).map(toOrder);
    return { sim, apiKey: API_KEY, now: clock.now(), startedAt: START, positions, orders };
  };
  // The simulator publishes an event for every change of an order, algo order or leg: a cheap way
  // to know whether the moment-to-moment checks have anything new to look at.
  let simChanges = 0;
  const unsubscribe = sim.subscribe((e) => void (e.kind === 'user' && simChanges++));
  let checkedAt = -1;
  const idle = options.wait === 'io' ? () => new Promise((r) => setTimeout(r, 3)) : () => new Promise((r) => setImmediate(r));
  const settle = async () => {
    const deadline = performance.now() + (options.settleTimeoutMs ?? 60_000);
    let total = 0;
    for (;;) {
      await syncs;
      await stream.drained();
      const moved = await tickActiveGroups(engine, parts.store);
      total += moved;
      // Idle only when no step is in flight and no frame a step just caused is still on its way in.
      if (moved === 0 && !(await stepsInFlight(parts.store)) && !stream.busy) return total;
      if (performance.now() > deadline) throw new Error(`the engine did not settle at +${(clock.now() - START) / 1000}s`);
      await idle();
    }
  };
  const nextDue = async () => {
    const due = (await Promise.all(STEP_SETS.map((s) => parts.store.nextDueAt(s, clock.now())))).filter((t): t is number => t !== null);
    return due.length ? Math.min(...due) : null;
  };
  // Runs until `end`: apply what is due, settle, check, jump to the next thing due.
  const runUntil = async (end: number, events: SoakEvent[], sched: Scheduler | null) => {
    for (;;) {
      while (events.length && START + events[0]!.at <= clock.now()) apply(events.shift()!);
      stream.wake();
      await sched?.tick();
      const moved = await settle();
      if (moved > 0 || simChanges !== checkedAt) {
        checkedAt = simChanges;
        const snap = await snapshot();
        note([...checkLadder(snap), ...checkStops(snap), ...checkFees(snap)]);
      }
      const candidates = [
        events.length ? START + events[0]!.at : null, stream.nextWakeAt(), await nextDue(),
        ...(sched ? sched.status().map((s) => s.nextRunAt) : []),
      ].filter((t): t is number => t !== null && t > clock.now());
      const next = Math.min(end, ...candidates);
      if (next <= clock.now()) return;
      clock.set(next);
      sim.tick();
    }
  };
  const apply = (e: SoakEvent) => {
    switch (e.kind) {
      case 'move': return sim.movePercent(e.symbol, e.pct);
      case 'depth': {
        const m = sim.market(e.symbol);
        return sim.setDepth(e.symbol, e.notional === null ? null : m.step.times(Math.max(1, Math.floor(Number(e.notional) / m.last.times(m.step).toNumber()))).toString());
      }
      case 'frames': return e.fault === 'drop' ? sim.faults.dropFrames(e.count, e.event ? { event: e.event } : {}) : sim.faults.duplicateFrames(e.count, e.event ? { event: e.event } : {});
      case 'delay-frames': return stream.delayNext(e.count, e.ms);
      case 'outage': return stream.outage(e.ms);
      case 'lose-response': return sim.faults.loseResponse({ method: e.method, path: e.path });
      case 'server-error': return sim.faults.serverError({ applied: e.applied }, { method: e.method, path: e.path }, e.times);
      case 'foreign-cancel': {
        const rungs = sim.account(API_KEY)!.working().filter((o) => /^k-\w+-dca/.test(o.clientOrderId)).sort((a, b) => a.orderId - b.orderId);
        const rung = rungs[Math.floor(e.pick * rungs.length)];
        if (rung) sim.call('DELETE', '/fapi/v1/order', { symbol: rung.symbol, orderId: String(rung.orderId) }, API_KEY);
        return;
      }
    }
  };

  let error: string | null = null;
  try {
    await runUntil(START + plan.faultMs, [...plan.events], scheduler(trading));
    // Faults off: no rule left, full liquidity, the socket back; no new opens, the polls go on.
    sim.faults.clear();
    for (const symbol of Object.keys(plan.directions)) sim.setDepth(symbol, null);
    stream.heal();
    await runUntil(START + plan.faultMs + plan.quietMs, [], scheduler(trading.filter((e) => e.step?.handler !== 'trading.open-positions')));
    await runUntil(START + plan.faultMs + plan.quietMs + DRAIN_MS, [], null);
    note(checkFinal({ ...(await snapshot()), steps: await parts.store.listSteps('trading', { limit: 100_000 }) }));
    await options.inspect?.({ sim, apiKey: API_KEY, accountId });
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  } finally {
    stream.close();
    unsubscribe();
    await Promise.all(consumers.map((c) => c.close(5_000)));
  }
  const positions: Record<string, number> = {};
  const rows = await parts.store.findRows('positions', { account_id: accountId });
  for (const r of rows) positions[String(r.status)] = (positions[String(r.status)] ?? 0) + 1;
  return {
    seed: plan.seed, violations, error, positions, closed: positions.closed ?? 0,
    steps: (await parts.store.listSteps('trading', { limit: 100_000 })).length,
    stream: stream.counts, rest, critical, wallMs: performance.now() - wall,
  };
}

// Steps dispatched, or running without waiting on a child block, in either set.
async function stepsInFlight(store: StepStore): Promise<boolean> {
  for (const set of STEP_SETS) {
    const busy = await store.listSteps(set, { state: ['dispatched', 'running'], limit: 1000 });
    if (busy.some((s) => s.state === 'dispatched' || s.childBlockUuid === null)) return true;
  }
  return false;
}

// One dispatcher tick over every active group of both sets: the steps dispatched or settled.
async function tickActiveGroups(engine: StepEngine, store: StepStore): Promise<number> {
  let moved = 0;
  for (const set of STEP_SETS) {
    for (const g of await store.activeGroups(set)) {
      const r = await tickGroup(engine, set, g, { settleParents: true });
      moved += r.dispatched + r.settled;
    }
  }
  return moved;
}
