// The simulator's engine: one object holding markets, accounts, the price path, listen keys, limits
// and faults, with control methods for tests (setMark, advance, faults…) and `call` for running an
// endpoint in-process. No I/O: the HTTP/WS face in edge/sim wraps it.
import { systemClock, type Clock } from '../ports/clock.ts';
import { SimAccount, type SimAccountOptions } from './accounts.ts';
import { trigger as fireAlgo, checkTriggers } from './algo-service.ts';
import { dec, type Dec } from './decimal.ts';
import { FaultPlan } from './faults.ts';
import { settleFunding } from './funding.ts';
import { backfillHistory, type HistoryBackfillOptions } from './history-backfill.ts';
import { ListenKeys } from './listen-keys.ts';
import { SimMarket } from './market.ts';
import { markPriceFrames } from './market-data.ts';
import { expireGoodTillDate, fillResting, matchResting } from './matching-engine.ts';
import { isOpen } from './orders.ts';
import type { Params } from './params.ts';
import { applyEvent, PricePath, type ScenarioEvent } from './price-path.ts';
import { DEFAULT_RATE_LIMITS, IpWeightMeter, OrderCounter, type RateLimitOptions } from './rate-limits.ts';
import { findRoute, type SimRoute } from './routes.ts';
import type { SimInput, SimOp } from './sim-input.ts';
import { errors } from './sim-error.ts';
import { DEFAULT_BEHAVIOUR, SimState, type SimBehaviour } from './sim-state.ts';
import { DEFAULT_SYMBOLS, type SimSymbolSpec } from './symbols.ts';
import type { Frame, SimEvent } from './user-events.ts';

/** How to build a simulator engine. */
export interface SimExchangeOptions {
  /** Time source (default: the system clock). A clock with `advance(ms)` is moved by `advance`. */
  clock?: Clock;
  /** Seed of the random walks and listen keys (default 1). */
  seed?: number;
  /** Listed contracts (default DEFAULT_SYMBOLS). */
  symbols?: readonly SimSymbolSpec[];
  accounts?: readonly SimAccountOptions[];
  rateLimits?: Partial<RateLimitOptions>;
  behaviour?: Partial<SimBehaviour>;
  /** Market time one random-walk step stands for (default 1000 ms). */
  stepMs?: number;
  /** A deterministic past for klines (default none: candles before the start are flat). */
  history?: HistoryBackfillOptions;
  /** Told every input that can change the state, before it runs (a journal replays them: sim-input.ts). */
  recorder?: (input: SimInput) => void;
}

type AdvancableClock = Clock & { advance?: (ms: number) => void };

/** The exchange simulator's engine. */
export class SimExchange {
  readonly state: SimState;
  readonly faults: FaultPlan;
  readonly listenKeys: ListenKeys;
  readonly limits: RateLimitOptions;
  readonly weights: IpWeightMeter;
  readonly orderCounts: OrderCounter;
  readonly path: PricePath;
  readonly stepMs: number;
  private carryMs = 0;
  private readonly recorder: ((input: SimInput) => void) | null;
  /** Inputs running now: only the outermost is recorded (setMark runs setPrices inside). */
  private depth = 0;

  constructor(options: SimExchangeOptions = {}) {
    const clock = options.clock ?? systemClock;
    const seed = options.seed ?? 1;
    this.state = new SimState(clock, { ...DEFAULT_BEHAVIOUR, ...options.behaviour });
    for (const spec of options.symbols ?? DEFAULT_SYMBOLS) this.state.markets.set(spec.symbol, new SimMarket(spec));
    for (const account of options.accounts ?? []) this.addAccount(account);
    this.faults = new FaultPlan(this.state);
    this.listenKeys = new ListenKeys(this.state, seed);
    this.limits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
    this.weights = new IpWeightMeter(clock, this.limits);
    this.orderCounts = new OrderCounter(clock, this.limits);
    this.path = new PricePath(seed);
    this.stepMs = options.stepMs ?? 1000;
    this.recorder = options.recorder ?? null;
    if (options.history) backfillHistory(this.state.marketList(), clock.now(), seed, options.history);
  }

  /** Server time (clock plus injected skew). */
  now(): number {
    return this.state.now();
  }

  /** Opens an account; its API key must be new. */
  addAccount(options: SimAccountOptions): SimAccount {
    return this.input('addAccount', [options], () => {
      if (this.state.accounts.has(options.apiKey)) throw new Error(`account ${options.apiKey} already exists`);
      const account = new SimAccount(options, this.state.now());
      this.state.accounts.set(account.apiKey, account);
      return account;
    });
  }

