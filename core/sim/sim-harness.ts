// A ready-made engine for tests and scenarios: manual clock, one funded account, every published
// frame recorded, and a `call` that throws Binance's error as a SimError.
import { ManualClock } from '../ports/clock.ts';
import type { SimAccountOptions } from './accounts.ts';
import type { Params } from './params.ts';
import { SimExchange, type SimExchangeOptions } from './sim-exchange.ts';
import type { Frame, SimEvent } from './user-events.ts';

/** An engine plus the handles a test needs. */
export interface SimHarness {
  exchange: SimExchange;
  clock: ManualClock;
  apiKey: string;
  /** Every event published, in order. */
  events: SimEvent[];
  /** User frames of the harness account, optionally of one event type (`e`). */
  frames(type?: string): Frame[];
  /** Runs an endpoint as the harness account. */
  call<T = any>(method: string, path: string, params?: Params): T;
}

/** Builds a harness; the account gets 100,000 USDT unless `account` says otherwise. */
export function simHarness(options: SimExchangeOptions & { account?: Partial<SimAccountOptions> } = {}): SimHarness {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 12, 0, 0));
  const apiKey = options.account?.apiKey ?? 'test-key';
  const exchange = new SimExchange({ clock, ...options, accounts: [{ apiKey, secret: 'test-secret', balance: '100000', ...options.account }] });
  exchange.freeze();
  const events: SimEvent[] = [];
  exchange.subscribe((e) => events.push(e));
  return {
    exchange, clock, apiKey, events,
    frames: (type) => events.flatMap((e) => (e.kind === 'user' && e.apiKey === apiKey && (!type || e.frame.e === type) ? [e.frame] : [])),
    call: (method, path, params = {}) => exchange.call(method, path, params, apiKey) as any,
  };
}
