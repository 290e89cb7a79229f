// In-memory users, sessions and audit log: for tests and for the embedded (no DATABASE_URL) mode.
import type { AuditEntry, AuditLog } from './audit.port.ts';
import type { AdminSession, AdminSessionStore } from './sessions.port.ts';
import type { AdminUser, AdminUserStore } from './users.port.ts';

/** Operators kept in a map. */
export class MemoryAdminUserStore implements AdminUserStore {
  private readonly users = new Map<string, AdminUser>();
  private nextId = 1;

  /** Adds (or replaces) a user; returns it. */
  add(username: string, passwordHash: string): AdminUser {
    const user = { id: this.users.get(username)?.id ?? this.nextId++, username, passwordHash, disabled: false };
    this.users.set(username, user);
    return user;
  }

  async findByUsername(username: string): Promise<AdminUser | null> {
    const user = this.users.get(username);
    return user ? { ...user } : null;
  }

  async setPasswordHash(userId: number, passwordHash: string): Promise<void> {
    for (const user of this.users.values()) if (user.id === userId) user.passwordHash = passwordHash;
  }

  /** Disables (or enables) a user; returns false when there is no such user. */
  setDisabled(username: string, disabled: boolean): boolean {
    const user = this.users.get(username);
    if (user) user.disabled = disabled;
    return user !== undefined;
  }

  /** How many operators exist. */
  async count(): Promise<number> {
    return this.users.size;
  }

  /** Adds a user; throws when the name is taken (as the MySQL store does). */
  async create(username: string, passwordHash: string): Promise<AdminUser> {
    if (this.users.has(username)) throw new Error(`user "${username}" already exists`);
    return this.add(username, passwordHash);
  }
}

/** Sessions kept in a map. */
export class MemoryAdminSessionStore implements AdminSessionStore {
  private readonly sessions = new Map<string, AdminSession>();

  async create(session: AdminSession): Promise<void> {
    this.sessions.set(session.key, { ...session });
  }

  async find(key: string, now: number): Promise<AdminSession | null> {
    const session = this.sessions.get(key);
    return session && session.expiresAt > now ? { ...session } : null;
  }

  async delete(key: string): Promise<void> {
    this.sessions.delete(key);
  }

  async deleteExpired(now: number): Promise<number> {
    let removed = 0;
    for (const [key, session] of this.sessions) {
      if (session.expiresAt <= now) {
        this.sessions.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /** Ends every session of a user (a reset or a disable); returns how many. */
  async deleteForUser(userId: number): Promise<number> {
    let removed = 0;
    for (const [key, session] of this.sessions) {
      if (session.userId === userId) {
        this.sessions.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /** How many sessions are stored (live or not). */
  get size(): number {
    return this.sessions.size;
  }
}

/** An audit log that keeps entries in an array. */
export class MemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];

  async record(entry: AuditEntry): Promise<void> {
    this.entries.push({ ...entry });
  }

  async recent(limit = 100): Promise<AuditEntry[]> {
    return this.entries.slice(-limit).reverse().map((e) => ({ ...e }));
  }

  async signedInFrom(who: string, ip: string, since: number): Promise<boolean> {
    return this.entries.some((e) => e.action === 'login' && e.outcome === 'ok' && e.who === who && e.ip === ip && e.at >= since);
  }
}
