// A Worker for test/core-workerd.test.ts: the engine, the trading handlers and the in-process
// simulator inside workerd. Routes:
//   POST /memory/open       a full open block on the memory store and queue (the trading harness)
//   POST /ps/setup          {url, crash}: a scenario on the PlanetScale store (through the shim) whose
//                           steps travel on the STEPS queue and run in queue(); `crash` makes the finish
//                           of the first accepted order throw once, after the exchange took the order
//   GET  /ps/status         what the test waits on; POST /ps/advance moves the manual clock to the next
//                           due step and sends a wake-up through the queue (the persistent edge's tick)
import { MemoryQueue } from '../../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../../core/adapters/memory/memory-step-store.ts';
import { PlanetScaleStepStore } from '../../core/adapters/planetscale/planetscale-step-store.ts';
import { CloudflareQueuePort, type MessageBatch, type QueueProducer } from '../../core/adapters/push/cloudflare-queues.ts';
import { consumeStepBatch } from '../../core/adapters/push/step-consumer.ts';
import type { ExchangePort } from '../../core/exchange/exchange.port.ts';
import { MARKET_UNIQUE_KEYS } from '../../core/market/tables.ts';
import { ManualClock } from '../../core/ports/clock.ts';
import { inProcessExchange } from '../../core/sim/in-process-exchange.ts';
import { SimExchange } from '../../core/sim/sim-exchange.ts';
import type { StepEngine } from '../../core/steps/engine.ts';
import type { StepEvent, StepStore, StepTx } from '../../core/steps/step-store.port.ts';
import { STEP_SETS } from '../../core/steps/step.ts';
import { seedPaperTrading } from '../../core/trading/paper-seed.ts';
import { TRADING_UNIQUE_KEYS } from '../../core/trading/tables.ts';
import { importCredentialsKey } from '../../core/trading/credentials.ts';
import { serverlessEngines } from '../../edge/workers/steps-engine.ts';
import { stepsInFlight } from './engine-harness.ts';
import { startTradingHarness } from './trading-harness.ts';

const API_KEY = 'paper-key';
const SECRET = 'paper-secret';
const KEY = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));

interface Scenario {
  sim: SimExchange;
  clock: ManualClock;
  store: StepStore;
  queue: CloudflareQueuePort;
  engineFor(identity: string): StepEngine;
  /** Orders the exchange accepted, by client id (a second acceptance would be a double placement). */
  accepted: Map<string, number>;
  events: StepEvent[];
  results: string[];
  crash: { armedFor: string | null; fired: boolean };
}

let scenario: Scenario | null = null;

/** An exchange port that counts accepted orders and, once, arms the crash for the order's finish. */
function watched(port: ExchangePort, s: () => Scenario): ExchangePort {
  return new Proxy(port, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (name !== 'placeOrder' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (request: { newClientOrderId?: string }) => {
        const order = await (value as (r: unknown) => Promise<{ clientOrderId: string }>).call(target, request);
        const sc = s();
        sc.accepted.set(order.clientOrderId, (sc.accepted.get(order.clientOrderId) ?? 0) + 1);
        if (sc.crash.armedFor === '' && !sc.crash.fired) sc.crash.armedFor = order.clientOrderId;
        return order;
      };
    },
  });
}

/** A store whose transaction throws, once, when it records the armed order's exchange echo: the crash lands after the exchange accepted. */
function crashing(store: StepStore, s: () => Scenario): StepStore {
  const wrapTx = (tx: StepTx): StepTx => new Proxy(tx, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (name !== 'updateRows' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (table: string, where: Record<string, unknown>, set: Record<string, unknown>) => {
        const crash = s().crash;
        if (table === 'orders' && crash.armedFor && !crash.fired && where.client_order_id === crash.armedFor) {
          crash.fired = true;
          throw new Error(`injected crash: the finish of ${crash.armedFor} died after the exchange accepted it`);
        }
        return (value as (...a: unknown[]) => Promise<number>).call(target, table, where, set);
      };
    },
  });
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (name === 'transaction') return <T>(fn: (tx: StepTx) => Promise<T>, o?: unknown) => target.transaction((tx) => fn(wrapTx(tx)), o as never);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function memoryOpen(): Promise<Response> {
  const h = await startTradingHarness({ store: new MemoryStepStore({ uniqueKeys: { ...TRADING_UNIQUE_KEYS, ...MARKET_UNIQUE_KEYS } }), queue: new MemoryQueue(), cleanup: async () => {} }, { credentialsKey: KEY });
  try {
    await h.start('trading.open-positions');
    await h.settle();
    const steps = await h.steps();
    return Response.json({ positions: (await h.positions()).map((p) => ({ symbol: p.symbol, status: p.status })), steps: steps.length, failed: steps.filter((s) => s.state === 'failed').length });
  } finally {
    await h.close();
  }
}

