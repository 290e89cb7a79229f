// The market handlers through the real step engine (in-memory store and queue) against the
// in-process exchange simulator, on one manual clock: symbol refresh, klines, direction
// conclusion (local provider and a scripted one), the regime score, the cooldown and the boundary.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../core/adapters/memory/memory-step-store.ts';
import { ThrottledError } from '../core/errors.ts';
import {
  concludeDirection, evaluateTimeframe, lastClosedOpenTime, localIndicatorProvider, MARKET_TABLES, MARKET_UNIQUE_KEYS, marketHandlers,
  newOverride, overrideInsert, rankTokens, readRegimeState, regimeAllowance, type IndicatorProvider, type MarketDeps, type RawReadouts, type Timeframe,
} from '../core/market/index.ts';
import { ManualClock } from '../core/ports/clock.ts';
import { sequentialIds } from '../core/ports/ids.ts';
import type { Consumer } from '../core/queue/queue.port.ts';
import { inProcessExchange } from '../core/sim/in-process-exchange.ts';
import { SimExchange } from '../core/sim/sim-exchange.ts';
import { DEFAULT_SYMBOLS } from '../core/sim/symbols.ts';
import { tickGroup } from '../core/steps/dispatcher.ts';
import { StepEngine } from '../core/steps/engine.ts';
import { HandlerRegistry } from '../core/steps/registry.ts';
import { STEP_SETS } from '../core/steps/step.ts';
import {
  applyRowEffects, getAccount, getSymbol, insertAccount, insertPosition, movePosition, recordMarkPrice, setSymbolFlags, TABLES, TRADING_UNIQUE_KEYS,
} from '../core/trading/index.ts';
import { sampleAccount } from '../core/trading/fixtures.ts';
import type { AllowanceSource } from '../handlers/trading/deps.ts';

const HOUR = 3_600_000;
const SYMBOLS = DEFAULT_SYMBOLS.slice(0, 5);
const BASKET = SYMBOLS.map((s) => s.symbol);
const silentLog = { debug() {}, info() {}, warn() {}, error() {}, child() { return silentLog; } };

interface World {
  clock: ManualClock;
  sim: SimExchange;
  store: MemoryStepStore;
  engine: StepEngine;
  run(handler: string, args?: Record<string, unknown>): Promise<void>;
  settle(): Promise<void>;
  close(): Promise<void>;
}

async function world(provider?: (store: MemoryStepStore) => IndicatorProvider, hours = 31 * 24): Promise<World> {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const sim = new SimExchange({ clock, seed: 11, stepMs: 300_000, symbols: SYMBOLS, accounts: [{ apiKey: 'k', secret: 's', balance: '1000' }] });
  sim.advance(hours * HOUR + 30 * 60_000); // to hh:30
  const store = new MemoryStepStore({ uniqueKeys: { ...TRADING_UNIQUE_KEYS, ...MARKET_UNIQUE_KEYS } });
  const queue = new MemoryQueue({ now: () => clock.now(), logger: silentLog });
  const deps: MarketDeps = {
    exchange: inProcessExchange(sim, { apiKey: 'k', secret: 's' }, clock),
    indicators: provider ? provider(store) : localIndicatorProvider(store), basket: BASKET,
  };
  const engine = new StepEngine({ store, queue, clock, ids: sequentialIds(), registry: new HandlerRegistry(marketHandlers(deps)), worker: 'tyche' });
  const consumers: Consumer[] = ['cronjobs', 'indicators'].map((lane) => queue.consume(lane, 3, async (job) => { await engine.execute(job); }));
  // Due pending steps count too: a block spawned while the tick ran is dispatched by the next tick.
  const inFlight = async () => (await store.listSteps('default', { state: ['pending', 'dispatched', 'running'], limit: 1000 }))
    .some((s) => (s.state === 'pending' ? s.dispatchAfter <= clock.now() : s.state === 'dispatched' || s.childBlockUuid === null));
  const settle = async () => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      let moved = 0;
      for (const set of STEP_SETS) for (const g of await store.activeGroups(set)) {
        const r = await tickGroup(engine, set, g, { settleParents: true });
        moved += r.dispatched + r.settled;
      }
      if (moved === 0 && !(await inFlight())) return;
      if (Date.now() > deadline) throw new Error('did not settle');
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  return {
    clock, sim, store, engine, settle,
    async run(handler, args = {}) {
      await engine.start([{ handler, args }]);
      await settle();
    },
    async close() {
      await Promise.all(consumers.map((c) => c.close(1_000)));
    },
  };
}

