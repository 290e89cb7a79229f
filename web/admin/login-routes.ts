// GET/POST /login and POST /logout. The login form carries a pre-session double-submit token
// (cookie scoped to /login plus a hidden field) so a third-party page cannot sign a browser in.
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import type { AdminDeps, AdminEnv } from './admin-deps.ts';
import { readForm, validateForm } from './form.ts';
import { ADMIN_SHELL, page, type Shell } from './layout.ts';
import type { LoginThrottle } from './login-throttle.port.ts';
import { currentSession } from './require-session.ts';
import { clearCookie, LOGIN_COOKIE, readCookie, SESSION_COOKIE, setStrictCookie } from './session-cookie.ts';
import { constantTimeEqual, randomToken, sha256Hex } from './tokens.ts';
import type { AdminUser } from './users.port.ts';
import { usernameSchema } from './username.ts';

/** The ports the login routes use (the admin's, or the console's). */
export type LoginDeps = Pick<AdminDeps, 'users' | 'sessions' | 'passwords' | 'audit' | 'clock' | 'clientAddress'>;

/** How long an address a user signed in from stays trusted for that user (90 days). */
export const TRUSTED_ADDRESS_MS = 90 * 24 * 60 * 60_000;

/** What the login routes need beyond the ports. */
export interface LoginRoutesOptions {
  throttle: LoginThrottle;
  sessionTtlMs: number;
  allowInsecureLocalhostCookies: boolean;
  /** Whose sign-in form this is (the console reuses these routes). */
  shell?: Shell;
  /** How the audit names a user (the console prefixes `console:` so traders and operators never share trust). */
  auditName?: (username: string) => string;
}

const loginForm = z.object({
  username: usernameSchema,
  password: z.string({ error: 'is required' }).min(1, 'must not be empty').max(1024, 'must be at most 1024 characters'),
  next: z.string().optional(),
});

