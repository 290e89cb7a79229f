// Server-side sessions. The cookie carries an opaque random token; stores only ever see its
// SHA-256 (the key), so reading the sessions table does not hand out live sessions.

/** One signed-in operator. */
export interface AdminSession {
  /** SHA-256 hex of the cookie token. */
  key: string;
  userId: number;
  username: string;
  /** The per-session CSRF token every state-changing request must echo. */
  csrfToken: string;
  /** When the sign-in that made it began (before the password check), so a reset during the check ends it. */
  createdAt: number;
  expiresAt: number;
}

/** Where sessions live between requests. */
export interface AdminSessionStore {
  create(session: AdminSession): Promise<void>;
  /** The session under `key` if it has not expired at `now`, else null. */
  find(key: string, now: number): Promise<AdminSession | null>;
  delete(key: string): Promise<void>;
  /** Removes sessions expired at `now`; returns how many. */
  deleteExpired(now: number): Promise<number>;
  /** Ends every session of a user at once (a password reset or a disable); returns how many. */
  deleteForUser(userId: number): Promise<number>;
}