const steps = (w: World) => w.store.listSteps('default', { limit: 10_000 });
const count = async (w: World, table: string, where = {}) => (await w.store.findRows(table, where)).length;
const approve = (w: World, symbols: string[]) =>
  w.store.transaction((tx) => applyRowEffects(tx, symbols.map((s) => setSymbolFlags(s, { isEligible: true }, w.clock.now()))));

describe('market data steps', () => {
  let w: World;
  beforeEach(async () => {
    w = await world(undefined, 3 * 24);
  });
  afterEach(async () => {
    await w.close();
  });

  it('refreshes symbols and filters, leverage brackets only when asked', async () => {
    await w.run('market.symbols.refresh');
    const btc = (await getSymbol(w.store, 'BTCUSDT'))!;
    expect(btc).toMatchObject({ tickSize: '0.1', stepSize: '0.001', isEligible: false, direction: null, leverageBrackets: null });
    expect(await count(w, TABLES.symbols)).toBe(5);
    await approve(w, ['BTCUSDT']);
    await w.run('market.symbols.refresh', { brackets: true });
    const again = (await getSymbol(w.store, 'BTCUSDT'))!;
    expect(again.isEligible).toBe(true); // the refresh leaves the operator's switch alone
    expect(again.leverageBrackets?.[0]).toMatchObject({ bracket: 1, initialLeverage: expect.any(Number) });
    expect((await steps(w)).every((s) => s.state === 'completed' && s.lane === 'cronjobs')).toBe(true);
  });

  it('fetches closed klines per followed symbol, idempotently and only what is missing', async () => {
    await w.run('market.symbols.refresh');
    await w.run('market.klines.schedule', { interval: '1h' });
    const btc = await w.store.findRows(MARKET_TABLES.klines, { symbol: 'BTCUSDT', timeframe: '1h' }, { orderBy: 'open_time' });
    // 750 requested; the newest is still forming, so 749 closed ones are stored.
    expect(btc.length).toBe(749);
    expect(btc.at(-1)!.open_time).toBe(lastClosedOpenTime('1h', w.clock.now()));
    expect(await count(w, MARKET_TABLES.klines)).toBe(5 * 749);
    // Within the same hour nothing new; an hour later exactly one candle per symbol.
    await w.run('market.klines.schedule', { interval: '1h' });
    expect(await count(w, MARKET_TABLES.klines)).toBe(5 * 749);
    w.sim.advance(HOUR);
    await w.run('market.klines.schedule', { interval: '1h' });
    expect(await count(w, MARKET_TABLES.klines)).toBe(5 * 750);
    const fetches = (await steps(w)).filter((s) => s.handler === 'market.klines.fetch');
    expect(fetches).toHaveLength(15);
    expect(fetches.every((s) => s.state === 'completed')).toBe(true);
  });

  it('fetches the 15m basket', async () => {
    await w.run('market.klines.schedule', { interval: '15m' });
    // 96 requested, the forming one left out.
    expect(await count(w, MARKET_TABLES.klines, { timeframe: '15m', symbol: 'ETHUSDT' })).toBe(95);
  });
});

