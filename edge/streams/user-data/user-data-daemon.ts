// The user-data stream daemon: one socket per trading-enabled account of its shard, all in one
// process. It staggers handshakes (boot and mass reconnects alike), writes one boot summary instead
// of one "connected" alert per account, keeps accounts.last_frame_at fresh (at most every 30 s),
// flags and recycles an account silent for 15 minutes, follows the accounts table every minute,
// and watches its RSS against a ceiling that grows with the number of accounts. Every (re)connect
// starts a catch-up sync of that account: Binance does not replay what a socket missed.
import { BinanceUsdmClient } from '../../../core/exchange/binance/binance-client.ts';
import type { ExchangeListenKeys } from '../../../core/exchange/exchange.port.ts';
import type { Clock } from '../../../core/ports/clock.ts';
import { systemClock } from '../../../core/ports/clock.ts';
import type { Logger } from '../../../core/ports/logger.ts';
import { silentLogger } from '../../../core/ports/logger.ts';
import type { StepEngine } from '../../../core/steps/engine.ts';
import { ConnectPacer, DOWN_SYNC_MS, memoryCeilingBytes } from '../../../core/streams/reconnect-policy.ts';
import { DEFAULT_ALLOWLIST } from '../../../core/streams/user-data-frames.ts';
import { UserDataSink, type SinkResult } from '../../../core/streams/user-data-sink.ts';
import type { AccountRow } from '../../../core/trading/account.ts';
import { recordFrame } from '../../../core/trading/account.ts';
import { applyRowEffects } from '../../../core/trading/apply-row-effects.ts';
import { queueNotification, type NewNotification } from '../../../core/trading/audit.ts';
import { decryptCredentials, type ApiCredentials } from '../../../core/trading/credentials.ts';
import { tradingAccounts } from '../../../core/trading/reads.ts';
import { egressFetch } from '../../adapters/undici-fetch.ts';
import { AccountStream, type StreamStats } from './account-stream.ts';
import { inShard, type Shard } from './shard.ts';
import { systemTimers, type TimerHandle, type Timers } from './timers.ts';

/** Everything the daemon is built from; all timings have production defaults. */
export interface UserDataDaemonOptions {
  engine: StepEngine;
  /** Told the exchange event time of each frame enqueued (frame-lag metrics). */
  onEnqueued?: (eventTime: number) => void;
  /** AES-GCM key of the credentials columns; null = no account can be decrypted (each one is reported). */
  credentialsKey: CryptoKey | null;
  /** Binance REST base (listen keys), e.g. https://fapi.binance.com or the simulator's restUrl. */
  restUrl: string;
  /** WebSocket base, e.g. wss://fstream.binance.com/private or the simulator's wsUrl. */
  wsUrl: string;
  allowlist?: Iterable<string>;
  shard?: Shard;
  clock?: Clock;
  timers?: Timers;
  logger?: Logger;
  /** Listen-key client of one account (default: the Binance client on a keep-alive pool). */
  listenKeysFor?: (credentials: ApiCredentials, account: AccountRow) => Pick<ExchangeListenKeys, 'createListenKey' | 'keepAliveListenKey'>;
  /** Handshake spacing across all accounts (default 100 ms). */
  staggerMs?: number;
  keepAliveMs?: number;
  backoffCapMs?: number;
  /** How long a frame is retried while the store is down (default 60 s). */
  storeRetryMs?: number;
  /** While an account's socket is down, reconcile the account this often (default DOWN_SYNC_MS, 15 s). */
  downSyncMs?: number;
  refreshAccountsMs?: number;
  /** No frame and no ping for this long flags the account (default 15 min); checked every `watchdogEveryMs`. */
  silenceMs?: number;
  watchdogEveryMs?: number;
  /** Minimum spacing of accounts.last_frame_at writes per account (default 30 s). */
  lastFrameEveryMs?: number;
  memory?: { baseMb?: number; perAccountMb?: number; everyMs?: number; rss?: () => number; onExceeded?: (rss: number, ceiling: number) => void };
  /** Told after each frame was handled (benchmarks). */
  onFrame?: (accountId: number, result: SinkResult, arrivedPerfMs: number) => void;
}

/** What a (re)connected account runs at once: the order poll's reconciliation, scoped to the account. */
export const CATCH_UP_HANDLER = 'trading.sync-orders';

