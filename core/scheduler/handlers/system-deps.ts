// What the system handlers of the scheduler table are built with: the engine's maintenance calls,
// the cooldown port, and the thresholds that turn their readings into alerts.
import type { RecoveryReport } from '../../steps/recovery.ts';
import type { StepSet } from '../../steps/step.ts';
import type { CooldownPort } from '../cooldown.port.ts';

/** Construction parameters of the system handlers. */
export interface SystemDeps {
  /** One stale-recovery pass over a step set (recoverStale over the process's engine). */
  recover(set: StepSet): Promise<RecoveryReport>;
  /** Moves settled trees completed before `before` to the archive; returns steps moved. */
  archive(set: StepSet, before: number): Promise<number>;
  /** Deletes archived trees completed before `before`; returns steps deleted. */
  purge(set: StepSet, before: number): Promise<number>;
  cooldown: CooldownPort;
  /** A maintenance (cooldown) older than this pages (default 30 min). */
  maintenancePageMs?: number;
  /**
   * Symbols with an open position whose mark price was last written before `before` (or never);
   * the MySQL fleet joins in SQL; embedded paper trading (which records its simulator's marks) reads
   * its store's rows; absent in the embedded mode against an exchange (no mark-price daemon runs).
   */
  staleMarkPrices?(before: number): Promise<{ symbol: string; markPriceAt: number | null }[]>;
  /** Deletes candles past their timeframe's retention at `now`; absent without a SQL store. Returns rows deleted. */
  purgeKlines?(now: number): Promise<number>;
  /** A mark price older than this on an open position raises "mark price stale" (default 2 min). */
  markPriceStaleMs?: number;
  /**
   * Trading-enabled accounts whose user-data stream last showed life (a frame or a ping) before
   * `before`, or never since the account row last changed; absent where no user-data daemon runs
   * (embedded paper trading feeds its frames in-process).
   */
  staleUserDataStreams?(before: number): Promise<{ accountId: number; name: string; lastFrameAt: number | null }[]>;
  /** A trading account's stream silent for longer than this raises "user-data stream stale" (default 10 min). */
  userDataStaleMs?: number;
}

/** Defaults of the thresholds. */
export const SYSTEM_DEFAULTS = { maintenancePageMs: 30 * 60_000, markPriceStaleMs: 2 * 60_000, userDataStaleMs: 10 * 60_000 } as const;
