// Drives the real trading handlers through the real step engine against the in-process exchange
// simulator, on a shared manual clock. Frames the simulator publishes for the paper account are
// bridged into `trading.user-data-frame` steps (what the user-data daemon does over a socket).
// `settle` ticks the dispatcher until nothing moves, then jumps the clock to the next due step
// (retries, throttle waits, the 20 s second flat read) until the fleet is idle.
import { ManualClock } from '../../core/ports/clock.ts';
import { cryptoIds } from '../../core/ports/ids.ts';
import type { Consumer, QueuePort } from '../../core/queue/queue.port.ts';
import { inProcessExchange } from '../../core/sim/in-process-exchange.ts';
import { SimExchange, type SimExchangeOptions } from '../../core/sim/sim-exchange.ts';
import { StepEngine } from '../../core/steps/engine.ts';
import { HandlerRegistry } from '../../core/steps/registry.ts';
import type { StepEvent, StepStore } from '../../core/steps/step-store.port.ts';
import { STEP_SETS, type Step } from '../../core/steps/step.ts';
import type { DirectionSettings } from '../../core/trading/account.ts';
import { importCredentialsKey } from '../../core/trading/credentials.ts';
import { credentialDirectory } from '../../core/trading/exchange-directory.ts';
import { applyRowEffects } from '../../core/trading/apply-row-effects.ts';
import { recordMarkPrice } from '../../core/trading/exchange-symbol.ts';
import { toOrder, type OrderRow } from '../../core/trading/order.ts';
import { seedPaperTrading } from '../../core/trading/paper-seed.ts';
import { toPosition, type PositionRow } from '../../core/trading/position.ts';
import type { Direction } from '../../core/trading/statuses.ts';
import { tradingHandlers } from '../../handlers/trading/index.ts';
import { stepsInFlight, tickActiveGroups } from './engine-harness.ts';
import type { TradingDeps } from '../../handlers/trading/deps.ts';
import type { ExchangePort } from '../../core/exchange/exchange.port.ts';
import { DEFAULT_BASKET, localIndicatorProvider, marketHandlers, rankTokens, regimeAllowance } from '../../core/market/index.ts';

/** The lanes trading steps use. */
export const TRADING_LANES = ['positions', 'orders', 'priority', 'user-data-stream', 'cronjobs', 'indicators'];
const API_KEY = 'paper-key';
const SECRET = 'paper-secret';

/** Store and queue under test. */
export interface TradingParts {
  store: StepStore;
  queue: QueuePort;
  cleanup(): Promise<void>;
}

/** Options of a scenario. */
export interface TradingHarnessOptions {
  directions?: Record<string, Direction>;
  settings?: Partial<Record<Direction, Partial<DirectionSettings>>>;
  sim?: SimExchangeOptions;
  deps?: Partial<TradingDeps>;
  /** Bridge simulator frames into steps (default true); false leaves sync to the poll. */
  stream?: boolean;
  /** Register market intelligence: its handlers, the regime's open allowance and token selection. */
  market?: boolean;
  /** Called right before a handler runs: scenarios script the market between two steps. */
  beforeStep?: (handler: string, args: Record<string, unknown>, attempt: number) => void;
  /** The credentials key (32 bytes, base64) the account's key is encrypted with; default a random one. */
  credentialsKey?: string;
  /** A simulator built elsewhere (a journaled one) with the paper account, on `clock`; default a fresh one. */
  venue?: { sim: SimExchange; clock: ManualClock };
}

/** A running scenario. */
export interface TradingHarness {
  sim: SimExchange;
  clock: ManualClock;
  engine: StepEngine;
  store: StepStore;
  accountId: number;
  events: StepEvent[];
  exchange: ExchangePort;
  /** Starts a root block in the trading set. */
  start(handler: string, args?: Record<string, unknown>, lane?: string): Promise<void>;
  settle(options?: { maxAdvanceMs?: number; deadlineMs?: number }): Promise<void>;
  /** Stores the simulator's current mark prices, as the mark-price daemon does. */
  recordMarks(): Promise<void>;
  positions(): Promise<PositionRow[]>;
  orders(positionId?: number): Promise<OrderRow[]>;
  steps(): Promise<Step[]>;
  close(): Promise<void>;
}