interface Tracked {
  stream: AccountStream;
  account: AccountRow;
  lastWrittenAt: number;
  flagged: boolean;
}

/** A point-in-time view of the daemon (status page, tests). */
export interface DaemonStatus {
  accounts: number;
  open: number;
  broken: { accountId: number; reason: string }[];
  streams: ({ accountId: number } & StreamStats)[];
  bootSummary: string | null;
}

/** Runs the user-data streams of one shard. */
export class UserDataDaemon {
  readonly sink: UserDataSink;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly logger: Logger;
  private readonly pacer: ConnectPacer;
  private readonly tracked = new Map<number, Tracked>();
  private readonly downSync = new Map<number, TimerHandle>();
  private readonly broken = new Map<number, { reason: string; updatedAt: number }>();
  private readonly pending = new Map<number, 'connected' | 'failed'>();
  private awaitingBoot: Set<number> | null = null;
  private bootSummary: string | null = null;
  private readonly loops: TimerHandle[] = [];
  private stopped = false;
  private closeFetch: (() => Promise<void>) | null = null;
  private listenKeysFor: NonNullable<UserDataDaemonOptions['listenKeysFor']>;

  constructor(private readonly o: UserDataDaemonOptions) {
    this.clock = o.clock ?? systemClock;
    this.timers = o.timers ?? systemTimers();
    this.logger = (o.logger ?? silentLogger).child({ daemon: 'user-data-stream' });
    this.pacer = new ConnectPacer(o.staggerMs ?? 100);
    this.sink = new UserDataSink({ engine: o.engine, allowlist: o.allowlist ?? DEFAULT_ALLOWLIST, logger: this.logger, onEnqueued: o.onEnqueued });
    this.listenKeysFor = o.listenKeysFor ?? this.binanceListenKeys();
  }

  /** Loads the shard's accounts, starts their streams (staggered) and the periodic checks. */
  async start(): Promise<void> {
    const accounts = await this.loadAccounts();
    const boot = new Set<number>();
    for (const account of accounts) {
      if (await this.add(account)) boot.add(account.id);
    }
    // Set only now: a stream that connects while later accounts are still being added must not
    // trigger the summary for a partial set.
    this.awaitingBoot = boot;
    this.logger.info(`user-data streams: starting ${boot.size} account(s)${this.o.shard ? ` (shard ${this.o.shard.index}/${this.o.shard.count})` : ''}, `
      + `${this.sink.enqueuing ? `enqueuing ${[...this.sink.allowlist].join(',')}` : 'shadow mode (audit only)'}`);
    this.maybeSummarise();
    this.every(this.o.refreshAccountsMs ?? 60_000, () => this.refresh());
    this.every(this.o.watchdogEveryMs ?? 60_000, () => this.watchdog());
    this.every(this.o.memory?.everyMs ?? 30_000, () => this.checkMemory());
  }

  /** Stops every stream and loop; frames already received are stored first. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const id of [...this.downSync.keys()]) this.stopDownSync(id);
    for (const t of this.loops) this.timers.clearTimeout(t);
    await Promise.all([...this.tracked.values()].map((t) => t.stream.stop()));
    this.tracked.clear();
    await this.closeFetch?.();
  }

  /** The stream of one account (tests, admin). */
  stream(accountId: number): AccountStream | undefined {
    return this.tracked.get(accountId)?.stream;
  }

  /** Counters of every stream. */
  status(): DaemonStatus {
    const streams = [...this.tracked.entries()].map(([accountId, t]) => ({ accountId, ...t.stream.stats }));
    return {
      accounts: this.tracked.size, open: streams.filter((s) => s.state === 'open').length,
      broken: [...this.broken.entries()].map(([accountId, b]) => ({ accountId, reason: b.reason })), streams, bootSummary: this.bootSummary,
    };
  }

  /** Runs the account refresh now (tests; the loop does it every minute). */
  async refresh(): Promise<void> {
    const accounts = await this.loadAccounts();
    const wanted = new Set(accounts.map((a) => a.id));
    for (const [id, t] of this.tracked) {
      if (wanted.has(id)) continue;
      this.tracked.delete(id);
      this.logger.info('user-data stream: account no longer trading, closing its stream', { account: id });
      await t.stream.stop();
    }
    for (const account of accounts) {
      const broken = this.broken.get(account.id);
      if (this.tracked.has(account.id) || (broken && broken.updatedAt === account.updatedAt)) continue;
      await this.add(account);
    }
  }