  /** The account with this API key. */
  account(apiKey: string): SimAccount | undefined {
    return this.state.accounts.get(apiKey);
  }

  /** The market of a symbol (throws -1121 when unknown). */
  market(symbol: string): SimMarket {
    return this.state.market(symbol);
  }

  /** Sets mark and last price together, then fills crossed orders and fires met triggers. */
  setMark(symbol: string, price: string): void {
    this.setPrices(symbol, { mark: price, last: price });
  }

  /** Sets mark and/or last price separately (MARK_PRICE vs CONTRACT_PRICE triggers). */
  setPrices(symbol: string, prices: { mark?: string; last?: string }): void {
    this.input('setPrices', [symbol, prices], () => {
      const m = this.state.market(symbol);
      this.apply(m, applyEvent(m, { step: 0, symbol, mark: prices.mark, last: prices.last }, m.mark, m.last));
    });
  }

  /** Moves mark and last by `percent` (e.g. -5). */
  movePercent(symbol: string, percent: string | number): void {
    this.input('movePercent', [symbol, percent], () => {
      const m = this.state.market(symbol);
      this.apply(m, applyEvent(m, { step: 0, symbol, movePercent: percent }, m.mark, m.last));
    });
  }

  /** Sets a symbol's funding rate (premiumIndex lastFundingRate), e.g. "-0.0003": longs receive a negative rate. */
  setFundingRate(symbol: string, rate: string): void {
    this.input('setFundingRate', [symbol, rate], () => {
      this.state.market(symbol).fundingRate = dec(rate);
    });
  }

  /** The funding rate premiumIndex reports for a symbol. */
  premiumIndexRate(symbol: string): string {
    return (this.call('GET', '/fapi/v1/premiumIndex', { symbol }) as { lastFundingRate: string }).lastFundingRate;
  }

  /** Liquidity per price level for takers and per update for resting orders (null = unlimited). */
  setDepth(symbol: string, qty: string | null): void {
    this.input('setDepth', [symbol, qty], () => {
      this.state.market(symbol).depth = qty === null ? null : dec(qty);
    });
  }

  /** Adds scripted price events; `step` counts path steps from the start (see `path.stepIndex`). */
  script(events: readonly ScenarioEvent[]): void {
    this.input('script', [events], () => {
      this.path.addScript(events);
    });
  }

  /** Queues stored prices (e.g. kline closes) to replay one per step. */
  replay(symbol: string, prices: readonly string[]): void {
    this.input('replay', [symbol, prices], () => {
      this.path.replay(symbol, prices);
    });
  }

  /** Stops the random walk of one symbol or all (scripts, replays and setMark still move prices). */
  freeze(symbol?: string, frozen = true): void {
    this.input('freeze', [symbol ?? null, frozen], () => {
      for (const m of symbol ? [this.state.market(symbol)] : this.state.marketList()) this.path.freeze(m.symbol, frozen);
    });
  }

  /** Takes `n` price-path steps without moving the clock (funding due by the clock's time is charged first). */
  step(n = 1): void {
    this.input('step', [n], () => {
      // A live clock moves on its own (the paper venue steps once a second): funding follows it.
      settleFunding(this.state);
      for (let i = 0; i < n; i++) {
        const markets = this.state.marketList();
        for (const move of this.path.step(markets)) this.apply(this.state.market(move.symbol), move);
      }
    });
  }

  /** Lets `ms` of market time pass: moves a manual clock, walks one step per `stepMs`, then `tick()`. */
  advance(ms: number): void {
    const clock = this.state.clock as AdvancableClock;
    let left = ms;
    while (left > 0) {
      const d = Math.min(left, this.stepMs - this.carryMs);
      clock.advance?.(d);
      // Funding is charged at the mark of its own moment, not at the end of a long jump.
      settleFunding(this.state);
      this.carryMs += d;
      left -= d;
      if (this.carryMs >= this.stepMs) {
        this.carryMs = 0;
        this.step();
      }
    }
    this.tick();
  }

  /** Time-based housekeeping at the clock's current time: funding, listen-key and GTD expiry. */
  tick(): void {
    this.input('tick', [], () => {
      settleFunding(this.state);
      this.listenKeys.expire();
      expireGoodTillDate(this.state);
    });
  }

