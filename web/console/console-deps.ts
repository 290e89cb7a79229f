// What the trader console is built from: its own users and sessions (never the operators'), the
// directory of which accounts each trader may see, the fleet's store, and the shared ports.
import type { Clock } from '../../core/ports/clock.ts';
import type { StepStore } from '../../core/steps/step-store.port.ts';
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
