// The user-data socket of the soak, in-process: frames the simulator publishes for the account go
// through the simulator's own frame faults (drop, duplicate), a delay line that lets later frames
// overtake held ones (delayed and reordered frames), and socket outages (frames sent while the
// socket is down are lost, as Binance does not replay them); then into the real UserDataSink,
// one frame at a time in arrival order like the daemon, which audits and enqueues the steps.
import type { SimExchange } from '../../../core/sim/sim-exchange.ts';
import type { Frame } from '../../../core/sim/user-events.ts';
import { DOWN_SYNC_MS } from '../../../core/streams/reconnect-policy.ts';
import type { UserDataSink } from '../../../core/streams/user-data-sink.ts';

/** What the socket did to frames, for the fault-rate figures. */
export interface StreamCounts {
  delivered: number;
  dropped: number;
  duplicated: number;
  delayed: number;
  lostInOutage: number;
  outages: number;
  /** Frames the sink refused (left to the poll, as the daemon does after its retries). */
  sinkFailures: number;
}

/** One account's simulated socket. */
export class SoakStream {
  readonly counts: StreamCounts = { delivered: 0, dropped: 0, duplicated: 0, delayed: 0, lostInOutage: 0, outages: 0, sinkFailures: 0 };
  private downUntil: number | null = null;
  private reconnectMs = 1_000;
  private readonly delays: { count: number; ms: number }[] = [];
  private held: { due: number; seq: number; frame: Frame }[] = [];
  private seq = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private inSink = 0;
  private readonly unsubscribe: () => void;

  /** As the daemon does (user-data-daemon.ts): the account is reconciled every DOWN_SYNC_MS while down, and at reconnect. */
  private nextSyncAt: number | null = null;

  constructor(
    private readonly sim: SimExchange, private readonly sink: UserDataSink, private readonly accountId: number, private readonly apiKey: string,
    private readonly sync: () => void = () => {},
  ) {
    this.unsubscribe = sim.subscribe((e) => {
      if (e.kind === 'drop-connections' && e.stream !== 'market' && (!e.apiKey || e.apiKey === apiKey)) {
        this.counts.outages++;
        this.downUntil = sim.state.clock.now() + this.reconnectMs;
        this.nextSyncAt ??= sim.state.clock.now() + DOWN_SYNC_MS;
      } else if (e.kind === 'user' && e.apiKey === apiKey) {
        this.receive(e.frame);
      }
    });
  }

  /** Drops the socket through the simulator; it comes back after `ms`. */
  outage(ms: number): void {
    this.reconnectMs = ms;
    this.sim.faults.dropConnections('user', this.apiKey);
    this.reconnectMs = 1_000;
  }

  /** Holds the next `count` frames for `ms` each. */
  delayNext(count: number, ms: number): void {
    this.delays.push({ count, ms });
  }

  /** Faults off: no more delays; the socket reconnects now. Frames already held still arrive when due. */
  heal(): void {
    this.delays.length = 0;
    if (this.downUntil !== null) this.sync();
    this.downUntil = null;
    this.nextSyncAt = null;
  }

  /** The next moment the socket has something to do (a held frame falls due, a reconnect), or null. */
  nextWakeAt(): number | null {
    const times = [...this.held.map((h) => h.due), ...(this.downUntil === null ? [] : [this.downUntil]), ...(this.nextSyncAt === null ? [] : [this.nextSyncAt])];
    return times.length ? Math.min(...times) : null;
  }

  /** Reconnects and delivers held frames that are due at the current time. */
  wake(): void {
    const now = this.sim.state.clock.now();
    if (this.downUntil !== null && this.downUntil <= now) {
      // Reconnected: catch up at once, as the daemon does on every connect.
      this.downUntil = null;
      this.nextSyncAt = null;
      this.sync();
    } else if (this.downUntil !== null && this.nextSyncAt !== null && this.nextSyncAt <= now) {
      this.nextSyncAt = now + DOWN_SYNC_MS;
      this.sync();
    }
    const due = this.held.filter((h) => h.due <= now).sort((a, b) => a.due - b.due || a.seq - b.seq);
    this.held = this.held.filter((h) => h.due > now);
    for (const h of due) this.deliver(h.frame);
  }

  /** Resolves once every delivered frame has been taken by the sink. */
  async drained(): Promise<void> {
    for (;;) {
      const current = this.chain;
      await current;
      if (current === this.chain) return;
    }
  }

  /** Whether a delivered frame is still on its way into the sink. */
  get busy(): boolean {
    return this.inSink > 0;
  }

  /** Stops listening to the simulator. */
  close(): void {
    this.unsubscribe();
  }

  private receive(frame: Frame): void {
    if (this.downUntil !== null) {
      this.counts.lostInOutage++;
      return;
    }
    const decision = this.sim.faults.takeFrame({ stream: 'user', apiKey: this.apiKey }, frame);
    if (decision === 'drop') {
      this.counts.dropped++;
      return;
    }
    const copies = decision === 'duplicate' ? 2 : 1;
    if (decision === 'duplicate') this.counts.duplicated++;
    const delay = this.delays[0];
    if (delay) {
      if (--delay.count <= 0) this.delays.shift();
      this.counts.delayed++;
      const due = this.sim.state.clock.now() + delay.ms;
      for (let i = 0; i < copies; i++) this.held.push({ due, seq: this.seq++, frame });
      return;
    }
    for (let i = 0; i < copies; i++) this.deliver(frame);
  }

  private deliver(frame: Frame): void {
    this.counts.delivered++;
    // The socket hands over text; the sink parses and validates it like a real frame.
    const text = JSON.stringify(frame);
    const at = this.sim.state.clock.now();
    this.inSink++;
    this.chain = this.chain.then(() => this.sink.accept(this.accountId, text, at))
      .catch(() => void this.counts.sinkFailures++)
      .finally(() => void this.inSink--);
  }
}
