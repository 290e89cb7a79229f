// Starts the Binance-compatible exchange simulator on loopback (or any host): REST and WebSocket
// on one port, around a core SimExchange engine that tests drive directly (setMark, advance, faults).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../core/ports/clock.ts';
import type { SimAccountOptions } from '../../core/sim/accounts.ts';
import { SimGateway } from '../../core/sim/gateway.ts';
import type { RateLimitOptions } from '../../core/sim/rate-limits.ts';
import { SimExchange, type SimExchangeOptions } from '../../core/sim/sim-exchange.ts';
import type { SimBehaviour } from '../../core/sim/sim-state.ts';
import type { SimSymbolSpec } from '../../core/sim/symbols.ts';
import { restHandler } from './http-server.ts';
import { nodeSignatureVerifier } from './signature.ts';
import { SimWsServer } from './ws-server.ts';

/** How to start a simulator. */
export interface StartSimulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Seed of the random walks (default 1). */
  seed?: number;
  accounts?: readonly SimAccountOptions[];
  /** Listed contracts (default: the built-in majors). */
  symbols?: readonly SimSymbolSpec[];
  /** Time source for the engine (default the system clock); pass a ManualClock in tests. */
  clock?: Clock;
  /** Market time one random-walk step stands for (default 1000 ms). */
  stepMs?: number;
  /** Random-walk timer: every tickMs of real time the engine advances tickMs. 0 or 'manual' (default): no timer. */
  tickMs?: number | 'manual';
  rateLimits?: Partial<RateLimitOptions>;
  behaviour?: Partial<SimBehaviour>;
  /** A deterministic past for klines (SimExchangeOptions.history). */
  history?: SimExchangeOptions['history'];
  /** Mark-price push period (default 1000 ms). */
  markPriceIntervalMs?: number;
  /** Server ping period (default 3 min) and pong deadline (default 10 min). */
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
  /** How often listen-key and GTD expiry are checked against the clock (default 100 ms). */
  housekeepingMs?: number;
}

/** A running simulator. */
export interface RunningSimulator {
  /** REST base URL, e.g. http://127.0.0.1:41234 (paths are Binance's: /fapi/v1/...). */
  restUrl: string;
  /** WebSocket base URL, e.g. ws://127.0.0.1:41234 (/ws/<listenKey>, /ws/!markPrice@arr@1s, /stream?streams=...). */
  wsUrl: string;
  /** The core engine: control prices, time, accounts and faults. */
  engine: SimExchange;
  /** Stops timers, drops connections and closes the port. */
  close(): Promise<void>;
}

/** Starts the simulator and resolves once it listens. */
export async function startSimulator(options: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const engine = new SimExchange({
    clock: options.clock, seed: options.seed, symbols: options.symbols, accounts: options.accounts,
    rateLimits: options.rateLimits, behaviour: options.behaviour, history: options.history, stepMs: options.stepMs,
  });
  const gateway = new SimGateway(engine, nodeSignatureVerifier);
  const pending = new Set<NodeJS.Timeout>();
  const server = createServer(restHandler(gateway, pending));
  server.keepAliveTimeout = 65_000;
  const ws = new SimWsServer(engine, {
    markPriceIntervalMs: options.markPriceIntervalMs ?? 1000,
    pingIntervalMs: options.pingIntervalMs ?? 180_000,
    pongTimeoutMs: options.pongTimeoutMs ?? 600_000,
  });
  server.on('upgrade', (req, socket, head) => ws.handleUpgrade(req, socket, head));

  const timers: NodeJS.Timeout[] = [setInterval(() => engine.tick(), options.housekeepingMs ?? 100)];
  const tickMs = options.tickMs === 'manual' ? 0 : (options.tickMs ?? 0);
  if (tickMs > 0) timers.push(setInterval(() => engine.advance(tickMs), tickMs));

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  return {
    restUrl: `http://${shown}:${port}`,
    wsUrl: `ws://${shown}:${port}`,
    engine,
    async close() {
      for (const t of timers) clearInterval(t);
      for (const t of pending) clearTimeout(t);
      await ws.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export { SimExchange } from '../../core/sim/sim-exchange.ts';