  /** Fills a resting order now at its own price (`qty` default: all that remains), as if the market traded there. */
  fill(apiKey: string, symbol: string, ref: { orderId?: number; clientOrderId?: string }, qty?: string): void {
    this.input('fill', [apiKey, symbol, ref, qty ?? null], () => {
      const account = this.requireAccount(apiKey);
      const order = account.findOrder(symbol, ref);
      if (!order || !isOpen(order)) throw errors.noSuchOrder();
      fillResting(this.state, account, this.state.market(symbol), order, qty ? dec(qty) : undefined);
    });
  }

  /** Fires a waiting algo order now, whatever the price (scenario shortcut). */
  triggerAlgo(apiKey: string, ref: { algoId?: number; clientAlgoId?: string }): void {
    this.input('triggerAlgo', [apiKey, ref], () => {
      const account = this.requireAccount(apiKey);
      const algo = account.findAlgo(ref);
      if (!algo || algo.status !== 'NEW') throw errors.unknownOrder();
      fireAlgo(this.state, account, algo);
    });
  }

  /** Subscribes to engine events (user frames, listen-key expiry, connection drops). */
  subscribe(listener: (event: SimEvent) => void): () => void {
    return this.state.subscribe(listener);
  }

  /** The current `!markPrice@arr` frame. */
  markPriceFrames(): Frame[] {
    return markPriceFrames(this.state);
  }

  /** Runs an endpoint in-process with parsed params: no auth, weights or faults. Throws SimError. */
  call(method: string, path: string, params: Params = {}, apiKey?: string): unknown {
    const route = findRoute(method, path);
    if (!route) throw new Error(`no such endpoint: ${method} ${path}`);
    const account = apiKey === undefined ? undefined : this.state.accounts.get(apiKey);
    if (route.security !== 'NONE' && !account) throw errors.invalidApiKey();
    return this.runRoute(route, account, params);
  }

  /** Runs a route's handler (the gateway after its checks, or `call`); one that can change state is an input. */
  runRoute(route: SimRoute, account: SimAccount | undefined, params: Params): unknown {
    const run = () => route.handle({ state: this.state, account: account!, params, listenKeys: this.listenKeys, limits: this.limits, orderCounts: this.orderCounts });
    if (route.method === 'GET') return run();
    return this.input('route', [route.method, route.path, params, account?.apiKey ?? null], run);
  }

  /** Runs a recorded input again at its recorded time (a journal's replay); returns false when it threw, as it did live. */
  replayInput(input: SimInput): boolean {
    this.state.pinnedAt = input.at;
    this.depth += 1;
    try {
      const [op, args] = [input.op, input.args as never[]];
      if (op === 'route') {
        const [method, path, params, apiKey] = input.args as [string, string, Params, string | null];
        const route = findRoute(method, path);
        if (!route) throw new Error(`no such endpoint: ${method} ${path}`);
        this.runRoute(route, apiKey === null ? undefined : this.state.accounts.get(apiKey), params);
      } else if (op === 'fill') {
        const [apiKey, symbol, ref, qty] = input.args as [string, string, { orderId?: number; clientOrderId?: string }, string | null];
        this.fill(apiKey, symbol, ref, qty ?? undefined);
      } else if (op === 'freeze') {
        const [symbol, frozen] = input.args as [string | null, boolean];
        this.freeze(symbol ?? undefined, frozen);
      } else {
        (this[op] as (...a: never[]) => unknown)(...args);
      }
      return true;
    } catch {
      return false;
    } finally {
      this.depth -= 1;
      this.state.pinnedAt = null;
    }
  }

  /** Records an outermost input, then runs it with the clock pinned to its time. */
  private input<T>(op: SimOp, args: unknown[], run: () => T): T {
    if (this.depth > 0) return run();
    const at = this.state.time();
    this.recorder?.({ op, at, args });
    this.state.pinnedAt = at;
    this.depth += 1;
    try {
      return run();
    } finally {
      this.depth -= 1;
      this.state.pinnedAt = null;
    }
  }

  private requireAccount(apiKey: string): SimAccount {
    const account = this.state.accounts.get(apiKey);
    if (!account) throw errors.invalidApiKey();
    return account;
  }

  // A price change: record it, fill crossed resting orders, then fire triggers (a gap fills the
  // DCA rungs it passes before the stop fires, as the book would).
  private apply(market: SimMarket, prices: { mark: Dec; last: Dec }): void {
    market.mark = prices.mark;
    market.last = prices.last;
    market.history.push([this.state.now(), prices.last]);
    // Trimmed in batches: a splice per price once full shifted 20,000 entries every step.
    if (market.history.length > 25_000) market.history.splice(0, market.history.length - 20_000);
    matchResting(this.state, market);
    checkTriggers(this.state, market);
  }
}