/** Only same-site absolute paths; anything else (//evil, https://…) goes to the dashboard. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) && !next.startsWith('/login') && !next.startsWith('/logout') ? next : '/';
}

function loginPage(shell: Shell, token: string, next: string, error?: string, username = '') {
  return page({
    title: 'Sign in', shell,
    body: html`<form class="login" method="post" action="/login"><h1>${shell.name}</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<input type="hidden" name="_csrf" value="${token}"><input type="hidden" name="next" value="${next}">
<label>Username <input name="username" autocomplete="username" value="${username}" required autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>`,
  });
}

/** The login and logout routes. */
export function loginRoutes(deps: LoginDeps, options: LoginRoutesOptions): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const insecure = options.allowInsecureLocalhostCookies;
  const shell = options.shell ?? ADMIN_SHELL;
  // Unknown users still cost one hash check, so timing does not reveal which usernames exist.
  let dummyHash: Promise<string> | undefined;
  const ipOf = (c: Context) => deps.clientAddress?.(c) ?? null;
  const auditName = options.auditName ?? ((username: string) => username);

  app.get('/login', async (c) => {
    if (await currentSession(deps.sessions, deps.clock, readCookie(c, SESSION_COOKIE))) return c.redirect('/', 302);
    // Reuse this browser's form token: a second tab, or the redirect of a favicon or prefetch
    // request, must not invalidate the form already on screen.
    const existing = readCookie(c, LOGIN_COOKIE);
    const token = existing && /^[\w-]{43}$/.test(existing) ? existing : randomToken();
    setStrictCookie(c, LOGIN_COOKIE, token, { maxAgeSeconds: 3600, path: '/login', allowInsecureLocalhost: insecure });
    c.header('Cache-Control', 'no-store');
    return c.html(loginPage(shell, token, safeNext(c.req.query('next'))));
  });

  app.post('/login', async (c) => {
    const form = await readForm(c);
    const formToken = readCookie(c, LOGIN_COOKIE);
    if (!formToken || !constantTimeEqual(form._csrf ?? '', formToken)) return c.text('Forbidden: the sign-in form expired or was not sent by this site; reload /login and try again', 403);
    const parsed = validateForm(loginForm, form);
    if (!parsed.ok) return c.html(loginPage(shell, formToken, safeNext(form.next), parsed.message, form.username ?? ''), 400);
    const { username, password } = parsed.value;
    const next = safeNext(parsed.value.next);
    const ip = ipOf(c);
    const who = auditName(username);
    const base = { at: deps.clock.now(), who, action: 'login', ip };

    // An address this user signed in from before is throttled on its own failures only, so guesses
    // from elsewhere slow the attacker without locking the owner out.
    const trusted = ip !== null && await deps.audit.signedInFrom(who, ip, deps.clock.now() - TRUSTED_ADDRESS_MS);
    const reservation = await options.throttle.reserve([`ip:${ip ?? 'unknown'}`, trusted ? `pair:${username}@${ip}` : `user:${username}`], trusted);
    if (!reservation.ok) {
      const seconds = Math.ceil(reservation.retryAfterMs / 1000);
      const why = reservation.reason === 'busy' ? 'too many sign-ins at once' : `back-off, ${seconds} s`;
      await deps.audit.record({ ...base, outcome: 'refused', detail: `throttled (${why})` });
      c.header('Retry-After', String(seconds));
      return c.html(loginPage(shell, formToken, next, `Too many sign-in attempts: try again in ${seconds} s.`, username), 429);
    }

    let user: AdminUser | null = null;
    let valid = false;
    // Read before the user is: a password reset after this instant ends the session made below.
    const checkedAt = deps.clock.now();
    try {
      user = await deps.users.findByUsername(username);
      valid = user
        ? await deps.passwords.verify(password, user.passwordHash)
        : (await deps.passwords.verify(password, await (dummyHash ??= deps.passwords.hash(randomToken()))), false);
    } finally {
      await (user && valid && !user.disabled ? reservation.succeeded() : reservation.failed());
    }
    if (!user || !valid || user.disabled) {
      await deps.audit.record({ ...base, outcome: 'failed', detail: user && valid ? 'user disabled' : 'invalid username or password' });
      return c.html(loginPage(shell, formToken, next, 'Invalid username or password.', username), 401);
    }

    // Hashes made at an older, cheaper cost are replaced now that the password is known.
    const rehash = deps.passwords.needsRehash(user.passwordHash);
    if (rehash) await deps.users.setPasswordHash(user.id, await deps.passwords.hash(password), deps.clock.now());
    const now = deps.clock.now();
    // A fresh token on every sign-in (no fixation); the old session, if any, ends here.
    const previous = readCookie(c, SESSION_COOKIE);
    if (previous && previous.length <= 128) await deps.sessions.delete(await sha256Hex(previous));
    await deps.sessions.deleteExpired(now);
    const token = randomToken();
    await deps.sessions.create({ key: await sha256Hex(token), userId: user.id, username: user.username, csrfToken: randomToken(), createdAt: checkedAt, expiresAt: now + options.sessionTtlMs });
    setStrictCookie(c, SESSION_COOKIE, token, { maxAgeSeconds: Math.floor(options.sessionTtlMs / 1000), path: '/', allowInsecureLocalhost: insecure });
    clearCookie(c, LOGIN_COOKIE, '/login', insecure);
    await deps.audit.record({ ...base, outcome: 'ok', detail: rehash ? 'password rehashed at the current cost' : null });
    return c.redirect(next, 303);
  });

  app.post('/logout', async (c) => {
    const session = c.get('session');
    await deps.sessions.delete(session.key);
    clearCookie(c, SESSION_COOKIE, '/', insecure);
    await deps.audit.record({ at: deps.clock.now(), who: auditName(session.username), action: 'logout', outcome: 'ok', ip: ipOf(c) });
    return c.redirect('/login', 303);
  });

  return app;
}