/** A provider answering scripted readouts, throttling the first `throttles` calls. */
function scripted(readouts: (symbol: string, tf: Timeframe, now: number) => RawReadouts, throttles = 0): () => IndicatorProvider {
  let calls = 0;
  return () => ({
    name: 'scripted',
    async readouts(symbol, tf, now) {
      if (calls++ < throttles) throw new ThrottledError(250, 'TAAPI budget: next slot in 250 ms');
      return readouts(symbol, tf, now);
    },
  });
}

const longAt = (tf: Timeframe, now: number): RawReadouts => ({
  candle: { openTime: lastClosedOpenTime(tf, now), close: 110 }, previousClose: 100, emaFast: [105, 104], emaMid: [103, 102],
  emaSlow: [101, 100], chop: 40, pivot: { p: 100, r1: 120, s1: 80 },
});

describe('direction conclusion steps', () => {
  let w: World;
  afterEach(async () => {
    await w.close();
  });

  it('concludes from the local provider exactly as the pure rules say, and stores every readout', async () => {
    w = await world();
    await w.run('market.symbols.refresh');
    for (const interval of ['1h', '4h', '1d']) await w.run('market.klines.schedule', { interval });
    await w.run('market.directions.schedule');
    const provider = localIndicatorProvider(w.store);
    for (const symbol of BASKET) {
      const expected = await concludeDirection(null, async (tf) => evaluateTimeframe(tf, await provider.readouts(symbol, tf, w.clock.now()), w.clock.now()));
      expect((await getSymbol(w.store, symbol))!.direction).toBe(expected.direction);
      const [conclusion] = await w.store.findRows(MARKET_TABLES.conclusions, { symbol });
      expect(conclusion).toMatchObject({ provider: 'local', direction: expected.direction, reason: expected.reason });
      expect(await count(w, MARKET_TABLES.readouts, { conclusion_uuid: conclusion!.uuid })).toBe(expected.verdicts.length);
    }
    const concludes = (await steps(w)).filter((s) => s.handler === 'market.direction.conclude');
    expect(concludes.map((s) => [s.lane, s.state])).toEqual(BASKET.map(() => ['indicators', 'completed']));
    // Four chains: at most four steps ever contend for the provider's budget.
    expect(new Set(concludes.map((s) => s.blockUuid)).size).toBe(4);
    // Scheduling again within the hour starts no second set of chains.
    await w.run('market.directions.schedule');
    expect((await steps(w)).filter((s) => s.handler === 'market.direction.conclude')).toHaveLength(BASKET.length);
  });

  it('sets a direction, notifies it, and a throttled provider reschedules without spending attempts', async () => {
    w = await world(scripted((_s, tf, now) => longAt(tf, now), 2), 24);
    await w.run('market.symbols.refresh');
    await w.engine.start([{ handler: 'market.direction.conclude', args: { symbol: 'ETHUSDT' } }]);
    await w.settle();
    let [step] = (await steps(w)).filter((s) => s.handler === 'market.direction.conclude');
    expect([step!.state, step!.attempts, step!.isThrottled]).toEqual(['pending', 0, true]);
    w.clock.advance(250);
    await w.settle();
    w.clock.advance(250);
    await w.settle();
    [step] = (await steps(w)).filter((s) => s.handler === 'market.direction.conclude');
    expect([step!.state, step!.attempts]).toEqual(['completed', 1]);
    expect((await getSymbol(w.store, 'ETHUSDT'))!.direction).toBe('LONG');
    const events = await w.store.listEvents({ limit: 100 });
    expect(events.filter((e) => e.subject === 'direction').map((e) => e.message)).toEqual(['ETHUSDT: none → LONG (1h conclusive LONG)']);
  });

  it('skips a symbol whose provider fails on the last attempt, so its chain goes on', async () => {
    w = await world(scripted(() => {
      throw new Error('TAAPI 400: unknown symbol');
    }), 24);
    await w.run('market.symbols.refresh');
    await w.engine.start([
      { handler: 'market.direction.conclude', args: { symbol: 'ETHUSDT' }, maxAttempts: 1, index: 0 },
      { handler: 'market.direction.conclude', args: { symbol: 'SOLUSDT' }, maxAttempts: 1, index: 1 },
    ]);
    await w.settle();
    const concludes = (await steps(w)).filter((s) => s.handler === 'market.direction.conclude');
    expect(concludes.map((s) => s.state)).toEqual(['skipped', 'skipped']);
  });

  it('clears the direction silently when the provider candle is stale', async () => {
    w = await world(scripted((_s, tf, now) => ({ ...longAt(tf, now), candle: { openTime: lastClosedOpenTime(tf, now) - 3 * HOUR, close: 110 } })), 24);
    await w.run('market.symbols.refresh');
    await w.store.transaction((tx) => applyRowEffects(tx, [setSymbolFlags('ETHUSDT', { direction: 'SHORT' }, w.clock.now())]));
    await w.run('market.direction.conclude', { symbol: 'ETHUSDT' });
    expect((await getSymbol(w.store, 'ETHUSDT'))!.direction).toBeNull();
    expect((await w.store.listEvents({ limit: 100 })).filter((e) => e.subject === 'direction')).toEqual([]);
    const [c] = await w.store.findRows(MARKET_TABLES.conclusions, { symbol: 'ETHUSDT' });
    expect(c).toMatchObject({ direction: null, previous_direction: 'SHORT', changed: 1 });
    expect(String(c!.reason)).toContain('provider candle old');
  });
});

