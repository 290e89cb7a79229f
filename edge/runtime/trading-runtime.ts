// Wires the trading lifecycle into a fleet process: the exchange directory (credentials decrypted
// with KRAITE_CREDENTIALS_KEY; the Binance client over undici, or the in-process simulator when no
// KRAITE_EXCHANGE_URL is set), the trading handlers with market intelligence (market-runtime.ts)
// behind their allowance and ranking, and — in the embedded mode — paper trading:
// a demo account and seeded symbols on a simulator whose prices walk every second (or follow a live
// market's, KRAITE_PAPER_MARKET_URL: edge/paper), its frames bridged into the user-data lane, and a
// first open tick at start (the scheduler runs the rest).
import { BinanceUsdmClient } from '../../core/exchange/binance/binance-client.ts';
import { ValidationError } from '../../core/errors.ts';
import type { ExchangeMarketData, LeverageBracket } from '../../core/exchange/exchange.port.ts';
import type { MarketDataPort } from '../../core/market/index.ts';
import { systemClock } from '../../core/ports/clock.ts';
import type { Logger } from '../../core/ports/logger.ts';
import { inProcessExchange } from '../../core/sim/in-process-exchange.ts';
import type { MarketFollower } from '../../core/sim/followed-market.ts';
import type { SimExchange } from '../../core/sim/sim-exchange.ts';
import { DEFAULT_SYMBOLS } from '../../core/sim/symbols.ts';
import type { StepEngine } from '../../core/steps/engine.ts';
import type { HandlerDefinition } from '../../core/steps/registry.ts';
import type { StepStore } from '../../core/steps/step-store.port.ts';
import { recordFrame } from '../../core/trading/account.ts';
import { applyRowEffects } from '../../core/trading/apply-row-effects.ts';
import { importCredentialsKey } from '../../core/trading/credentials.ts';
import { credentialDirectory, type ExchangeConnector } from '../../core/trading/exchange-directory.ts';
import { paperRegimeBlock, recordPaperMarks } from '../../core/trading/paper-market.ts';
import { seedPaperTrading } from '../../core/trading/paper-seed.ts';
import { allAccounts } from '../../core/trading/reads.ts';
import type { Direction } from '../../core/trading/statuses.ts';
import { tradingHandlers } from '../../handlers/trading/index.ts';
import { egressFetch, egressPool } from '../adapters/undici-fetch.ts';
import { Redis } from 'ioredis';
import { MemoryWeightGovernor } from '../../core/adapters/memory/memory-weight-governor.ts';
import type { ExchangeGovernor } from '../../core/governor/weight-governor.port.ts';
import { redisOptions } from '../adapters/bullmq/redis-connection.ts';
import { RedisWeightGovernor } from '../adapters/redis/redis-weight-governor.ts';
import { exchangeCallRecorder } from '../metrics/exchange-metrics.ts';
import type { FleetMetrics } from '../metrics/fleet-metrics.ts';
import { openLiveMarket } from '../paper/live-market.ts';
import { streamBaseFor } from '../streams/mark-price/start-mark-price.ts';
import { marketRuntime } from './market-runtime.ts';
import { createPaperSim, PAPER } from './paper-venue.ts';
import type { KraiteConfig } from './config.ts';

/** Symbols the demo trades, and in which direction. */
export const PAPER_DIRECTIONS: Record<string, Direction> = { ETHUSDT: 'LONG', SOLUSDT: 'SHORT', BNBUSDT: 'LONG', LINKUSDT: 'SHORT', LTCUSDT: 'LONG' };
/** Tight ladders so a demo shows fills, WAPs and closes within minutes. */
const PAPER_SETTINGS = { slots: 2, leverage: 5, margin: '20', profitPct: '0.3', stopPct: '3', gapPct: '0.4', rungMultiplier: '2', rungs: 3 };

/** Public market data from `client`, and leverage brackets from `brackets`. */
function publicMarketData(client: ExchangeMarketData, brackets: (symbol?: string) => Promise<LeverageBracket[]>): MarketDataPort {
  return {
    getExchangeInfo: () => client.getExchangeInfo(),
    getMarkPrice: (symbol) => client.getMarkPrice(symbol),
    getMarkPrices: () => client.getMarkPrices(),
    getKlines: (query) => client.getKlines(query),
    getLeverageBrackets: brackets,
  };
}

/** Trading inside one process. */
export interface TradingRuntime {
  handlers: HandlerDefinition[];
  /** The exchange governor every client of this process charges (the admin shows its state). */
  governor: ExchangeGovernor;
  /** Lines for the start banner. */
  lines: string[];
  /** Starts the paper market and ticks (embedded mode only). */
  start(engine: StepEngine): void;
  /** The demo account's id once start() has seeded it (embedded paper trading); null otherwise. */
  paperAccount: Promise<number> | null;
  stop(): Promise<void>;
}

