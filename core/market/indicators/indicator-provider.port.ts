// The one port both indicator providers implement (market.md): TAAPI over HTTP and the local
// computation from stored klines return the same raw readouts, so direction rules live once.
import type { RawReadouts } from '../readouts.ts';
import type { Timeframe } from '../timeframes.ts';

/** Where a symbol's readouts come from. */
export interface IndicatorProvider {
  /** 'taapi' or 'local', stored with every conclusion. */
  readonly name: string;
  /**
   * Raw readouts at the last closed candle of `tf` at `now`. A provider that must wait for a
   * request slot throws ThrottledError (a throttle reschedule, never a spent retry).
   */
  readouts(symbol: string, tf: Timeframe, now: number): Promise<RawReadouts>;
}
