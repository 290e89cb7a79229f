// One account's user-data socket: create (or extend) the listen key, connect, hand every frame to
// the sink in arrival order, keep the key alive every minute, and reconnect — at once after
// `listenKeyExpired`, with 2^n s backoff (capped) after a failure. Everything it does is caught
// and logged here, so one account's trouble never reaches another account's socket.
import WebSocket from 'ws';
import type { ExchangeListenKeys } from '../../../core/exchange/exchange.port.ts';
import { isExchangeError } from '../../../core/exchange/exchange-errors.ts';
import type { Clock } from '../../../core/ports/clock.ts';
import type { Logger } from '../../../core/ports/logger.ts';
import type { ConnectPacer} from '../../../core/streams/reconnect-policy.ts';
import { reconnectDelayMs } from '../../../core/streams/reconnect-policy.ts';
import { classifyFrame } from '../../../core/streams/user-data-frames.ts';
import type { SinkResult, UserDataSink } from '../../../core/streams/user-data-sink.ts';
import type { TimerHandle, Timers } from './timers.ts';

/** How long a connection must stay up for its next failure to start the backoff from 1 s again. */
const STABLE_MS = 30_000;
/** How long a frame is retried while the store is unreachable before it is left to the order poll. */
const STORE_RETRY_MS = 60_000;
/** The longest pause between two attempts to store one frame. */
const STORE_RETRY_CAP_MS = 5_000;

/** Where a stream is in its life. */
export type StreamState = 'waiting' | 'connecting' | 'open' | 'stopped';

/** What an account stream needs. */
export interface AccountStreamOptions {
  accountId: number;
  listenKeys: Pick<ExchangeListenKeys, 'createListenKey' | 'keepAliveListenKey'>;
  /** WebSocket base: the stream is `${wsBaseUrl}/ws/<listenKey>`. */
  wsBaseUrl: string;
  sink: Pick<UserDataSink, 'acceptClassified'>;
  clock: Clock;
  timers: Timers;
  pacer: ConnectPacer;
  logger: Logger;
  keepAliveMs?: number;
  backoffCapMs?: number;
  /** How long a frame is retried while the store is down (default 60 s); later frames wait behind it. */
  storeRetryMs?: number;
  /** A frame or a server ping arrived (liveness for the watchdog and last_frame_at). */
  onSeen?: (accountId: number, at: number) => void;
  /** Every (re)connect, once the socket is open: frames from here on arrive, earlier ones were missed. */
  onConnected?: (accountId: number, at: number) => void;
  /** Every failure (the socket is down until the next `onConnected`): frames are being missed. */
  onDown?: (accountId: number, at: number) => void;
  /** The first outcome after start: connected, or the first failure (the daemon's boot summary). */
  onFirstOutcome?: (accountId: number, outcome: 'connected' | 'failed', detail?: string) => void;
  /** Told after each frame was handled, with `performance.now()` at its arrival (benchmarks). */
  onFrame?: (result: SinkResult, arrivedPerfMs: number) => void;
}

/** Counters an operator (and the tests) can read. */
export interface StreamStats {
  state: StreamState;
  connects: number;
  failures: number;
  frames: number;
  lastError: string | null;
  /** Time of the last frame or ping (or of the connect, before any). */
  lastSeenAt: number | null;
  /** When the next connect attempt is due, while waiting for one. */
  nextConnectAt: number | null;
}

/** One account's user-data stream. */
export class AccountStream {
  readonly stats: StreamStats = { state: 'waiting', connects: 0, failures: 0, frames: 0, lastError: null, lastSeenAt: null, nextConnectAt: null };
  private generation = 0;
  private attempt = 0;
  private ws: WebSocket | null = null;
  private listenKey = '';
  private openedAt: number | null = null;
  private connectTimer: TimerHandle | null = null;
  private keepAliveTimer: TimerHandle | null = null;
  private chain: Promise<void> = Promise.resolve();
  /** The pause between two attempts to store a frame, and how stop() cuts it short. */
  private retryTimer: TimerHandle | null = null;
  private wakeRetry: (() => void) | null = null;
  private reported = false;
  /** When start() was called: the watchdog's reference before the first frame. */
  startedAt = 0;
  private readonly log: Logger;

  constructor(private readonly o: AccountStreamOptions) {
    this.log = o.logger.child({ account: o.accountId });
  }

  get accountId(): number {
    return this.o.accountId;
  }

  /** Schedules the first connect (paced with every other stream of the daemon). */
  start(): void {
    this.startedAt = this.o.clock.now();
    this.schedule(0);
  }

  /** Drops the socket and connects again after `delayMs` (paced): the watchdog's and expiry's way out. */
  recycle(reason: string, delayMs = 0): void {
    if (this.stats.state === 'stopped') return;
    this.log.info(`user-data stream: reconnecting (${reason})`);
    this.dropSocket();
    this.schedule(delayMs);
  }

  /** Closes the socket, cancels timers and waits for frames already received to be stored. */
  async stop(): Promise<void> {
    this.stats.state = 'stopped';
    this.o.timers.clearTimeout(this.connectTimer);
    this.dropSocket();
    this.o.timers.clearTimeout(this.retryTimer);
    this.wakeRetry?.();
    await this.chain;
  }

  private schedule(delayMs: number): void {
    this.o.timers.clearTimeout(this.connectTimer);
    const now = this.o.clock.now();
    const at = this.o.pacer.reserve(now + delayMs);
    this.stats.state = 'waiting';
    this.stats.nextConnectAt = at;
    this.connectTimer = this.o.timers.setTimeout(() => {
      this.connectTimer = null;
      this.stats.nextConnectAt = null;
      void this.connect();
    }, at - now);
  }