  /** Flags (and recycles) accounts with no frame and no ping for the silence window; returns their ids. */
  watchdog(): number[] {
    const now = this.clock.now();
    const silenceMs = this.o.silenceMs ?? 15 * 60_000;
    const flagged: number[] = [];
    for (const [id, t] of this.tracked) {
      const last = t.stream.stats.lastSeenAt;
      const since = t.stream.stats.lastSeenAt ?? t.stream.startedAt;
      if (now - since < silenceMs) {
        if (last !== null) t.flagged = false;
        continue;
      }
      flagged.push(id);
      if (!t.flagged) {
        t.flagged = true;
        const minutes = Math.round((now - since) / 60_000);
        this.logger.warn(`user-data stream silent: no frame and no ping for ${minutes} min`, { account: id });
        this.notify({ subject: `User-data stream silent (account ${id})`, message: `No frame and no ping for ${minutes} minutes; reconnecting with a fresh listen key. The order sync poll covers the gap.`, severity: 'warning', throttleKey: `user-data-silent:${id}`, accountId: id });
      }
      t.stream.recycle('watchdog: silent stream');
    }
    return flagged;
  }

  /** Compares RSS with the ceiling for the current account count; returns both (tests, status). */
  checkMemory(): { rss: number; ceiling: number; exceeded: boolean } {
    const rss = (this.o.memory?.rss ?? (() => process.memoryUsage.rss()))();
    const ceiling = memoryCeilingBytes(this.tracked.size, this.o.memory);
    const exceeded = rss > ceiling;
    if (exceeded) {
      const mb = (b: number) => `${Math.round(b / 1048576)} MB`;
      this.logger.error(`user-data daemon over its memory ceiling: RSS ${mb(rss)} > ${mb(ceiling)} for ${this.tracked.size} account(s)`);
      this.o.memory?.onExceeded?.(rss, ceiling);
    }
    return { rss, ceiling, exceeded };
  }

  private async loadAccounts(): Promise<AccountRow[]> {
    const all = await tradingAccounts(this.o.engine.o.store);
    return all.filter((a) => !this.o.shard || inShard(a.id, this.o.shard)).sort((a, b) => a.id - b.id);
  }

  // Decrypts and starts one account; a bad key or ciphertext marks only this account broken.
  private async add(account: AccountRow): Promise<boolean> {
    let credentials: ApiCredentials;
    try {
      if (!this.o.credentialsKey) throw new Error('KRAITE_CREDENTIALS_KEY is not set');
      credentials = await decryptCredentials(this.o.credentialsKey, account);
    } catch (error) {
      const reason = `credentials: ${error instanceof Error ? error.message : String(error)}`;
      this.broken.set(account.id, { reason, updatedAt: account.updatedAt });
      this.logger.error(`user-data stream not started: ${reason}`, { account: account.id });
      this.outcome(account.id, 'failed');
      return false;
    }
    if (this.stopped) return false;
    this.broken.delete(account.id);
    const stream = new AccountStream({
      accountId: account.id, listenKeys: this.listenKeysFor(credentials, account), wsBaseUrl: this.o.wsUrl, sink: this.sink,
      clock: this.clock, timers: this.timers, pacer: this.pacer, logger: this.logger, keepAliveMs: this.o.keepAliveMs, backoffCapMs: this.o.backoffCapMs, storeRetryMs: this.o.storeRetryMs,
      onSeen: (id, at) => this.seen(id, at),
      onConnected: (id) => {
        this.stopDownSync(id);
        this.catchUp(id);
      },
      onDown: (id) => this.startDownSync(id),
      onFirstOutcome: (id, outcome) => this.outcome(id, outcome),
      onFrame: this.o.onFrame ? (result, arrived) => this.o.onFrame!(account.id, result, arrived) : undefined,
    });
    this.tracked.set(account.id, { stream, account, lastWrittenAt: -Infinity, flagged: false });
    stream.start();
    return true;
  }

  // Whatever happened while the socket was down (fills, cancels, a position closed by hand) reached
  // nobody: reconcile the account's working orders and positions now instead of at the next poll.
  // Off in shadow mode, like the frames themselves; a failed start is left to the 5-minute poll.
  private catchUp(accountId: number): void {
    if (this.stopped || !this.sink.enqueuing || !this.o.engine.o.registry.has(CATCH_UP_HANDLER)) return;
    this.o.engine.start([{ handler: CATCH_UP_HANDLER, args: { accountId } }], { set: 'trading' }).then(
      () => this.logger.debug('user-data stream connected: account catch-up sync started', { account: accountId }),
      (error: unknown) => this.logger.warn('could not start the catch-up sync after a connect: the order poll covers it', { account: accountId, error }),
    );
  }

