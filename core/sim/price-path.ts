// Deterministic prices: a seeded random walk per symbol, plus scripted events (set a price or move
// by a percentage at step N) and replayed price lists. Same seed and script → same prices.
import { RandomStream } from '../ports/ids.ts';
import { dec, type Dec } from './decimal.ts';
import type { SimMarket } from './market.ts';

/** A scripted price event: at path step `step`, set the price or move it by a percentage. */
export interface ScenarioEvent {
  step: number;
  symbol: string;
  /** New mark and last price. */
  price?: string;
  /** New mark only (last unchanged), to separate MARK_PRICE from CONTRACT_PRICE. */
  mark?: string;
  /** New last price only. */
  last?: string;
  /** Relative move of both prices, in percent ("-5" = down 5 %). */
  movePercent?: string | number;
}

/** Where a path stands: enough to continue it exactly (sim-snapshot.ts persists it). */
export interface PricePathState {
  stepIndex: number;
  /** Each walked symbol's generator state. */
  streams: [string, number][];
  script: ScenarioEvent[];
  replays: [string, string[]][];
  frozen: string[];
}

/** The prices a step produced for one symbol. */
export interface PathMove {
  symbol: string;
  mark: Dec;
  last: Dec;
}

// FNV-1a over the symbol name, so each symbol has its own stream and adding a symbol does not
// shift the others.
function symbolSeed(seed: number, symbol: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < symbol.length; i++) h = Math.imul(h ^ symbol.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

// The walk draws integers so decimal.js never sees a binary fraction: r ∈ [-1e6, 1e6].
const RESOLUTION = 1_000_000;

/** Walks every symbol one step at a time; scripted and replayed prices take precedence. */
export class PricePath {
  private readonly streams = new Map<string, RandomStream>();
  private readonly script: ScenarioEvent[] = [];
  private readonly replays = new Map<string, Dec[]>();
  private frozen = new Set<string>();
  /** Number of steps taken so far. */
  stepIndex = 0;

  constructor(private readonly seed: number) {}

  /** Adds scripted events (steps are absolute: compare with `stepIndex`). */
  addScript(events: readonly ScenarioEvent[]): void {
    this.script.push(...events);
    this.script.sort((a, b) => a.step - b.step);
  }

  /** Queues prices (e.g. stored kline closes) one per step for a symbol, before the walk resumes. */
  replay(symbol: string, prices: readonly string[]): void {
    this.replays.set(symbol, [...(this.replays.get(symbol) ?? []), ...prices.map((p) => dec(p))]);
  }

  /** Stops or restarts the random walk of a symbol (scripts and replays still apply). */
  freeze(symbol: string, frozen = true): void {
    if (frozen) this.frozen.add(symbol);
    else this.frozen.delete(symbol);
  }

  /** Takes one step for every market, returning the new prices in listing order. */
  step(markets: readonly SimMarket[]): PathMove[] {
    this.stepIndex += 1;
    const moves: PathMove[] = [];
    for (const market of markets) {
      let mark = market.mark;
      let last = market.last;
      const queued = this.replays.get(market.symbol);
      const scripted = this.script.filter((e) => e.step === this.stepIndex && e.symbol === market.symbol);
      if (queued && queued.length > 0) {
        mark = last = market.onGrid(queued.shift()!);
      } else if (scripted.length === 0 && !this.frozen.has(market.symbol)) {
        const r = this.draw(market.symbol);
        const factor = dec(r).div(RESOLUTION).times(market.volatility).plus(1);
        last = market.onGrid(last.times(factor));
        mark = last;
      }
      for (const event of scripted) ({ mark, last } = applyEvent(market, event, mark, last));
      moves.push({ symbol: market.symbol, mark, last });
    }
    return moves;
  }

  /** The path's position, scripts and generator states. */
  saveState(): PricePathState {
    return {
      stepIndex: this.stepIndex, streams: [...this.streams].map(([symbol, s]) => [symbol, s.state]), script: this.script.map((e) => ({ ...e })),
      replays: [...this.replays].map(([symbol, prices]) => [symbol, prices.map((p) => p.toString())]), frozen: [...this.frozen],
    };
  }

  /** Continues from a saved position (the same seed's path, as if it had never stopped). */
  loadState(state: PricePathState): void {
    this.stepIndex = state.stepIndex;
    this.streams.clear();
    for (const [symbol, at] of state.streams) {
      const stream = new RandomStream(0);
      stream.state = at;
      this.streams.set(symbol, stream);
    }
    this.script.splice(0, this.script.length, ...state.script);
    this.replays.clear();
    for (const [symbol, prices] of state.replays) this.replays.set(symbol, prices.map((p) => dec(p)));
    this.frozen = new Set(state.frozen);
  }

  private draw(symbol: string): number {
    let stream = this.streams.get(symbol);
    if (!stream) {
      stream = new RandomStream(symbolSeed(this.seed, symbol));
      this.streams.set(symbol, stream);
    }
    return Math.floor(stream.next() * (2 * RESOLUTION + 1)) - RESOLUTION;
  }
}

/** Applies one scripted event to a market's prices. */
export function applyEvent(market: SimMarket, event: ScenarioEvent, mark: Dec, last: Dec): { mark: Dec; last: Dec } {
  if (event.price !== undefined) mark = last = market.onGrid(dec(event.price));
  if (event.mark !== undefined) mark = dec(event.mark);
  if (event.last !== undefined) last = market.onGrid(dec(event.last));
  if (event.movePercent !== undefined) {
    const factor = dec(event.movePercent).div(100).plus(1);
    mark = market.onGrid(mark.times(factor));
    last = market.onGrid(last.times(factor));
  }
  return { mark, last };
}
