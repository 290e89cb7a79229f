// The gate in front of every admin route but /login, /health, /favicon.ico and /static/*: a live session
// (else a redirect to /login, or 401 JSON under /api/ and /queues/api/), and on POST/PUT/PATCH/DELETE the session's
// CSRF token from the x-csrf-token header or the _csrf form field (else 403).
import type { MiddlewareHandler } from 'hono';
import type { Clock } from '../../core/ports/clock.ts';
import type { AdminEnv } from './admin-deps.ts';
import { readForm } from './form.ts';
import { readCookie, SESSION_COOKIE } from './session-cookie.ts';
import type { AdminSession, AdminSessionStore } from './sessions.port.ts';
import { constantTimeEqual, sha256Hex } from './tokens.ts';

/** Paths reachable without a session. */
export function isPublicPath(path: string): boolean {
  return path === '/login' || path === '/health' || path === '/favicon.ico' || path.startsWith('/static/');
}

/** JSON endpoints (the admin's /api/ and the queue board's /queues/api/) answer 401/403 as JSON, not a redirect. */
export function isApiPath(path: string): boolean {
  return /^\/(queues\/)?api(\/|$)/.test(path);
}

/** The live session named by the request's cookie, or null. */
export async function currentSession(sessions: AdminSessionStore, clock: Clock, token: string | undefined): Promise<AdminSession | null> {
  if (!token || token.length > 128) return null;
  return sessions.find(await sha256Hex(token), clock.now());
}

/** Requires a session and, on state-changing methods, its CSRF token. */
export function requireSession(sessions: AdminSessionStore, clock: Clock): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    if (isPublicPath(c.req.path)) return next();
    const session = await currentSession(sessions, clock, readCookie(c, SESSION_COOKIE));
    if (!session) {
      if (isApiPath(c.req.path)) return c.json({ error: 'sign in required' }, 401);
      const back = c.req.method === 'GET' ? `?next=${encodeURIComponent(c.req.path + new URL(c.req.url).search)}` : '';
      return c.redirect(`/login${back}`, c.req.method === 'GET' ? 302 : 303);
    }
    c.set('session', session);
    if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
      const sent = c.req.header('x-csrf-token') ?? (await readForm(c))._csrf ?? '';
      if (!constantTimeEqual(sent, session.csrfToken)) {
        return isApiPath(c.req.path) ? c.json({ error: 'missing or invalid CSRF token' }, 403) : c.text('Forbidden: missing or invalid CSRF token (reload the page and try again)', 403);
      }
    }
    c.header('Cache-Control', 'no-store');
    return next();
  };
}
