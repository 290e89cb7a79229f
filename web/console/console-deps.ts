// What the trader console is built from: its own users and sessions (never the operators'), the
// directory of which accounts each trader may see, the fleet's store, and the shared ports.
import type { Clock } from '../../core/ports/clock.ts';
import type { StepStore } from '../../core/steps/step-store.port.ts';
import type { PositionRow } from '../../core/trading/position.ts';
import type { ChartLibrarySource } from '../assets/asset-routes.ts';
import type { Candle } from './position-page.ts';
import type { AdminDeps } from '../admin/admin-deps.ts';
import type { AuditLog } from '../admin/audit.port.ts';
import type { PasswordHasher } from '../admin/passwords.port.ts';
import type { AdminSessionStore } from '../admin/sessions.port.ts';
import type { AdminUserStore } from '../admin/users.port.ts';

/** Which exchange accounts each trader owns. */
export interface ConsoleDirectory {
  accountIdsOf(userId: number): Promise<number[]>;
}

/** The ports the console runs on. */
export interface ConsoleDeps {
  users: AdminUserStore;
  sessions: AdminSessionStore;
  passwords: PasswordHasher;
  audit: AuditLog;
  clock: Clock;
  directory: ConsoleDirectory;
  /** Reads positions, orders and accounts; writes the curated account settings. */
  store: StepStore;
  clientAddress?: AdminDeps['clientAddress'];
  /** A shared login throttle (Redis with REDIS_URL); absent: one in this process's memory. */
  loginThrottle?: AdminDeps['loginThrottle'];
  /** Starts workflows on a position (close now); absent: the console offers no close. */
  control?: PositionControl;
  /** Candles of a symbol around a time span; absent: the klines the store holds. */
  candles?: (symbol: string, from: number, to: number) => Promise<Candle[]>;
  /** The chart library's text (web/assets/node/chart-library.ts on Node); absent: no charts drawn. */
  chartLibrary?: ChartLibrarySource;
  /** How often the live stream looks for changes (default 1 s). */
  liveIntervalMs?: number;
}

/** What the console may start on a position, through the step engine. */
export interface PositionControl {
  /** Starts the close workflow (idempotent per position); `reason` is recorded as the status reason. */
  close(position: PositionRow, reason: string): Promise<void>;
}

/** A directory kept in memory (tests, embedded mode). */
export class MemoryConsoleDirectory implements ConsoleDirectory {
  private readonly owned = new Map<number, Set<number>>();

  /** Gives `userId` access to `accountId`. */
  grant(userId: number, accountId: number): void {
    this.owned.set(userId, new Set([...(this.owned.get(userId) ?? []), accountId]));
  }

  async accountIdsOf(userId: number): Promise<number[]> {
    return [...(this.owned.get(userId) ?? [])].sort((a, b) => a - b);
  }
}
