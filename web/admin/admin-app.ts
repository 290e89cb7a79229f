// The operator admin as a plain Hono app over ports, so tests call app.request() with no server and
// the Node entry (or a later Workers one) only supplies adapters.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AdminDeps, AdminEnv, AdminOptions } from './admin-deps.ts';
import { accountsRoutes } from './accounts-routes.ts';
import { backtestsRoutes } from './backtests-routes.ts';
import { commandsRoutes } from './commands-routes.ts';
import { controlRoutes } from './control-routes.ts';
import { dashboardRoutes } from './dashboard-routes.ts';
import { driftRoutes } from './drift-routes.ts';
import { ADMIN_LIVE_JS, ADMIN_THEME_JS } from './assets/admin-scripts.ts';
import { ADMIN_CSS } from './layout.ts';
import { liveRoutes } from './live-routes.ts';
import { MemoryLoginThrottle } from './memory-login-throttle.ts';
import { loginRoutes } from './login-routes.ts';
import { QUEUE_BOARD_PATH, queuesRoutes } from './queues-routes.ts';
import { regimeRoutes } from './regime-routes.ts';
import { requireSession } from './require-session.ts';
import { DEFAULT_SQL_LIMITS } from './sql-console.ts';
import { sqlRoutes } from './sql-routes.ts';
import { stepsRoutes } from './steps-routes.ts';
import { symbolsRoutes } from './symbols-routes.ts';
import { securityHeaders, STRICT_CSP } from '../security-headers.ts';
import { assetRoutes } from '../assets/asset-routes.ts';
import { tradingRoutes } from './trading-routes.ts';

/** Default absolute session lifetime: 8 hours. */
export const DEFAULT_SESSION_TTL_MS = 8 * 60 * 60_000;

/** Builds the admin app: security headers, body limit, the session gate, then the routes. */
export function createAdminApp(deps: AdminDeps, options: AdminOptions = {}): Hono<AdminEnv> {
  const sessionTtlMs = options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
  if (!(sessionTtlMs >= 60_000)) throw new RangeError('sessionTtlMs must be at least one minute');
  const allowInsecureLocalhostCookies = options.allowInsecureLocalhostCookies ?? false;
  const app = new Hono<AdminEnv>();

  const strictHeaders = securityHeaders();
  // bull-board's page sets <base> and inline styles; its scripts stay same-origin, and its
  // third-party web font is refused (the system font stands in).
  const boardHeaders = securityHeaders({ ...STRICT_CSP, styleSrc: ["'self'", "'unsafe-inline'"], baseUri: ["'self'"] });
  app.use('*', (c, next) => (deps.queueBoard && (c.req.path === QUEUE_BOARD_PATH || c.req.path.startsWith(`${QUEUE_BOARD_PATH}/`)) ? boardHeaders(c, next) : strictHeaders(c, next)));
  app.use('*', bodyLimit({ maxSize: 256 * 1024, onError: (c) => c.text('Payload too large', 413) }));
  app.use('*', requireSession(deps.sessions, deps.clock));

  app.get('/health', (c) => c.json({ ok: true }));
  // No icon: an empty answer, so browsers stop asking (and never meet the sign-in redirect).
  app.get('/favicon.ico', (c) => c.body(null, 204, { 'Cache-Control': 'public, max-age=86400' }));
  app.get('/static/admin.css', (c) => c.body(ADMIN_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }));
  const js = (body: string) => (c: Context) => c.body(body, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' });
  app.get('/static/admin-theme.js', js(ADMIN_THEME_JS));
  app.get('/static/admin-live.js', js(ADMIN_LIVE_JS));
  // The shared chart mechanism (the console's too): the library from the package and the drawing script.
  app.route('/', assetRoutes(deps.chartLibrary ?? null));
  app.route('/', loginRoutes(deps, { throttle: deps.loginThrottle ?? new MemoryLoginThrottle(() => deps.clock.now(), options.loginThrottle), sessionTtlMs, allowInsecureLocalhostCookies }));
  app.route('/', dashboardRoutes(deps));
  app.route('/', stepsRoutes(deps));
  app.route('/', tradingRoutes(deps));
  app.route('/', controlRoutes(deps));
  app.route('/', accountsRoutes(deps));
  app.route('/', sqlRoutes(deps, options.sqlLimits ?? DEFAULT_SQL_LIMITS));
  app.route('/', commandsRoutes(deps));
  app.route('/', regimeRoutes(deps));
  app.route('/', symbolsRoutes(deps));
  app.route('/', driftRoutes(deps));
  app.route('/', queuesRoutes(deps));
  app.route('/', backtestsRoutes(deps));
  app.route('/', liveRoutes(deps, options.live));

  app.onError((error, c) => {
    // Details go to the process log, never to the page.
    console.error(`admin: ${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
    return c.text('Internal error', 500);
  });
  return app;
}
