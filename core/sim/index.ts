// Public surface of the exchange simulator's engine (runtime-neutral; the Node face is edge/sim).
export { SimExchange, type SimExchangeOptions } from './sim-exchange.ts';
export { SimGateway, webCryptoVerifier, stripSignature, type GatewayRequest, type GatewayResponse, type SignatureVerifier } from './gateway.ts';
export { simHarness, type SimHarness } from './sim-harness.ts';
export { SimAccount, type SimAccountOptions, type SymbolSettings } from './accounts.ts';
export { SimMarket } from './market.ts';
export { DEFAULT_SYMBOLS, symbolSpec, type SimSymbolSpec, type SimSymbolInput } from './symbols.ts';
export { SimError, errors as simErrors } from './sim-error.ts';
export { FaultPlan, type RequestMatch, type FrameMatch, type RequestFault } from './faults.ts';
export { DEFAULT_RATE_LIMITS, type RateLimitOptions } from './rate-limits.ts';
export { DEFAULT_BEHAVIOUR, type SimBehaviour } from './sim-state.ts';
export { ROUTES, findRoute, type SimRoute, type Security } from './routes.ts';
export type { ScenarioEvent } from './price-path.ts';
export type { Frame, SimEvent } from './user-events.ts';
export type { Params } from './params.ts';
