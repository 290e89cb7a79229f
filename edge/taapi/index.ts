// TAAPI at the edge: choosing the indicator provider, and the fake TAAPI server (tests and the
// `taapi` benchmark).
export { seededCandles, type CandleSource } from './fake-taapi-candles.ts';
export { startFakeTaapi, type FakeTaapi, type FakeTaapiOptions, type FakeTaapiStats } from './fake-taapi-server.ts';
export { indicatorProvider, type IndicatorProviderOptions } from './indicator-provider.ts';
