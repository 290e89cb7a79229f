// The step engine a Worker runs: the trading handlers over a store and a queue port, with the
// exchange reached over fetch. Runtime-neutral, so the workerd test and the Worker entry share it.
import type { ExchangeConnector } from '../../core/trading/exchange-directory.ts';
import { credentialDirectory } from '../../core/trading/exchange-directory.ts';
import { importCredentialsKey } from '../../core/trading/credentials.ts';
import { rankTokens, regimeAllowance } from '../../core/market/index.ts';
import type { Clock } from '../../core/ports/clock.ts';
import { cryptoIds } from '../../core/ports/ids.ts';
import type { QueuePort } from '../../core/queue/queue.port.ts';
import { StepEngine } from '../../core/steps/engine.ts';
import { HandlerRegistry } from '../../core/steps/registry.ts';
import type { StepEvent, StepStore } from '../../core/steps/step-store.port.ts';
import { tradingHandlers } from '../../handlers/trading/index.ts';
import type { TradingDeps } from '../../handlers/trading/deps.ts';

/** What the serverless engine is built from. */
export interface ServerlessEngineOptions {
  store: StepStore;
  queue: QueuePort;
  clock: Clock;
  /** The credentials key (32 bytes, base64) account keys are encrypted with. */
  credentialsKey: string;
  /** Builds the exchange client of one account. */
  connect: ExchangeConnector;
  /** Token ranking by the regime's indicators (default on, as the Node fleet does with a real exchange). */
  selectTokens?: boolean;
  onEvents?: (events: StepEvent[]) => void;
  /** Told when a step became due later (the Worker sends itself a delayed wake-up). */
  onDeferred?: (at: number) => void;
  deps?: Partial<TradingDeps>;
}

/** A factory of engines, one per worker identity (the queue consumer builds one per message). */
export async function serverlessEngines(o: ServerlessEngineOptions): Promise<(identity: string) => StepEngine> {
  const key = await importCredentialsKey(o.credentialsKey);
  const deps: TradingDeps = {
    exchanges: credentialDirectory(key, o.connect),
    allowance: regimeAllowance(o.store),
    ranking: o.selectTokens === false ? undefined : async (rows, q) => (await rankTokens(rows, q)).map((p) => p.symbol),
    ...o.deps,
  };
  const registry = new HandlerRegistry(tradingHandlers(deps));
  return (identity) => new StepEngine({
    store: o.store, queue: o.queue, registry, clock: o.clock, ids: cryptoIds, worker: identity,
    onEvents: o.onEvents, onDeferred: o.onDeferred,
  });
}
