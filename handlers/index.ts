// Every handler the fleet can run, registered by name in one typed registry.
import { HandlerRegistry, type HandlerDefinition } from '../core/steps/registry.ts';
import { marketHandlers, type MarketDeps } from '../core/market/index.ts';
import type { ExchangeDirectory } from '../core/trading/exchange-directory.ts';
import { noopHandler } from './system/noop.handler.ts';
import { tradingHandlers } from './trading/index.ts';

/** All handler definitions. */
export const allHandlers = [noopHandler];

/** Names of every handler a fleet process registers, capabilities included (listings such as `kraite schedule`). */
export function fleetHandlerNames(): string[] {
  // The definitions are built over deps no listing ever calls: only their names are read.
  const unused = new Proxy({}, { get: () => { throw new Error('handler deps are not available in a listing'); } });
  return [...createRegistry([...tradingHandlers({ exchanges: unused as ExchangeDirectory }), ...marketHandlers(unused as MarketDeps)]).names()];
}

/**
 * A registry holding every handler; capabilities built over a process's ports (trading over its
 * exchange directory) pass theirs in.
 */
export function createRegistry(extra: readonly HandlerDefinition<any>[] = []): HandlerRegistry {
  return new HandlerRegistry([...allHandlers, ...extra]);
}
