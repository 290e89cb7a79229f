// The admin's audit trail: who did what, when, and how it went.

/** One audited action (a login, a logout, a SQL query, a command run). */
export interface AuditEntry {
  at: number;
  /** The operator's username, or what they typed for a failed login. */
  who: string;
  /** What was done: `login`, `logout`, `sql`, `create-user`, … */
  action: string;
  /** The statement or command, when there is one. */
  subject?: string | null;
  outcome: 'ok' | 'refused' | 'failed';
  /** The refusal reason or error message. */
  detail?: string | null;
  rows?: number | null;
  durationMs?: number | null;
  ip?: string | null;
}

/** Appends and reads back audit entries. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** The newest `limit` entries, newest first (the commands page shows recent runs). */
  recent(limit?: number): Promise<AuditEntry[]>;
  /** Whether `who` signed in successfully from `ip` at or after `since` (the login throttle trusts such addresses). */
  signedInFrom(who: string, ip: string, since: number): Promise<boolean>;
}
