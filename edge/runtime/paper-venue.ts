// The embedded simulator paper trading runs against: one demo account on the default listing.
// Built here (not inside the trading runtime) so the data directory's state can restore it and
// replay its journal before anything trades on it (paper-state.ts).
import { systemClock } from '../../core/ports/clock.ts';
import type { SimInput } from '../../core/sim/sim-input.ts';
import { SimExchange } from '../../core/sim/sim-exchange.ts';
import type { SimSymbolSpec } from '../../core/sim/symbols.ts';

/** The paper account's API key on the embedded simulator. */
export const PAPER = { name: 'paper', apiKey: 'paper-key', secret: 'paper-secret' };

/** A fresh paper venue; `recorder` journals its inputs, `symbols` lists a followed market's contracts (default: the simulator's). */
export function createPaperSim(o: { recorder?: (input: SimInput) => void; symbols?: readonly SimSymbolSpec[] } = {}): SimExchange {
  return new SimExchange({ clock: systemClock, accounts: [{ apiKey: PAPER.apiKey, secret: PAPER.secret, balance: '10000' }], recorder: o.recorder, ...(o.symbols ? { symbols: o.symbols } : {}) });
}
