// The embedded fleet a backtest trades with: the in-process simulator (prices from candles), the
// in-memory step store and queue, the real trading and market handlers behind the regime's allowance,
// one engine on a manual clock, and the simulator's user frames bridged into `trading.user-data-frame`
// steps as the user-data daemon does. Nothing here knows it is a backtest except the clock.
import { createHmac } from 'node:crypto';
import { MemoryQueue } from '../../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../../core/adapters/memory/memory-step-store.ts';
import { DEFAULT_BASKET, localIndicatorProvider, marketHandlers, MARKET_LANES, regimeAllowance } from '../../core/market/index.ts';
import { MARKET_UNIQUE_KEYS } from '../../core/market/tables.ts';
import { ManualClock } from '../../core/ports/clock.ts';
import { seededRandom, sequentialIds } from '../../core/ports/ids.ts';
import type { Consumer } from '../../core/queue/queue.port.ts';
import { inProcessExchange } from '../../core/sim/in-process-exchange.ts';
import { SimExchange } from '../../core/sim/sim-exchange.ts';
import type { SimSymbolSpec } from '../../core/sim/symbols.ts';
import { tickGroup } from '../../core/steps/dispatcher.ts';
import { StepEngine } from '../../core/steps/engine.ts';
import { HandlerRegistry, type HandlerDefinition } from '../../core/steps/registry.ts';
import type { StepEvent, StepStore } from '../../core/steps/step-store.port.ts';
import type { QueuePort } from '../../core/queue/queue.port.ts';
import { STEP_SETS } from '../../core/steps/step.ts';
import type { DirectionSettings } from '../../core/trading/account.ts';
import { importCredentialsKey } from '../../core/trading/credentials.ts';
import { credentialDirectory } from '../../core/trading/exchange-directory.ts';
import { recordPaperMarks } from '../../core/trading/paper-market.ts';
import { seedPaperTrading } from '../../core/trading/paper-seed.ts';
import type { Direction } from '../../core/trading/statuses.ts';
import { TRADING_UNIQUE_KEYS } from '../../core/trading/tables.ts';
import { tradingHandlers } from '../../handlers/trading/index.ts';

// HMAC on node:crypto, synchronous: the signatures are the exchange protocol's, without Web Crypto's
// thread-pool round trip per request (the backtest's largest cost otherwise).
const hmac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('hex');
const SIGNING = {
  signerFor: (secret: string) => async (payload: string) => hmac(secret, payload),
  verifier: (secret: string, payload: string, signature: string) => hmac(secret, payload) === signature.toLowerCase(),
};

const ACCOUNT = { name: 'backtest', apiKey: 'backtest-key', secret: 'backtest-secret' };
/** Every lane the trading and market handlers use. */
export const FLEET_LANES = ['positions', 'orders', 'priority', 'user-data-stream', MARKET_LANES.cron, MARKET_LANES.indicators];

/** What a backtest fleet is built from. */
export interface BacktestFleetOptions {
  symbols: readonly SimSymbolSpec[];
  directions: Record<string, Direction>;
  settings: Record<Direction, DirectionSettings>;
  balance: string;
  seed: number;
  start: number;
  /** Funding rate charged at each 8-hourly funding time (the simulator's default 0.0001). */
  fundingRate?: string;
}

/** A running backtest fleet. */
export interface BacktestFleet {
  sim: SimExchange;
  clock: ManualClock;
  engine: StepEngine;
  store: StepStore;
  accountId: number;
  apiKey: string;
  events: StepEvent[];
  /** True when a simulator frame is waiting to become a step (something happened at the exchange). */
  pending(): boolean;
  /** Runs every step that can run now, until nothing moves. */
  settle(): Promise<void>;
  /** The earliest time a delayed step becomes due after now, or null. */
  nextDue(): Promise<number | null>;
  /** Writes the simulator's marks onto the symbols rows (the mark-price daemon's job). */
  recordMarks(): Promise<void>;
  close(): Promise<void>;
}

/** What runs the fleet's steps: an engine over the store and queue, and a way to wait until it is idle. */
export interface FleetDrive {
  store: StepStore;
  queue: QueuePort;
  /** Builds the engine over the registry (and starts whatever consumes its queues). */
  start(o: { handlers: HandlerDefinition<any>[]; clock: ManualClock; seed: number; onEvents: (events: StepEvent[]) => void }): StepEngine;
  /** Resolves once every step that can run at the clock's time has run. */
  idle(engine: StepEngine): Promise<void>;
  close(): Promise<void>;
}

/**
 * The backtest's drive: one consumer per lane on the in-process queue, chained siblings run in the
 * same slot, and the dispatcher ticked by hand until nothing moves (no timer, no daemon).
 */