async function setup(url: string, crash: boolean, env: { STEPS: QueueProducer }): Promise<Response> {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 12, 0, 0));
  const sim = new SimExchange({ clock, accounts: [{ apiKey: API_KEY, secret: SECRET, balance: '100000' }] });
  sim.freeze();
  const base = new PlanetScaleStepStore({ url });
  await base.detectConsecutiveIds();
  const s = () => scenario!;
  const store = crashing(base, s);
  const queue = new CloudflareQueuePort(() => env.STEPS);
  const events: StepEvent[] = [];
  const engineFor = await serverlessEngines({
    store, queue, clock, credentialsKey: KEY, selectTokens: false, deps: { allowance: undefined }, onEvents: (e) => events.push(...e),
    connect: (c) => watched(inProcessExchange(sim, { apiKey: c.apiKey, secret: c.apiSecret }, clock), s),
  });
  scenario = { sim, clock, store, queue, engineFor, accepted: new Map(), events, results: [], crash: { armedFor: crash ? '' : null, fired: false } };
  const exchange = inProcessExchange(sim, { apiKey: API_KEY, secret: SECRET }, clock);
  await seedPaperTrading(store, exchange, {
    key: await importCredentialsKey(KEY), now: clock.now(), directions: { ETHUSDT: 'LONG' },
    account: { name: 'paper', apiKey: API_KEY, secret: SECRET, tradingEnabled: true },
  });
  await engineFor('test-producer').start([{ handler: 'trading.open-positions', args: {} }], { set: 'trading' });
  return Response.json({ ok: true });
}

async function status(): Promise<Response> {
  const s = scenario!;
  const due = (await Promise.all(STEP_SETS.map((set) => s.store.nextDueAt(set, s.clock.now())))).filter((t): t is number => t !== null);
  const steps = await s.store.listSteps('trading', { limit: 10_000 });
  return Response.json({
    inFlight: await stepsInFlight(s.store), nextDue: due.length ? Math.min(...due) : null, now: s.clock.now(),
    positions: (await s.store.findRows('positions', {}, { orderBy: 'id' })).map((p) => ({ symbol: p.symbol, status: p.status })),
    orders: (await s.store.findRows('orders', {}, { orderBy: 'id' })).map((o) => ({ clientOrderId: o.client_order_id, status: o.status })),
    accepted: Object.fromEntries(s.accepted), crashFired: s.crash.fired, events: s.events.map((e) => e.kind), results: s.results,
    steps: steps.length, failed: steps.filter((x) => x.state === 'failed').map((x) => `${x.handler}: ${x.errorMessage}`),
  });
}

async function advance(): Promise<Response> {
  const s = scenario!;
  const due = (await Promise.all(STEP_SETS.map((set) => s.store.nextDueAt(set, s.clock.now())))).filter((t): t is number => t !== null);
  if (due.length === 0) return Response.json({ advanced: 0 });
  const by = Math.max(1, Math.min(...due) - s.clock.now());
  s.sim.advance(by);
  await s.queue.tick('kraite-steps', s.clock.now(), 0);
  return Response.json({ advanced: by });
}

export default {
  async fetch(request: Request, env: { STEPS: QueueProducer }): Promise<Response> {
    const { pathname } = new URL(request.url);
    try {
      if (pathname === '/memory/open') return await memoryOpen();
      if (pathname === '/ps/setup') {
        const body = await request.json() as { url: string; crash?: boolean };
        return await setup(body.url, body.crash ?? false, env);
      }
      if (pathname === '/ps/status') return await status();
      if (pathname === '/ps/advance') return await advance();
      return new Response('not found', { status: 404 });
    } catch (error) {
      return new Response(String((error as Error).stack ?? error), { status: 500 });
    }
  },
  async queue(batch: MessageBatch): Promise<void> {
    const s = scenario!;
    await consumeStepBatch(batch, {
      engineFor: s.engineFor, retryDelaySeconds: () => 0,
      onResult: (r) => s.results.push(`${r.stepId ?? '-'}:${r.outcome}${r.error ? `:${String((r.error as Error).message).slice(0, 120)}` : ''}`),
    });
  },
};