  private async connect(): Promise<void> {
    const gen = ++this.generation;
    this.stats.state = 'connecting';
    let listenKey: string;
    try {
      listenKey = await this.o.listenKeys.createListenKey();
    } catch (error) {
      if (gen === this.generation) this.fail(`listen key: ${message(error)}`);
      return;
    }
    if (gen !== this.generation) return;
    this.listenKey = listenKey;
    let ws: WebSocket;
    try {
      ws = new WebSocket(`${this.o.wsBaseUrl.replace(/\/+$/, '')}/ws/${encodeURIComponent(listenKey)}`, { perMessageDeflate: false, handshakeTimeout: 10_000 });
    } catch (error) {
      this.fail(`socket: ${message(error)}`);
      return;
    }
    this.ws = ws;
    let lastError = '';
    ws.on('open', () => {
      if (gen !== this.generation) return;
      this.stats.state = 'open';
      this.stats.connects++;
      this.openedAt = this.o.clock.now();
      this.seen();
      this.armKeepAlive(gen);
      this.log.debug('user-data stream connected');
      this.report('connected');
      this.o.onConnected?.(this.o.accountId, this.openedAt);
    });
    ws.on('message', (data, isBinary) => this.onMessage(gen, isBinary ? '' : data.toString()));
    ws.on('ping', () => {
      if (gen === this.generation) this.seen();
    });
    ws.on('error', (error) => {
      lastError = message(error);
    });
    ws.on('close', (code) => {
      if (gen !== this.generation) return;
      this.ws = null;
      this.o.timers.clearTimeout(this.keepAliveTimer);
      this.fail(`socket closed (${code}${lastError ? `: ${lastError}` : ''})`);
    });
  }

  private onMessage(gen: number, text: string): void {
    if (gen !== this.generation) return;
    const arrived = performance.now();
    const receivedAt = this.o.clock.now();
    this.stats.frames++;
    this.seen();
    const classified = classifyFrame(text);
    // Reconnect now with a fresh key; this frame is still stored below, in order.
    if (classified.kind === 'listen-key-expired') this.recycle('listenKeyExpired');
    this.chain = this.chain.then(() => this.store(classified, receivedAt, arrived));
  }

  /**
   * Hands one frame to the sink. While the store (or the queue) is unreachable the frame is retried
   * with backoff (100 ms doubling, capped at 5 s) for up to `storeRetryMs`, and the frames behind it
   * wait, so order is kept and a database restart loses nothing. Past that, or when the stream
   * stops, the frame is left to the 5-minute order poll, which re-anchors the orders.
   */
  private async store(classified: ReturnType<typeof classifyFrame>, receivedAt: number, arrived: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.o.sink.acceptClassified(this.o.accountId, classified, receivedAt);
        if (attempt > 0) this.log.info('user-data frame stored after the store came back', { eventType: classified.eventType, attempts: attempt + 1 });
        this.o.onFrame?.(result, arrived);
        return;
      } catch (error) {
        const waited = this.o.clock.now() - receivedAt;
        if (this.stats.state === 'stopped' || waited >= (this.o.storeRetryMs ?? STORE_RETRY_MS)) {
          this.log.error('user-data frame could not be stored: the order poll will re-anchor it', { eventType: classified.eventType, attempts: attempt + 1, error: message(error) });
          return;
        }
        if (attempt === 0) this.log.warn('user-data frame could not be stored: retrying', { eventType: classified.eventType, error: message(error) });
        await new Promise<void>((resolve) => {
          this.wakeRetry = resolve;
          this.retryTimer = this.o.timers.setTimeout(resolve, Math.min(100 * 2 ** attempt, STORE_RETRY_CAP_MS));
        });
        this.retryTimer = null;
        this.wakeRetry = null;
      }
    }
  }

  private armKeepAlive(gen: number): void {
    this.o.timers.clearTimeout(this.keepAliveTimer);
    this.keepAliveTimer = this.o.timers.setTimeout(() => {
      if (gen !== this.generation) return;
      this.armKeepAlive(gen);
      this.o.listenKeys.keepAliveListenKey(this.listenKey).catch((error: unknown) => {
        if (gen !== this.generation) return;
        if (isExchangeError(error, 'LISTEN_KEY_NOT_FOUND')) this.recycle('listen key gone at keep-alive');
        else this.log.warn('user-data listen key keep-alive failed; retrying in a minute', { error: message(error) });
      });
    }, this.o.keepAliveMs ?? 60_000);
  }

  private fail(reason: string): void {
    if (this.stats.state === 'stopped') return;
    // Only a connection that stayed up a while resets the backoff: one that the server accepts and
    // drops at once keeps backing off instead of reconnecting every second.
    if (this.openedAt !== null && this.o.clock.now() - this.openedAt >= STABLE_MS) this.attempt = 0;
    this.openedAt = null;
    this.dropSocket();
    const delay = reconnectDelayMs(this.attempt, this.o.backoffCapMs);
    this.attempt++;
    this.stats.failures++;
    this.stats.lastError = reason;
    this.log.warn(`user-data stream down: ${reason}; retrying in ${delay} ms`, { attempt: this.attempt });
    this.report('failed', reason);
    this.o.onDown?.(this.o.accountId, this.o.clock.now());
    this.schedule(delay);
  }

  private dropSocket(): void {
    this.generation++;
    this.o.timers.clearTimeout(this.keepAliveTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
    }
  }

  private seen(): void {
    const at = this.o.clock.now();
    this.stats.lastSeenAt = at;
    this.o.onSeen?.(this.o.accountId, at);
  }

  private report(outcome: 'connected' | 'failed', detail?: string): void {
    if (this.reported) return;
    this.reported = true;
    this.o.onFirstOutcome?.(this.o.accountId, outcome, detail);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