async function credentialsKey(config: KraiteConfig, embedded: boolean, kept?: string): Promise<CryptoKey> {
  if (config.KRAITE_CREDENTIALS_KEY) return importCredentialsKey(config.KRAITE_CREDENTIALS_KEY);
  // The persistent embedded mode keeps its key beside its state, so the paper account's keys open after a restart.
  if (embedded && kept) return importCredentialsKey(kept);
  if (!embedded) throw new ValidationError('KRAITE_CREDENTIALS_KEY is required with DATABASE_URL: 32 random bytes, base64 (openssl rand -base64 32)', 'INVALID_CONFIG');
  // The embedded store dies with the process, so a key that dies with it is enough.
  return importCredentialsKey(btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))));
}

/** Builds the trading side of a process. */
export async function tradingRuntime(o: {
  config: KraiteConfig; store: StepStore; embedded: boolean; logger: Logger; egressIps?: readonly string[]; metrics?: FleetMetrics | null;
  /** The data directory's restored paper venue and credentials key (openBackends with persist). */
  paper?: { sim: SimExchange | null; credentialsKey: string } | null;
}): Promise<TradingRuntime> {
  const onCall = o.metrics ? exchangeCallRecorder(o.metrics) : undefined;
  const paper = !o.config.KRAITE_EXCHANGE_URL;
  const key = o.embedded || o.config.KRAITE_CREDENTIALS_KEY ? await credentialsKey(o.config, o.embedded, o.paper?.credentialsKey) : null;
  // Paper trading on live prices: the simulator lists the followed market's contracts at its prices.
  const live = paper && o.config.KRAITE_PAPER_MARKET_URL
    ? await openLiveMarket({
      restUrl: o.config.KRAITE_PAPER_MARKET_URL, wsBase: o.config.KRAITE_PAPER_MARKET_WS_URL ?? streamBaseFor(o.config.KRAITE_PAPER_MARKET_URL),
      wanted: DEFAULT_SYMBOLS, clock: systemClock, logger: o.logger, staleMs: o.config.KRAITE_MARK_PRICE_STALE_MS,
    })
    : null;
  // The data directory's kept venue when there is one (openBackends with persist; not while following a live market).
  const sim = paper ? (o.paper?.sim ?? createPaperSim({ symbols: live?.symbols })) : null;
  const http = paper ? null : egressFetch();
  // One governor per process view of the fleet's budgets: weight per egress IP, bans, orders per
  // account — shared through Redis when the fleet has one, so every worker draws on the same minute.
  const redis = o.config.REDIS_URL ? new Redis(redisOptions(o.config.REDIS_URL)) : null;
  const governor: ExchangeGovernor = redis
    ? new RedisWeightGovernor({ redis, clock: systemClock, keyPrefix: `${o.config.KRAITE_QUEUE_PREFIX}:governor` })
    : new MemoryWeightGovernor({ clock: systemClock });
  const egress = o.egressIps && o.egressIps.length > 0 && !paper ? egressPool(o.egressIps) : null;
  const connect: ExchangeConnector = sim
    ? (c, account) => inProcessExchange(sim, { apiKey: c.apiKey, secret: c.apiSecret }, systemClock, { governor, accountId: String(account.id), onCall })
    : (c, account) => new BinanceUsdmClient({
      baseUrl: o.config.KRAITE_EXCHANGE_URL!, apiKey: c.apiKey, secret: c.apiSecret, clock: systemClock, governor, accountId: String(account.id), onCall,
      ...(egress ? { egress: egress.egress } : { fetch: http!.fetch }),
    });
  const directory = key
    ? credentialDirectory(key, connect)
    : { forAccount: async () => { throw new ValidationError('KRAITE_CREDENTIALS_KEY is not set: this process cannot act for any account', 'INVALID_CONFIG'); } };
  // Market data: the simulator in paper mode; otherwise public endpoints unsigned, and leverage
  // brackets (a signed read) through the first account the fleet has.
  const marketPort: MarketDataPort = sim
    ? inProcessExchange(sim, { apiKey: PAPER.apiKey, secret: PAPER.secret }, systemClock)
    : publicMarketData(new BinanceUsdmClient({ baseUrl: o.config.KRAITE_EXCHANGE_URL!, apiKey: 'public', secret: 'public', clock: systemClock, fetch: http!.fetch, onCall }), async (symbol) => {
      const [account] = await allAccounts(o.store);
      if (!account) throw new ValidationError('leverage brackets need an account: add one with kraite accounts:add', 'NO_ACCOUNT');
      return (await directory.forAccount(account)).getLeverageBrackets(symbol);
    });
  const market = marketRuntime({ config: o.config, store: o.store, exchange: marketPort, selectTokens: !paper });
  const timers: ReturnType<typeof setInterval>[] = [];
  let unsubscribe = () => {};
  let seeded: (accountId: number) => void = () => {};
  const paperAccount = sim && o.embedded ? new Promise<number>((resolve) => (seeded = resolve)) : null;
  const lines = live ? [live.line] : paper
    ? ['  exchange: embedded simulator (paper trading; set KRAITE_EXCHANGE_URL for Binance or a `kraite sim`, KRAITE_PAPER_MARKET_URL for live prices)']
    : [`  exchange: ${o.config.KRAITE_EXCHANGE_URL}`];

  return {
    handlers: [...tradingHandlers({ exchanges: directory, allowance: market.allowance, ranking: market.ranking }), ...market.handlers],
    governor,
    lines,
    paperAccount,
    start(engine) {
      if (!sim || !o.embedded) return;
      const ex = inProcessExchange(sim, { apiKey: PAPER.apiKey, secret: PAPER.secret }, systemClock);
      const start = (handler: string, args: Record<string, unknown> = {}) =>
        engine.start([{ handler, args }], { set: 'trading' }).catch((error: unknown) => o.logger.error('could not start a trading tick', { handler, error }));
      // Following a live market: its silence is looked at now by the health check ("mark price stale"
      // for open positions), not at the check's next 7-minute slot.
      const follower: MarketFollower | null = live
        ? live.follow(sim, () => void engine.start([{ handler: 'fleet.health-check', args: {} }], { set: 'default' }).catch((error: unknown) => o.logger.error('could not start the health check', { error })))
        : null;
      // A restart on a kept state finds its account: its settings and symbols stay as the user left them.
      const resume = async (): Promise<number | null> => {
        const [row] = await o.store.findRows('accounts', { name: PAPER.name });
        return row ? Number(row.id) : null;
      };
      void resume().then(async (resumed) => ({ resumed, accountId: resumed ?? await seedPaperTrading(o.store, ex, {
        key: key!, now: Date.now(), directions: PAPER_DIRECTIONS,
        account: { ...PAPER, tradingEnabled: true, settings: { LONG: PAPER_SETTINGS, SHORT: { ...PAPER_SETTINGS, slots: 1 } } },
      }) })).then(({ resumed, accountId }) => {
        if (resumed === null) o.logger.info('paper trading: demo account seeded on the embedded simulator', { accountId, symbols: Object.keys(PAPER_DIRECTIONS).join(', ') });
        else {
          o.logger.info('paper trading: resumed the kept demo account on the kept simulator', { accountId });
          // Frames the simulator sent while the last run was dying were never read: catch up as the stream daemon does on reconnect.
          void start('trading.sync-orders', { accountId });
        }
        seeded(accountId);
        unsubscribe = sim.subscribe((e) => {
          if (e.kind === 'user' && e.apiKey === PAPER.apiKey) void start('trading.user-data-frame', { accountId, eventId: null, frame: e.frame });
        });
        timers.push(setInterval(() => sim.step(), 1_000));
        // The simulator is paper mode's mark-price stream and kline source: prices every 5 s,
        // and the hourly klines plus a regime snapshot now rather than at the next hour.
        const marks = () => void recordPaperMarks(o.store, ex, Date.now(), follower ? (symbol) => follower.markAt(symbol) : undefined).catch((error: unknown) => o.logger.warn('paper mark prices not recorded', { error }));
        marks();
        timers.push(setInterval(marks, 5_000));
        void engine.start(paperRegimeBlock(), { set: 'default' }).catch((error: unknown) => o.logger.error('could not start the paper regime', { error }));
        // The in-process stream cannot drop: record its liveness as the daemon records pings, so the
        // admin and the console show the demo account connected.
        const alive = () => void o.store.transaction((tx) => applyRowEffects(tx, [recordFrame(accountId, Date.now())])).catch(() => undefined);
        alive();
        timers.push(setInterval(alive, 30_000));
        // The scheduler owns the 3-minute open tick, the poll and the drift check; the first open
        // happens now so a new user sees positions at once.
        void start('trading.open-positions');
        // The first balance snapshot now too (the scheduler takes one every five minutes).
        void start('trading.store-balances', { accountId });
      }).catch((error: unknown) => o.logger.error('paper trading could not start', { error }));
    },
    async stop() {
      unsubscribe();
      for (const t of timers) clearInterval(t);
      await live?.stop();
      await market.stop();
      await egress?.close();
      await http?.close();
      await redis?.quit();
    },
  };
}