/** Builds a scenario over `parts`. */
export async function startTradingHarness(parts: TradingParts, options: TradingHarnessOptions = {}): Promise<TradingHarness> {
  const clock = options.venue?.clock ?? new ManualClock(Date.UTC(2026, 0, 5, 12, 0, 0));
  const sim = options.venue?.sim ?? new SimExchange({ clock, ...options.sim, accounts: [{ apiKey: API_KEY, secret: SECRET, balance: '100000' }] });
  sim.freeze();
  const key = await importCredentialsKey(options.credentialsKey ?? btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))));
  const deps: TradingDeps = {
    exchanges: credentialDirectory(key, (c) => inProcessExchange(sim, { apiKey: c.apiKey, secret: c.apiSecret }, clock)),
    ...options.deps,
  };
  const exchange = inProcessExchange(sim, { apiKey: API_KEY, secret: SECRET }, clock);
  const market = options.market
    ? marketHandlers({ exchange, indicators: localIndicatorProvider(parts.store), basket: [...DEFAULT_BASKET] })
    : [];
  if (options.market) {
    deps.allowance = regimeAllowance(parts.store);
    deps.ranking = async (rows, q) => (await rankTokens(rows, q)).map((p) => p.symbol);
  }
  const accountId = await seedPaperTrading(parts.store, exchange, {
    key, now: clock.now(), directions: options.directions ?? { ETHUSDT: 'LONG' },
    account: { name: 'paper', apiKey: API_KEY, secret: SECRET, tradingEnabled: true, settings: options.settings },
  });
  const events: StepEvent[] = [];
  const engine = new StepEngine({
    store: parts.store, queue: parts.queue, registry: new HandlerRegistry([...tradingHandlers(deps), ...market]), clock, ids: cryptoIds,
    worker: 'scenario', onEvents: (e) => events.push(...e), chain: (lane) => TRADING_LANES.includes(lane),
    context: (job, base) => {
      options.beforeStep?.(job.handler, job.args as Record<string, unknown>, job.attempt);
      return base;
    },
  });
  const consumers: Consumer[] = TRADING_LANES.map((lane) => parts.queue.consume(lane, 4, async (job) => {
    await engine.execute(job);
  }));
  const bridged: Promise<unknown>[] = [];
  const unsubscribe = options.stream === false ? () => {} : sim.subscribe((e) => {
    if (e.kind !== 'user' || e.apiKey !== API_KEY) return;
    bridged.push(engine.start([{ handler: 'trading.user-data-frame', args: { accountId, eventId: null, frame: e.frame } }], { set: 'trading' }));
  });

  return {
    sim, clock, engine, store: parts.store, accountId, events, exchange,
    async start(handler, args = {}, lane) {
      await engine.start([{ handler, args, ...(lane ? { lane } : {}) }], { set: handler.startsWith('market.') ? 'default' : 'trading' });
    },
    async settle({ maxAdvanceMs = 120_000, deadlineMs = 30_000 } = {}) {
      const deadline = Date.now() + deadlineMs;
      const limit = clock.now() + maxAdvanceMs;
      for (;;) {
        await Promise.all(bridged.splice(0));
        const moved = await tickActiveGroups(engine, parts.store);
        if (moved === 0 && bridged.length === 0 && !(await stepsInFlight(parts.store))) {
          const due = (await Promise.all(STEP_SETS.map((s) => parts.store.nextDueAt(s, clock.now())))).filter((t): t is number => t !== null);
          const next = due.length ? Math.min(...due) : null;
          if (next === null || next > limit) return;
          sim.advance(Math.max(1, next - clock.now()));
          continue;
        }
        if (Date.now() > deadline) throw new Error('trading scenario did not settle before the deadline');
        await new Promise((r) => setTimeout(r, 1));
      }
    },
    async recordMarks() {
      const marks = await exchange.getMarkPrices();
      await parts.store.transaction((tx) => applyRowEffects(tx, marks.map((m) => ({ ...recordMarkPrice(m.symbol, m.markPrice, clock.now()), required: false }))));
    },
    async positions() {
      return (await parts.store.findRows('positions', {}, { orderBy: 'id' })).map(toPosition);
    },
    async orders(positionId) {
      return (await parts.store.findRows('orders', positionId === undefined ? {} : { position_id: positionId }, { orderBy: 'id' })).map(toOrder);
    },
    async steps() {
      return parts.store.listSteps('trading', { limit: 10_000 });
    },
    async close() {
      unsubscribe();
      await Promise.all(consumers.map((c) => c.close(5_000)));
      await parts.cleanup();
    },
  };
}
