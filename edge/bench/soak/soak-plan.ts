// The seeded plan of one fault-soak run: which symbols trade in which direction, the price path
// (small moves and gaps through rungs, stops and take-profits) and every fault the simulator is
// told to inject, as a list of timed events. The list is the run's reproduction: replaying the same
// events on the same code gives the same run, and a shrinker can drop events from it.
import { seededRandom } from '../../../core/ports/ids.ts';
import type { Direction } from '../../../core/trading/statuses.ts';

/** One timed thing that happens to the market or the simulator; `at` is ms after the run starts. */
export type SoakEvent =
  /** Mark and last price move by `pct` percent at once (a gap when large). */
  | { at: number; kind: 'move'; symbol: string; pct: string }
  /** Liquidity per level/update of a symbol, as a notional in USDT (null = unlimited): partial fills. */
  | { at: number; kind: 'depth'; symbol: string; notional: string | null }
  /** The next `count` user-data frames (of event type `event`, or any) are dropped or sent twice. */
  | { at: number; kind: 'frames'; fault: 'drop' | 'duplicate'; count: number; event?: string }
  /** The next `count` user-data frames arrive `ms` late, after frames sent later (reordered). */
  | { at: number; kind: 'delay-frames'; count: number; ms: number }
  /** The simulator drops the user-data socket; the stream reconnects after `ms` (frames meanwhile are lost). */
  | { at: number; kind: 'outage'; ms: number }
  /** The next matching request is executed but its response is lost. */
  | { at: number; kind: 'lose-response'; method: string; path: string }
  /** The next `times` matching requests answer 503; `applied` says whether they were executed first. */
  | { at: number; kind: 'server-error'; applied: boolean; method: string; path: string; times: number }
  /** Someone else cancels one of our working DCA rungs on the exchange (`pick` ∈ [0, 1) chooses which). */
  | { at: number; kind: 'foreign-cancel'; pick: number };

/** The kinds of fault events (everything but price moves). */
export type FaultFamily = 'drop-frames' | 'duplicate-frames' | 'delay-frames' | 'outage' | 'lose-response' | 'write-5xx-applied' | 'write-5xx-not-applied' | 'read-5xx' | 'partial-fills' | 'foreign-cancel';

/** Mean number of each fault event per hour of the faulty phase. */
export const FAULT_RATES: Readonly<Record<FaultFamily, number>> = {
  'drop-frames': 12, 'duplicate-frames': 8, 'delay-frames': 10, outage: 3, 'lose-response': 8,
  'write-5xx-applied': 5, 'write-5xx-not-applied': 5, 'read-5xx': 8, 'partial-fills': 4, 'foreign-cancel': 4,
};

/** Symbols the soak may trade: cheap enough for a 50 USDT entry on their step size. */
export const SOAK_SYMBOLS = ['ETHUSDT', 'XRPUSDT', 'DOGEUSDT', 'ADAUSDT', 'LINKUSDT', 'LTCUSDT', 'BNBUSDT', 'AVAXUSDT', '1000PEPEUSDT'] as const;

/** Everything a run is built from. */
export interface SoakPlan {
  seed: number;
  directions: Record<string, Direction>;
  slots: Record<Direction, number>;
  /** Length of the faulty phase (prices move, faults on, positions open), ms. */
  faultMs: number;
  /** Length of the quiet phase (faults off, no opens, the scheduler's polls and drift checks), ms. */
  quietMs: number;
  events: SoakEvent[];
}

/** Knobs of the plan generator. */
export interface SoakPlanOptions {
  faultMs?: number;
  quietMs?: number;
  /** Multiplies every fault rate (0 = a run without faults). */
  faultScale?: number;
}

const WRITES: readonly [string, string][] = [
  ['POST', '/fapi/v1/order'], ['POST', '/fapi/v1/order'], ['POST', '/fapi/v1/algoOrder'], ['PUT', '/fapi/v1/order'],
  ['DELETE', '/fapi/v1/order'], ['DELETE', '/fapi/v1/algoOrder'],
];
const READS: readonly string[] = ['/fapi/v3/positionRisk', '/fapi/v1/openOrders', '/fapi/v1/order', '/fapi/v1/openAlgoOrders', '/fapi/v1/algoOrder', '/fapi/v3/balance'];
const FRAME_EVENTS: readonly (string | undefined)[] = [undefined, 'ORDER_TRADE_UPDATE', 'ORDER_TRADE_UPDATE', 'ALGO_UPDATE', 'ACCOUNT_UPDATE'];

