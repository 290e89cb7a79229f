// The mark-price daemon: one public WebSocket on the all-symbols 1 s mark-price stream. Each data
// frame is written in bulk (the newest frame wins while a write is in flight: a mark price is only
// worth its latest value). It reconnects with backoff (2^attempt s, capped at 30 s) and, when no
// data frame has arrived for 5 minutes (pings, pongs and reconnects do not count), it asks to exit
// so the supervisor starts a fresh process: it never restarts its own event loop.
import { WebSocket } from 'ws';
import type { Clock } from '../../../core/ports/clock.ts';
import type { Logger } from '../../../core/ports/logger.ts';
import { parseMarkPriceFrame, type MarkPriceFrame } from './mark-price-frame.ts';
import type { MarkPriceWriter } from './mysql-mark-price-writer.ts';

/** The stream path under a Binance futures WebSocket base URL. */
export const MARK_PRICE_STREAM = '/ws/!markPrice@arr@1s';

/** Construction options. */
export interface MarkPriceDaemonOptions {
  /** Full stream URL, e.g. wss://fstream.binance.com/ws/!markPrice@arr@1s. */
  url: string;
  writer: MarkPriceWriter;
  clock: Clock;
  logger: Logger;
  /** Called once when the stream stayed silent too long; the command exits the process. */
  exit(reason: string): void;
  /** Silence that ends the process (default 5 min). */
  silenceMs?: number;
  /** How often the silence watchdog looks (default 10 s). */
  watchEveryMs?: number;
  /** Reconnect delay for attempt n (default 2^n s capped at 30 s). */
  backoffMs?: (attempt: number) => number;
  /** Told every data frame's prices (the shock watch of the market regime). */
  onPrices?: (prices: MarkPriceFrame['prices'], at: number) => void;
}

/** Live figures (status and tests). */
export interface MarkPriceStats {
  frames: number;
  rowsMatched: number;
  writeFailures: number;
  reconnects: number;
  skippedEntries: number;
  lastDataAt: number;
  lastWriteMs: number | null;
}

/** Reconnect delay: 2^attempt seconds, capped at 30 s. */
export const defaultBackoff = (attempt: number): number => Math.min(2 ** attempt * 1000, 30_000);

/** Runs the mark-price subscription until stopped or silent. */
export class MarkPriceDaemon {
  readonly stats: MarkPriceStats;
  private ws: WebSocket | null = null;
  private attempt = 0;
  private stopped = true;
  private exited = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private watchTimer: ReturnType<typeof setInterval> | null = null;
  private pending: MarkPriceFrame | null = null;
  private writing: Promise<void> | null = null;

  constructor(private readonly o: MarkPriceDaemonOptions) {
    this.stats = { frames: 0, rowsMatched: 0, writeFailures: 0, reconnects: 0, skippedEntries: 0, lastDataAt: o.clock.now(), lastWriteMs: null };
  }

  /** Opens the stream and starts the watchdog. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stats.lastDataAt = this.o.clock.now();
    this.connect();
    this.watchTimer = setInterval(() => this.checkSilence(), this.o.watchEveryMs ?? 10_000);
  }

  /** True (and exit requested) when no data frame arrived within the silence limit; the watchdog calls it. */
  checkSilence(): boolean {
    if (this.exited) return true;
    const silentFor = this.o.clock.now() - this.stats.lastDataAt;
    if (silentFor <= (this.o.silenceMs ?? 300_000)) return false;
    this.exited = true;
    const reason = `no mark-price data frame for ${Math.round(silentFor / 1000)} s: exiting for a fresh process`;
    this.o.logger.error(reason, { daemon: 'mark-price' });
    this.o.exit(reason);
    return true;
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.o.url, { handshakeTimeout: 10_000 });
    this.ws = ws;
    ws.on('open', () => {
      this.o.logger.info('mark-price stream connected', { url: this.o.url, attempt: this.attempt });
    });
    ws.on('message', (data) => this.onMessage(String(data)));
    // ws answers pings itself; they keep the socket up but say nothing about data.
    ws.on('error', (error) => this.o.logger.warn('mark-price stream error', { error }));
    ws.on('close', () => {
      if (this.ws === ws) this.ws = null;
      if (this.stopped) return;
      const delay = (this.o.backoffMs ?? defaultBackoff)(this.attempt);
      this.attempt += 1;
      this.stats.reconnects += 1;
      this.o.logger.warn('mark-price stream closed; reconnecting', { inMs: delay });
      this.reconnectTimer = setTimeout(() => this.connect(), delay);
    });
  }

  private onMessage(text: string): void {
    const frame = parseMarkPriceFrame(text);
    if (!frame) return;
    this.attempt = 0;
    this.stats.frames += 1;
    this.stats.skippedEntries += frame.skipped;
    this.stats.lastDataAt = this.o.clock.now();
    this.pending = frame;
    this.o.onPrices?.(frame.prices, this.stats.lastDataAt);
    this.writing ??= this.drain();
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const frame = this.pending;
      this.pending = null;
      const started = performance.now();
      try {
        this.stats.rowsMatched += await this.o.writer.write(frame.prices, this.o.clock.now());
        this.stats.lastWriteMs = performance.now() - started;
      } catch (error) {
        this.stats.writeFailures += 1;
        this.o.logger.error('mark-price write failed; the next frame retries', { error });
      }
    }
    this.writing = null;
  }

  /** Closes the stream and waits for the write in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.ws?.terminate();
    this.ws = null;
    await this.writing;
  }
}
