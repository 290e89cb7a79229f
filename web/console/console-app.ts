// The trader console: the admin's stack (sessions, CSRF, login limiter, security headers) with its
// own users, and pages scoped to the signed-in trader's accounts: accounts, positions, and the
// curated settings. A trader never sees another trader's account (404, as if it did not exist).
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { html } from 'hono/html';
import { z } from 'zod';
import { setTradingEnabled, type AccountRow } from '../../core/trading/account.ts';
import { applyRowEffects } from '../../core/trading/apply-row-effects.ts';
import { getAccount, getPosition, getSymbol, ordersOf } from '../../core/trading/reads.ts';
import type { PositionRow } from '../../core/trading/position.ts';
import { isOpenPosition } from '../../core/trading/statuses.ts';
import { TABLES } from '../../core/trading/tables.ts';
import { DEFAULT_SESSION_TTL_MS } from '../admin/admin-app.ts';
import type { AdminEnv } from '../admin/admin-deps.ts';
import { STREAM_STALE_MS } from '../admin/dashboard-data.ts';
import { ago, badge } from '../admin/format.ts';
import { confirmField, confirmTick } from '../admin/confirm-tick.ts';
import { readForm, validateForm } from '../admin/form.ts';
import { ADMIN_CSS, page, type Markup, type Shell } from '../admin/layout.ts';
import type { LoginThrottleOptions } from '../admin/login-throttle.port.ts';
import { MemoryLoginThrottle } from '../admin/memory-login-throttle.ts';
import { loginRoutes } from '../admin/login-routes.ts';
import { requireSession } from '../admin/require-session.ts';
import { securityHeaders } from '../security-headers.ts';
import { assetRoutes, UI_PAGE } from '../assets/asset-routes.ts';
import { liveStream } from '../live/live-stream.ts';
import { MARKET_TABLES } from '../../core/market/tables.ts';
import { consoleFingerprint, loadConsoleView, symbolInfo } from './console-data.ts';
import { homeBody, positionFilters, positionsCsv, type PositionFilters } from './home-page.ts';
import { tickPlaces } from './money.ts';
import { closeConfirmBody, positionBody, type Candle } from './position-page.ts';
import type { ConsoleDeps } from './console-deps.ts';
import { toDecimalString } from '../../core/exchange/precision.ts';
import { SETTING_FIELDS, settingsColumns, settingsErrors, settingsSchema } from './settings-form.ts';
import { ladderPreview, settingsBody } from './settings-page.ts';
import { toExchangeSymbol, type ExchangeSymbolRow } from '../../core/trading/exchange-symbol.ts';

/** The console's name and navigation. */
export const CONSOLE_SHELL: Shell = { name: 'Kraite console', nav: [{ href: '/', label: 'My accounts' }] };

/** Console tunables. */
export interface ConsoleOptions {
  sessionTtlMs?: number;
  allowInsecureLocalhostCookies?: boolean;
  loginThrottle?: Partial<LoginThrottleOptions>;
}

