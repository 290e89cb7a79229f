// First run: when no operator exists yet, create `admin` with a random password so a new user of
// `npm start` can sign in at once. The caller prints the credentials; they are never stored in clear.
import type { Clock } from '../../core/ports/clock.ts';
import type { PasswordHasher } from './passwords.port.ts';
import { randomToken } from './tokens.ts';

/** The slice of a user store first run needs. */
export interface FirstRunUserStore {
  count(): Promise<number>;
  create(username: string, passwordHash: string, now: number): Promise<unknown>;
}

/** The first operator's name. */
export const FIRST_RUN_USERNAME = 'admin';

/** Creates the first user (`admin` unless named) when there is none; returns the credentials to print once, or null. */
export async function ensureFirstOperator(users: FirstRunUserStore, passwords: PasswordHasher, clock: Clock, username = FIRST_RUN_USERNAME): Promise<{ username: string; password: string } | null> {
  if ((await users.count()) > 0) return null;
  const password = randomToken(15);
  try {
    await users.create(username, await passwords.hash(password), clock.now());
  } catch (error) {
    // Another process won the race and created it: that one prints the credentials.
    if ((await users.count()) > 0) return null;
    throw error;
  }
  return { username, password };
}
