// The followed market's mark-price stream for paper trading on live prices: one public WebSocket on
// the combined one-second streams of the listed symbols (`<symbol>@markPrice@1s`), each data frame
// handed on at once. A lost connection reconnects with backoff (2^attempt s, capped at 30 s; reset
// by the next data frame). When no data frame has arrived for `staleMs` it says so once (the
// runtime asks the health check to look now, which raises "mark price stale"), and again after
// the prices come back and stop again.
import { WebSocket } from 'ws';
import type { Clock } from '../../core/ports/clock.ts';
import type { Logger } from '../../core/ports/logger.ts';
import { reconnectDelayMs } from '../../core/streams/reconnect-policy.ts';
import { parseMarkPriceFrame, type MarkPrice } from '../streams/mark-price/mark-price-frame.ts';

/** Construction options. */
export interface MarketFeedOptions {
  /** The market-stream base, e.g. wss://fstream.binance.com or a `kraite sim`'s ws://host:port. */
  base: string;
  symbols: readonly string[];
  clock: Clock;
  logger: Logger;
  /** Told every data frame's prices and when it arrived. */
  onMarks(prices: MarkPrice[], at: number): void;
  /** Told once per silence longer than `staleMs`. */
  onSilent(silentForMs: number): void;
  staleMs: number;
  /** How often the silence watch looks (default 1 s). */
  watchEveryMs?: number;
  /** Reconnect delay of attempt n (default 2^n s capped at 30 s). */
  backoffMs?: (attempt: number) => number;
}

/** The combined stream URL of `symbols`' one-second mark prices under a stream base. */
export function markPriceStreamUrl(base: string, symbols: readonly string[]): string {
  return `${base.replace(/\/+$/, '')}/stream?streams=${symbols.map((s) => `${s.toLowerCase()}@markPrice@1s`).join('/')}`;
}

/** Live figures (status and tests). */
export interface MarketFeedStats {
  frames: number;
  reconnects: number;
  lastDataAt: number;
}

/** Follows the market's mark prices until stopped. */
export class MarketFeed {
  readonly url: string;
  readonly stats: MarketFeedStats;
  private ws: WebSocket | null = null;
  private attempt = 0;
  private stopped = true;
  private silent = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private watchTimer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly o: MarketFeedOptions) {
    this.url = markPriceStreamUrl(o.base, o.symbols);
    this.stats = { frames: 0, reconnects: 0, lastDataAt: o.clock.now() };
  }

  /** Opens the stream and starts the silence watch (silence counts from now). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stats.lastDataAt = this.o.clock.now();
    this.connect();
    this.watchTimer = setInterval(() => this.checkSilence(), this.o.watchEveryMs ?? 1_000);
  }

  /** True when no data frame arrived within `staleMs` (and tells `onSilent` once per silence). */
  checkSilence(): boolean {
    const silentFor = this.o.clock.now() - this.stats.lastDataAt;
    if (silentFor <= this.o.staleMs) return false;
    if (!this.silent) {
      this.silent = true;
      this.o.logger.error('paper market: no mark price from the followed market', { base: this.o.base, silentForMs: silentFor });
      this.o.onSilent(silentFor);
    }
    return true;
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.url, { handshakeTimeout: 10_000 });
    this.ws = ws;
    ws.on('open', () => this.o.logger.info('paper market: mark-price stream connected', { base: this.o.base, symbols: this.o.symbols.length, attempt: this.attempt }));
    ws.on('message', (data) => this.onMessage(String(data)));
    ws.on('error', (error) => this.o.logger.warn('paper market: mark-price stream error', { error: String(error) }));
    ws.on('close', () => {
      if (this.ws === ws) this.ws = null;
      if (this.stopped) return;
      const delay = (this.o.backoffMs ?? reconnectDelayMs)(this.attempt);
      this.attempt += 1;
      this.stats.reconnects += 1;
      this.o.logger.warn('paper market: mark-price stream closed; reconnecting', { inMs: delay });
      this.reconnectTimer = setTimeout(() => this.connect(), delay);
    });
  }

  private onMessage(text: string): void {
    const frame = parseMarkPriceFrame(text);
    if (!frame) return;
    const at = this.o.clock.now();
    this.attempt = 0;
    this.stats.frames += 1;
    this.stats.lastDataAt = at;
    if (this.silent) {
      this.silent = false;
      this.o.logger.info('paper market: mark prices back', { base: this.o.base });
    }
    this.o.onMarks(frame.prices, at);
  }

  /** Closes the stream and its timers. */
  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.ws?.terminate();
    this.ws = null;
  }
}
