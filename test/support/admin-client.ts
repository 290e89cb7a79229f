// A browser-like client over an admin app's app.request() (no server, no sockets) or over real HTTP
// (httpTarget): keeps cookies, reads the CSRF token from pages, posts forms.

/** Anything that answers a request: a Hono app (app.request) or a live server (httpTarget). */
export interface RequestTarget {
  request(url: string, init?: RequestInit): Response | Promise<Response>;
}

/** A target that sends real HTTP requests (redirects not followed, as app.request does). */
export const httpTarget: RequestTarget = { request: (url, init) => fetch(url, { ...init, redirect: 'manual' }) };

/** The `name="_csrf"` hidden field's value in a page. */
export function csrfFrom(page: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!token) throw new Error(`no _csrf field in page: ${page.slice(0, 200)}`);
  return token;
}

/** One Set-Cookie header parsed into its name, value and attributes (lower-case keys). */
export function parseSetCookie(header: string): { name: string; value: string; attributes: Record<string, string | true> } {
  const [pair, ...rest] = header.split(';').map((p) => p.trim());
  const eq = pair!.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const at = part.indexOf('=');
    if (at < 0) attributes[part.toLowerCase()] = true;
    else attributes[part.slice(0, at).toLowerCase()] = part.slice(at + 1);
  }
  return { name: pair!.slice(0, eq), value: decodeURIComponent(pair!.slice(eq + 1)), attributes };
}

/** A cookie jar plus helpers for one simulated browser. */
export class AdminClient {
  readonly cookies = new Map<string, string>();
  /** The Set-Cookie headers of the last response. */
  lastSetCookies: string[] = [];

  constructor(private readonly app: RequestTarget, readonly origin = 'https://admin.test', private readonly headers: Record<string, string> = {}) {}

  /** Sends a request with the jar's cookies and keeps the cookies the response sets. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(this.headers)) if (!headers.has(k)) headers.set(k, v);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await this.app.request(`${this.origin}${path}`, { ...init, headers });
    this.lastSetCookies = res.headers.getSetCookie();
    for (const header of this.lastSetCookies) {
      const cookie = parseSetCookie(header);
      if (cookie.attributes['max-age'] === '0' || cookie.value === '') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return res;
  }

  get(path: string): Promise<Response> {
    return this.request(path);
  }

  /** POSTs a urlencoded form. */
  postForm(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { method: 'POST', body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }

  /** Opens /login and submits it; returns the POST's response. */
  async login(username: string, password: string, extra: Record<string, string> = {}): Promise<Response> {
    const page = await (await this.get('/login')).text();
    return this.postForm('/login', { _csrf: csrfFrom(page), username, password, ...extra });
  }

  /** The signed-in session's CSRF token, read from the dashboard page. */
  async csrf(): Promise<string> {
    return csrfFrom(await (await this.get('/')).text());
  }
}