/** The plan of seed `seed`: same seed and options, same plan. */
export function planSoak(seed: number, options: SoakPlanOptions = {}): SoakPlan {
  const random = seededRandom(0x5eed ^ Math.imul(seed, 0x9e3779b1));
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * random();
  const int = (lo: number, hi: number) => Math.floor(uniform(lo, hi + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const faultMs = options.faultMs ?? 20 * 60_000;
  const quietMs = options.quietMs ?? 20 * 60_000;
  const scale = options.faultScale ?? 1;

  const pool = [...SOAK_SYMBOLS];
  const directions: Record<string, Direction> = {};
  for (let n = int(3, 5); n > 0; n--) directions[pool.splice(Math.floor(random() * pool.length), 1)[0]!] = random() < 0.5 ? 'LONG' : 'SHORT';
  const slots = { LONG: int(1, 2), SHORT: int(1, 2) };

  const events: SoakEvent[] = [];
  const at = () => Math.floor(uniform(10_000, faultMs));
  for (const symbol of Object.keys(directions)) {
    for (let t = Math.floor(uniform(8_000, 45_000)); t < faultMs; t += Math.floor(uniform(8_000, 45_000))) {
      const r = random();
      const size = r < 0.03 ? uniform(7, 12) : r < 0.18 ? uniform(1.5, 6) : uniform(0, 0.6);
      events.push({ at: t, kind: 'move', symbol, pct: (random() < 0.5 ? -size : size).toFixed(2) });
    }
  }
  // Poisson-ish counts: the mean per hour times the phase, rounded at random.
  const count = (family: FaultFamily) => {
    const mean = FAULT_RATES[family] * scale * (faultMs / 3_600_000);
    return Math.floor(mean) + (random() < mean - Math.floor(mean) ? 1 : 0);
  };
  for (let n = count('drop-frames'); n > 0; n--) events.push({ at: at(), kind: 'frames', fault: 'drop', count: int(1, 3), ...opt('event', pick(FRAME_EVENTS)) });
  for (let n = count('duplicate-frames'); n > 0; n--) events.push({ at: at(), kind: 'frames', fault: 'duplicate', count: int(1, 3), ...opt('event', pick(FRAME_EVENTS)) });
  for (let n = count('delay-frames'); n > 0; n--) events.push({ at: at(), kind: 'delay-frames', count: int(1, 4), ms: int(200, 20_000) });
  for (let n = count('outage'); n > 0; n--) events.push({ at: at(), kind: 'outage', ms: int(2_000, 90_000) });
  for (let n = count('lose-response'); n > 0; n--) {
    const [method, path] = pick(WRITES);
    events.push({ at: at(), kind: 'lose-response', method, path });
  }
  for (const applied of [true, false]) {
    for (let n = count(applied ? 'write-5xx-applied' : 'write-5xx-not-applied'); n > 0; n--) {
      const [method, path] = pick(WRITES);
      events.push({ at: at(), kind: 'server-error', applied, method, path, times: 1 });
    }
  }
  for (let n = count('read-5xx'); n > 0; n--) events.push({ at: at(), kind: 'server-error', applied: false, method: 'GET', path: pick(READS), times: int(1, 6) });
  for (let n = count('partial-fills'); n > 0; n--) {
    const symbol = pick(Object.keys(directions));
    const start = at();
    events.push({ at: start, kind: 'depth', symbol, notional: String(int(10, 40)) });
    events.push({ at: Math.min(faultMs, start + int(60_000, 600_000)), kind: 'depth', symbol, notional: null });
  }
  for (let n = count('foreign-cancel'); n > 0; n--) events.push({ at: at(), kind: 'foreign-cancel', pick: Math.floor(random() * 1000) / 1000 });
  events.sort((a, b) => a.at - b.at);
  return { seed, directions, slots, faultMs, quietMs, events };
}

function opt<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** The fault family of an event, or null for a price move. */
export function familyOf(e: SoakEvent): FaultFamily | null {
  switch (e.kind) {
    case 'move': return null;
    case 'depth': return e.notional === null ? null : 'partial-fills';
    case 'frames': return e.fault === 'drop' ? 'drop-frames' : 'duplicate-frames';
    case 'delay-frames': return 'delay-frames';
    case 'outage': return 'outage';
    case 'lose-response': return 'lose-response';
    case 'server-error': return e.method === 'GET' ? 'read-5xx' : e.applied ? 'write-5xx-applied' : 'write-5xx-not-applied';
    case 'foreign-cancel': return 'foreign-cancel';
  }
}

/** One line per event, for a failing seed's reproduction. */
export function describeEvent(e: SoakEvent): string {
  const t = `+${(e.at / 1000).toFixed(1)}s`;
  switch (e.kind) {
    case 'move': return `${t} move ${e.symbol} ${e.pct}%`;
    case 'depth': return `${t} depth ${e.symbol} ${e.notional === null ? 'unlimited' : `${e.notional} USDT`}`;
    case 'frames': return `${t} ${e.fault} next ${e.count} ${e.event ?? 'any'} frame(s)`;
    case 'delay-frames': return `${t} delay next ${e.count} frame(s) by ${e.ms} ms`;
    case 'outage': return `${t} user-data socket down for ${e.ms} ms`;
    case 'lose-response': return `${t} lose the response of the next ${e.method} ${e.path}`;
    case 'server-error': return `${t} 503 (${e.applied ? 'applied' : 'not applied'}) on the next ${e.times} ${e.method} ${e.path}`;
    case 'foreign-cancel': return `${t} someone cancels our working rung #${e.pick} (fraction of the sorted list)`;
  }
}