export function directDrive(): FleetDrive {
  const store = new MemoryStepStore({ uniqueKeys: { ...TRADING_UNIQUE_KEYS, ...MARKET_UNIQUE_KEYS } });
  const queue = new MemoryQueue();
  let consumers: Consumer[] = [];
  const queueIdle = async () => {
    for (const lane of FLEET_LANES) {
      const c = await queue.counts(lane);
      if (c.waiting > 0 || c.active > 0) return false;
    }
    return true;
  };
  return {
    store, queue,
    start({ handlers, clock, seed, onEvents }) {
      const engine = new StepEngine({ store, queue, registry: new HandlerRegistry(handlers), clock, ids: sequentialIds(), random: seededRandom(seed), worker: 'backtest', chain: () => true, onEvents });
      consumers = FLEET_LANES.map((lane) => queue.consume(lane, 1, async (job) => {
        await engine.execute(job);
      }));
      return engine;
    },
    async idle(engine) {
      for (;;) {
        // Consumers run on microtasks and event-loop turns: give them turns until the queues are empty.
        while (!(await queueIdle())) await new Promise<void>((r) => setImmediate(r));
        let moved = 0;
        for (const set of STEP_SETS) {
          for (const g of await store.activeGroups(set)) {
            const r = await tickGroup(engine, set, g, { settleParents: true });
            moved += r.dispatched + r.settled;
          }
        }
        if (moved === 0 && (await queueIdle())) return;
      }
    },
    async close() {
      await Promise.all(consumers.map((c) => c.close(1_000)));
      await queue.close();
      await store.close();
    },
  };
}

/** Builds the fleet and seeds its account and symbols; `drive` runs its steps (default directDrive()). */
export async function startBacktestFleet(o: BacktestFleetOptions, drive: FleetDrive = directDrive()): Promise<BacktestFleet> {
  const clock = new ManualClock(o.start);
  const sim = new SimExchange({ clock, seed: o.seed, symbols: o.symbols, accounts: [{ apiKey: ACCOUNT.apiKey, secret: ACCOUNT.secret, balance: o.balance }] });
  sim.freeze();
  if (o.fundingRate !== undefined) for (const s of o.symbols) sim.setFundingRate(s.symbol, o.fundingRate);
  const { store } = drive;
  const key = await importCredentialsKey(btoa(String.fromCharCode(...new Uint8Array(32).map((_, i) => (o.seed * 31 + i) & 0xff))));
  const exchange = inProcessExchange(sim, { apiKey: ACCOUNT.apiKey, secret: ACCOUNT.secret }, clock, { signer: SIGNING.signerFor(ACCOUNT.secret), verifier: SIGNING.verifier });
  const basket = DEFAULT_BASKET.filter((s) => o.symbols.some((spec) => spec.symbol === s));
  const handlers: HandlerDefinition<any>[] = [
    ...tradingHandlers({
      exchanges: credentialDirectory(key, (c) => inProcessExchange(sim, { apiKey: c.apiKey, secret: c.apiSecret }, clock, { signer: SIGNING.signerFor(c.apiSecret), verifier: SIGNING.verifier })),
      allowance: regimeAllowance(store),
    }),
    ...marketHandlers({ exchange, indicators: localIndicatorProvider(store), basket }),
  ];
  const events: StepEvent[] = [];
  const engine = drive.start({ handlers, clock, seed: o.seed, onEvents: (e) => events.push(...e) });
  const accountId = await seedPaperTrading(store, exchange, {
    key, now: clock.now(), directions: o.directions, account: { ...ACCOUNT, tradingEnabled: true, settings: o.settings },
  });
  const frames: unknown[] = [];
  const unsubscribe = sim.subscribe((e) => {
    if (e.kind === 'user' && e.apiKey === ACCOUNT.apiKey) frames.push(e.frame);
  });

  return {
    sim, clock, engine, store, accountId, apiKey: ACCOUNT.apiKey, events,
    pending: () => frames.length > 0,
    async settle() {
      do {
        // Frames become steps in arrival order, one at a time, as the stream daemon enqueues them.
        for (let frame = frames.shift(); frame !== undefined; frame = frames.shift()) {
          await engine.start([{ handler: 'trading.user-data-frame', args: { accountId, eventId: null, frame } }], { set: 'trading' });
        }
        await drive.idle(engine);
      } while (frames.length > 0);
    },
    async nextDue() {
      const due = (await Promise.all(STEP_SETS.map((s) => store.nextDueAt(s, clock.now())))).filter((t): t is number => t !== null);
      return due.length ? Math.min(...due) : null;
    },
    async recordMarks() {
      await recordPaperMarks(store, exchange, clock.now());
    },
    async close() {
      unsubscribe();
      await drive.close();
    },
  };
}