  // While the socket is down the account is reconciled every downSyncMs: a stop that triggers, or
  // rungs that fill behind it, during an outage are acted on within that period, not at reconnect.
  private startDownSync(accountId: number): void {
    if (this.stopped || this.downSync.has(accountId)) return;
    const every = this.o.downSyncMs ?? DOWN_SYNC_MS;
    const arm = () => this.downSync.set(accountId, this.timers.setTimeout(() => {
      if (this.stopped || !this.downSync.has(accountId)) return;
      this.catchUp(accountId);
      arm();
    }, every));
    arm();
  }

  private stopDownSync(accountId: number): void {
    this.timers.clearTimeout(this.downSync.get(accountId) ?? null);
    this.downSync.delete(accountId);
  }

  // last_frame_at, at most every lastFrameEveryMs per account; a failed write is retried by the next frame.
  private seen(accountId: number, at: number): void {
    const t = this.tracked.get(accountId);
    if (!t || at - t.lastWrittenAt < (this.o.lastFrameEveryMs ?? 30_000)) return;
    t.lastWrittenAt = at;
    this.o.engine.o.store.transaction((tx) => applyRowEffects(tx, [recordFrame(accountId, at)])).catch((error: unknown) => {
      t.lastWrittenAt = -Infinity;
      this.logger.warn('could not record last_frame_at', { account: accountId, error });
    });
  }

  private outcome(accountId: number, outcome: 'connected' | 'failed'): void {
    this.pending.set(accountId, outcome);
    this.maybeSummarise();
  }

  // One line (and one notification) once every account started at boot has connected or failed once.
  private maybeSummarise(): void {
    const boot = this.awaitingBoot;
    if (!boot || this.bootSummary !== null || [...boot].some((id) => !this.pending.has(id))) return;
    const failed = [...this.broken.keys(), ...[...boot].filter((id) => this.pending.get(id) === 'failed')];
    const connected = boot.size - [...boot].filter((id) => this.pending.get(id) === 'failed').length;
    this.bootSummary = `user-data streams up: ${connected} of ${boot.size + this.broken.size} account(s) connected`
      + (failed.length > 0 ? `; not connected: ${[...new Set(failed)].sort((a, b) => a - b).join(', ')} (retrying with backoff)` : '');
    this.logger[failed.length > 0 ? 'warn' : 'info'](this.bootSummary);
    if (boot.size + this.broken.size > 0) this.notify({ subject: 'User-data streams started', message: this.bootSummary, severity: failed.length > 0 ? 'warning' : 'info', throttleKey: 'user-data-boot' });
  }

  private notify(n: NewNotification): void {
    this.o.engine.o.store.transaction((tx) => applyRowEffects(tx, [queueNotification(n, this.clock.now())])).catch((error: unknown) => {
      this.logger.warn('could not queue a notification', { subject: n.subject, error });
    });
  }

  private every(ms: number, fn: () => unknown): void {
    const arm = () => {
      const handle = this.timers.setTimeout(() => {
        const i = this.loops.indexOf(handle);
        if (i >= 0) this.loops.splice(i, 1);
        if (this.stopped) return;
        try {
          const r = fn();
          if (r instanceof Promise) r.catch((error: unknown) => this.logger.error('user-data daemon loop failed', { error }));
        } catch (error) {
          this.logger.error('user-data daemon loop failed', { error });
        }
        arm();
      }, ms);
      this.loops.push(handle);
    };
    arm();
  }

  private binanceListenKeys(): NonNullable<UserDataDaemonOptions['listenKeysFor']> {
    let pool: ReturnType<typeof egressFetch> | null = null;
    return (credentials, account) => {
      pool ??= egressFetch({ connections: 8 });
      this.closeFetch = () => pool!.close();
      return new BinanceUsdmClient({ baseUrl: this.o.restUrl, apiKey: credentials.apiKey, secret: credentials.apiSecret, clock: this.clock, fetch: pool.fetch, accountId: String(account.id) });
    };
  }
}