describe('regime steps and the decision boundary', () => {
  let w: World;
  afterEach(async () => {
    await w.close();
  });

  async function primed(): Promise<World> {
    const x = await world();
    await x.run('market.symbols.refresh');
    await approve(x, BASKET);
    await x.run('market.klines.schedule', { interval: '1h' });
    return x;
  }
  const slots = { settings: { LONG: { slots: 4 }, SHORT: { slots: 2 } } } as Parameters<ReturnType<typeof regimeAllowance>>[0];

  it('ranks eligible symbols from stored klines: fast-track first, then BTC-bias scoring with the sign filter', async () => {
    w = await primed();
    const now = w.clock.now();
    const others = BASKET.filter((s) => s !== 'BTCUSDT');
    await w.store.transaction((tx) => applyRowEffects(tx, [
      setSymbolFlags('BTCUSDT', { direction: 'LONG' }, now),
      ...others.map((s) => setSymbolFlags(s, { direction: 'LONG' }, now)),
      ...others.filter((s) => s !== 'XRPUSDT').map((s) => recordMarkPrice(s, '1', now)),
      insertAccount(sampleAccount('alice'), now),
    ]));
    const [account] = await w.store.findRows(TABLES.accounts, {});
    const accountId = Number(account!.id);
    // A profitable clean close of BNB an hour ago fast-tracks it.
    const alice = (await getAccount(w.store, accountId))!;
    await w.store.transaction((tx) => applyRowEffects(tx, [insertPosition({ uuid: 'p-bnb', account: alice, symbol: 'BNBUSDT', direction: 'LONG' }, now - 2 * HOUR)]));
    const [p] = await w.store.findRows(TABLES.positions, {});
    const id = Number(p!.id);
    const at = now - HOUR;
    await w.store.transaction((tx) => applyRowEffects(tx, [
      movePosition(id, 'new', 'opening', { at }), movePosition(id, 'opening', 'active', { at }), movePosition(id, 'active', 'closing', { at }),
      movePosition(id, 'closing', 'closed', { at, set: { pnl: '12.5' } }),
    ]));
    const picks = await rankTokens(w.store, { accountId, direction: 'LONG', count: 5, exclude: ['SOLUSDT'], now });
    expect(picks[0]).toMatchObject({ symbol: 'BNBUSDT', priority: 'fast-track' });
    // XRP has no fresh mark price, SOL is held: neither is picked; the rest are scored under BTC bias.
    expect(picks.map((x) => x.symbol).sort()).toEqual(['BNBUSDT', 'ETHUSDT']);
    expect(picks[1]).toMatchObject({ symbol: 'ETHUSDT', priority: 'btc-bias' });
    expect(picks[1]!.score!.score).toBeGreaterThan(0);
  });

  it('scores a quiet market Calm, stores every sub-signal, and lets accounts open in full', async () => {
    w = await primed();
    await w.run('market.regime.compute');
    const state = await readRegimeState(w.store, w.clock.now());
    expect(state.snapshot).toMatchObject({ band: 'Calm', computedAt: w.clock.now() });
    expect(state.snapshot!.signals.map((s) => s.name)).toEqual(['btc_drawdown', 'btc_volatility', 'breadth_falling', 'downside_correlation', 'btc_dislocation']);
    expect(state.snapshot!.signals.every((s) => s.reading !== null)).toBe(true);
    const source: AllowanceSource = regimeAllowance(w.store); // the trading open flow's port
    const a = await source(slots as never, w.clock.now());
    expect(a).toMatchObject({ allowed: true, band: 'Calm', maxPerDirection: { LONG: 4, SHORT: 2 }, leverageFactor: 1 });
    // A retry within the same hour writes no second snapshot.
    await w.run('market.regime.compute');
    expect(await count(w, MARKET_TABLES.snapshots)).toBe(1);
  });

  it('a crash scores Critical, arms the cooldown, an override beats it, and stale data fails open', async () => {
    w = await primed();
    // Two hours of a crash across the basket.
    for (const pct of [-9, -9]) {
      for (const s of BASKET) w.sim.movePercent(s, pct);
      w.sim.advance(HOUR);
    }
    await w.run('market.klines.schedule', { interval: '1h' });
    await w.run('market.regime.compute');
    const state = await readRegimeState(w.store, w.clock.now());
    expect(state.snapshot!.band).toBe('Critical');
    expect(state.snapshot!.signals.find((s) => s.name === 'btc_drawdown')).toMatchObject({ fired: true });
    expect((await w.store.listEvents({ limit: 100 })).some((e) => e.subject === 'regime' && e.message.startsWith('market regime Critical'))).toBe(true);

    await w.run('market.regime.cooldown');
    const armed = await readRegimeState(w.store, w.clock.now());
    expect(armed.cooldown).toMatchObject({ armedAt: w.clock.now(), until: w.clock.now() + 24 * HOUR });
    const allowance = regimeAllowance(w.store);
    expect(await allowance(slots, w.clock.now())).toMatchObject({ allowed: false });

    // Three hours on, the snapshot is stale: the cooldown still blocks (it was armed on fresh data).
    w.clock.advance(3 * HOUR);
    const stale = await allowance(slots, w.clock.now());
    expect(stale).toMatchObject({ allowed: false, band: 'stale' });
    expect(stale.reason).toContain('Critical cooldown until');

    // The operator's override beats the cooldown, and is audited.
    const ov = newOverride({ mode: 'allow', reason: 'exchange glitch, not a crash', createdBy: 'ops@tyche', until: w.clock.now() + 2 * HOUR }, w.clock.now());
    await w.store.transaction((tx) => applyRowEffects(tx, [overrideInsert(ov)]));
    expect(await allowance(slots, w.clock.now())).toMatchObject({ allowed: true, leverageFactor: 1, maxPerDirection: { LONG: 4, SHORT: 2 } });
    expect(await w.store.findRows(MARKET_TABLES.overrides, {})).toEqual([expect.objectContaining({ created_by: 'ops@tyche', mode: 'allow' })]);

    // After the cooldown (and the override) end, stale data fails open.
    w.clock.advance(22 * HOUR);
    await w.run('market.regime.cooldown');
    expect((await readRegimeState(w.store, w.clock.now())).cooldown.until).toBeNull();
    expect(await allowance(slots, w.clock.now())).toMatchObject({ allowed: true, band: 'stale', reason: 'regime data stale: failing open' });
  });
});