const idParam = z.object({ id: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive') });
const switchForm = z.object({ enabled: z.enum(['0', '1'], { error: 'must be 0 (off) or 1 (on)' }), confirm: confirmField('tick the box to confirm switching trading') });
const closeForm = z.object({ confirm: z.literal('yes', { error: 'confirm the close on the confirmation page' }) });

/** Builds the console app. */
export function createConsoleApp(deps: ConsoleDeps, options: ConsoleOptions = {}): Hono<AdminEnv> {
  const sessionTtlMs = options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS;
  const app = new Hono<AdminEnv>();
  app.use('*', securityHeaders());
  app.use('*', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('Payload too large', 413) }));
  app.use('*', requireSession(deps.sessions, deps.clock));
  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/favicon.ico', (c) => c.body(null, 204, { 'Cache-Control': 'public, max-age=86400' }));
  app.route('/', assetRoutes(deps.chartLibrary ?? null));
  app.get('/static/admin.css', (c) => c.body(ADMIN_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }));
  app.route('/', loginRoutes(deps, {
    throttle: deps.loginThrottle ?? new MemoryLoginThrottle(() => deps.clock.now(), options.loginThrottle), sessionTtlMs, allowInsecureLocalhostCookies: options.allowInsecureLocalhostCookies ?? false,
    shell: CONSOLE_SHELL, auditName: (username) => `console:${username}`,
  }));

  const show = (c: Context<AdminEnv>, title: string, body: Markup, status: 200 | 400 | 404 | 409 = 200) => c.html(page({ title, body, session: c.get('session'), current: '/', shell: CONSOLE_SHELL, ...UI_PAGE }), status);
  const mine = async (c: Context<AdminEnv>): Promise<AccountRow[]> => {
    const ids = await deps.directory.accountIdsOf(c.get('session').userId);
    const found = await Promise.all(ids.map((id) => getAccount(deps.store, id)));
    return found.filter((a): a is AccountRow => a !== null);
  };
  /** The signed-in trader's account named by :id, or null (unknown and not-yours look the same). */
  const ownAccount = async (c: Context<AdminEnv>): Promise<AccountRow | null | 'bad'> => {
    const parsed = idParam.safeParse(c.req.param());
    if (!parsed.success) return 'bad';
    return (await mine(c)).find((a) => a.id === parsed.data.id) ?? null;
  };
  const audit = (c: Context<AdminEnv>, action: string, subject: string, detail: string | null = null) => deps.audit.record({
    at: deps.clock.now(), who: `console:${c.get('session').username}`, action, subject, outcome: 'ok', detail, ip: deps.clientAddress?.(c) ?? null,
  });

  /** The filters of the query string; bad values fall back to the defaults, with the error shown. */
  const filtersOf = (c: Context<AdminEnv>): { filters: PositionFilters; error: string | null } => {
    const parsed = positionFilters.safeParse(c.req.query());
    if (parsed.success) return { filters: parsed.data, error: null };
    return { filters: positionFilters.parse({}), error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  };
  const candlesOf = async (symbol: string, from: number, to: number): Promise<Candle[]> => {
    if (deps.candles) return deps.candles(symbol, from, to);
    for (const timeframe of ['15m', '1h']) {
      const rows = await deps.store.findRows(MARKET_TABLES.klines, { symbol, timeframe }, { orderBy: 'open_time', desc: true, limit: 300 });
      if (rows.length) return rows.reverse().map((r) => ({ openTime: Number(r.open_time), open: String(r.open), high: String(r.high), low: String(r.low), close: String(r.close) }));
    }
    return [];
  };

  app.get('/', async (c) => {
    const accounts = await mine(c);
    const csrf = c.get('session').csrfToken;
    const now = deps.clock.now();
    const flash = c.req.query('saved');
    const rows = accounts.map((a) => html`<tr><td>${a.name}</td><td>${badge(a.tradingEnabled ? 'on' : 'off')}
<form class="inline" method="post" action="/accounts/${a.id}/trading"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="enabled" value="${a.tradingEnabled ? '0' : '1'}">${confirmTick()}<button type="submit">Turn trading ${a.tradingEnabled ? 'off' : 'on'}</button></form></td>
<td>${badge(a.lastFrameAt !== null && now - a.lastFrameAt <= STREAM_STALE_MS ? 'ok' : 'stale')} last frame ${ago(a.lastFrameAt, now)}</td><td><a href="/accounts/${a.id}/settings">settings</a></td></tr>`);
    const { filters, error } = filtersOf(c);
    const view = await loadConsoleView(deps.store, accounts);
    const accountsTable = html`${flash ? html`<p class="notice" role="status">${flash}</p>` : ''}
${accounts.length ? html`<h2>Accounts</h2><table><tr><th>account</th><th>trading</th><th>connection</th><th></th></tr>${rows}</table>` : html`<p class="muted">No accounts are linked to you yet: ask an operator.</p>`}`;
    return show(c, 'My trading', homeBody(view, filters, now, accountsTable, error));
  });

  app.get('/positions.csv', async (c) => {
    const view = await loadConsoleView(deps.store, await mine(c));
    return c.body(positionsCsv(view, filtersOf(c).filters), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="positions.csv"' });
  });

  app.get('/live', liveStream<AdminEnv>(async (c) => consoleFingerprint(deps.store, await deps.directory.accountIdsOf(c.get('session').userId)), { intervalMs: deps.liveIntervalMs }));

  /** The signed-in trader's position named by :id, or an error page. */
  const ownPosition = async (c: Context<AdminEnv>) => {
    const parsed = idParam.safeParse(c.req.param());
    if (!parsed.success) return { error: show(c, 'Position', html`<p class="error" role="alert">${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}</p>`, 400) };
    const p = await getPosition(deps.store, parsed.data.id);
    const accounts = await mine(c);
    if (!p || !accounts.some((a) => a.id === p.accountId)) return { error: show(c, 'Position', html`<h1>No position ${parsed.data.id}</h1>`, 404) };
    return { position: p };
  };
  const cannotClose = (c: Context<AdminEnv>, p: PositionRow) => show(c, 'Close', html`<p class="error" role="alert">Position #${p.id} is ${p.status}: ${deps.control ? 'nothing to close' : 'this console cannot start workflows'}.</p>`, 409);

  app.get('/positions/:id', async (c) => {
    const found = await ownPosition(c);
    if (!found.position) return found.error;
    const p = found.position;
    const orders = await ordersOf(deps.store, p.id);
    const info = (await symbolInfo(deps.store, [p.symbol])).get(p.symbol)!;
    const now = deps.clock.now();
    const from = (p.openedAt ?? p.createdAt) - 6 * 3_600_000;
    const candles = await candlesOf(p.symbol, from, Math.max(now, p.closedAt ?? now));
    return show(c, `Position ${p.id}`, positionBody(p, orders, candles, info.mark, tickPlaces(info.tickSize), now, c.req.query('saved') ?? null));
  });

  app.get('/positions/:id/close', async (c) => {
    const found = await ownPosition(c);
    if (!found.position) return found.error;
    const p = found.position;
    if (!isOpenPosition(p.status) || !deps.control) return cannotClose(c, p);
    const info = (await symbolInfo(deps.store, [p.symbol])).get(p.symbol)!;
    return show(c, `Close ${p.id}`, closeConfirmBody(p, c.get('session').csrfToken, info.mark, tickPlaces(info.tickSize)));
  });

  app.post('/positions/:id/close', async (c) => {
    const found = await ownPosition(c);
    if (!found.position) return found.error;
    const p = found.position;
    const form = validateForm(closeForm, await readForm(c));
    if (!form.ok) return show(c, 'Close', html`<p class="error" role="alert">${form.message}</p>`, 400);
    if (!isOpenPosition(p.status) || !deps.control) return cannotClose(c, p);
    await deps.control.close(p, `operator close from the console by ${c.get('session').username}`);
    await audit(c, 'console-close-position', `position:${p.id}`, `${p.symbol} ${p.direction} was ${p.status}`);
    return c.redirect(`/positions/${p.id}?saved=${encodeURIComponent(`Closing #${p.id}: the close workflow has started.`)}`, 303);
  });

  /** The symbol the preview prices a ladder on: the account's latest position's, else any priced one. */
  const previewSymbol = async (accountId: number): Promise<ExchangeSymbolRow | null> => {
    const [latest] = await deps.store.findRows(TABLES.positions, { account_id: accountId }, { desc: true, limit: 1 });
    if (latest) {
      const row = await getSymbol(deps.store, String(latest.symbol));
      if (row?.markPrice) return row;
    }
    const rows = (await deps.store.findRows(TABLES.symbols, {}, { limit: 500 })).map(toExchangeSymbol);
    return rows.find((r) => r.markPrice !== null && r.status === 'TRADING') ?? rows.find((r) => r.markPrice !== null) ?? null;
  };
  const settingsPage = async (c: Context<AdminEnv>, a: AccountRow, values: Record<string, string>, errors: Record<string, string> = {}) => show(c, `${a.name} settings`,
    settingsBody(a.id, a.name, c.get('session').csrfToken, values, errors, ladderPreview(values, await previewSymbol(a.id))), Object.keys(errors).length ? 400 : 200);

  app.get('/accounts/:id/settings', async (c) => {
    const a = await ownAccount(c);
    if (a === 'bad') return show(c, 'Settings', html`<p class="error" role="alert">id: must be a number</p>`, 400);
    if (!a) return show(c, 'Settings', html`<h1>No such account</h1>`, 404);
    const [row] = await deps.store.findRows(TABLES.accounts, { id: a.id });
    // MariaDB answers DECIMAL(36,18) with every scale digit ("50.000000000000000000"): the form shows,
    // and validates, the number itself.
    return settingsPage(c, a, Object.fromEntries(SETTING_FIELDS.map((f) => [f, toDecimalString(String(row![f]))])));
  });

  app.get('/accounts/:id/settings/preview', async (c) => {
    const a = await ownAccount(c);
    if (a === 'bad' || !a) return c.text('No such account', 404);
    const values = Object.fromEntries(SETTING_FIELDS.map((f) => [f, c.req.query(f) ?? '']));
    return c.html(ladderPreview(values, await previewSymbol(a.id)));
  });

  app.post('/accounts/:id/settings', async (c) => {
    const a = await ownAccount(c);
    if (a === 'bad') return show(c, 'Settings', html`<p class="error" role="alert">id: must be a number</p>`, 400);
    if (!a) return show(c, 'Settings', html`<h1>No such account</h1>`, 404);
    const form = await readForm(c);
    if (form.intent === 'preview') return settingsPage(c, a, form, settingsErrors(form));
    const parsed = validateForm(settingsSchema, form);
    if (!parsed.ok) return settingsPage(c, a, form, settingsErrors(form));
    const now = deps.clock.now();
    const columns = settingsColumns(parsed.value as Record<string, string | number>, now);
    await deps.store.transaction((tx) => tx.updateRows(TABLES.accounts, { id: a.id }, columns));
    await audit(c, 'console-settings', `account:${a.id}`, JSON.stringify(parsed.value));
    return c.redirect(`/?saved=${encodeURIComponent(`Settings of ${a.name} saved.`)}`, 303);
  });

  app.post('/accounts/:id/trading', async (c) => {
    const a = await ownAccount(c);
    if (a === 'bad') return show(c, 'Trading', html`<p class="error" role="alert">id: must be a number</p>`, 400);
    if (!a) return show(c, 'Trading', html`<h1>No such account</h1>`, 404);
    const form = validateForm(switchForm, await readForm(c));
    if (!form.ok) return show(c, 'Trading', html`<p class="error" role="alert">${form.message}</p>`, 400);
    const enabled = form.value.enabled === '1';
    await deps.store.transaction((tx) => applyRowEffects(tx, [setTradingEnabled(a.id, enabled, deps.clock.now())]));
    await audit(c, 'console-trading', `account:${a.id} ${enabled ? 'on' : 'off'}`);
    return c.redirect(`/?saved=${encodeURIComponent(`Trading on ${a.name} switched ${enabled ? 'on' : 'off'}.`)}`, 303);
  });

  app.onError((error, c) => {
    console.error(`console: ${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
    return c.text('Internal error', 500);
  });
  return app;
}
