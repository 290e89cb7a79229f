// The session cookie and the login form's pre-session CSRF cookie, with one rule for Secure:
// always on, except (when the option allows it) for a request to http://localhost.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/** The session cookie's name. */
export const SESSION_COOKIE = 'kraite_session';
/** The login form's double-submit cookie (scoped to /login). */
export const LOGIN_COOKIE = 'kraite_login';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether cookies set on this request carry Secure. */
export function secureFor(c: Context, allowInsecureLocalhost: boolean): boolean {
  const url = new URL(c.req.url);
  return !(allowInsecureLocalhost && url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}

/** Sets `name` HttpOnly, SameSite=Strict, Secure per `secureFor`, expiring after `maxAgeSeconds`. */
export function setStrictCookie(c: Context, name: string, value: string, options: { maxAgeSeconds: number; path: string; allowInsecureLocalhost: boolean }): void {
  setCookie(c, name, value, { httpOnly: true, sameSite: 'Strict', secure: secureFor(c, options.allowInsecureLocalhost), path: options.path, maxAge: options.maxAgeSeconds });
}

/** Expires `name` in the browser. */
export function clearCookie(c: Context, name: string, path: string, allowInsecureLocalhost: boolean): void {
  deleteCookie(c, name, { path, httpOnly: true, sameSite: 'Strict', secure: secureFor(c, allowInsecureLocalhost) });
}

/** The value of cookie `name`, if sent. */
export function readCookie(c: Context, name: string): string | undefined {
  return getCookie(c, name);
}
