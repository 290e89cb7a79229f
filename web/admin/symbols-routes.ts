// Symbols: GET /symbols lists exchange_symbols with the concluded direction, the operator's switch
// (is_eligible), the automatic block (is_blocked, its reason and time) and the mark price's age;
// POST /symbols/:id/eligible turns the operator's switch off or on, confirmed, and
// POST /symbols/:id/unblock clears the automatic block when confirmed. Both audited.
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { applyRowEffects } from '../../core/trading/apply-row-effects.ts';
import { setSymbolFlags, toExchangeSymbol, type ExchangeSymbolRow } from '../../core/trading/exchange-symbol.ts';
import { TABLES } from '../../core/trading/tables.ts';
import type { AdminDeps, AdminEnv } from './admin-deps.ts';
import { MARK_PRICE_STALE_MS } from './dashboard-data.ts';
import { ago, badge, utc } from './format.ts';
import { readForm, validateForm } from './form.ts';
import { confirmField, confirmTick } from './confirm-tick.ts';
import { page, type Markup } from './layout.ts';

const FILTERS = ['all', 'tradable', 'eligible', 'ineligible', 'blocked'] as const;
const listQuery = z.object({
  show: z.enum(FILTERS, { error: `must be one of ${FILTERS.join(', ')}` }).optional(),
  q: z.string().max(32, 'at most 32 characters').regex(/^[A-Za-z0-9]*$/, 'letters and digits only').optional(),
});
const idParam = z.object({ id: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive') });
const switchForm = z.object({
  enabled: z.enum(['0', '1'], { error: 'must be 0 (off) or 1 (on)' }),
  confirm: confirmField('tick the box to confirm switching the symbol'),
});
const unblockForm = z.object({ confirm: z.string().optional() })
  .refine((f) => f.confirm === 'yes', { path: ['confirm'], message: 'tick the box to confirm clearing the automatic block' });

/** What slot assignment requires of a symbol (core/trading/reads.ts eligibleSymbols). */
const tradable = (s: ExchangeSymbolRow) => s.direction !== null && s.isEligible && !s.isBlocked && s.status === 'TRADING';

const issues = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

function symbolRow(s: ExchangeSymbolRow, now: number, csrf: string): Markup {
  const hidden = html`<input type="hidden" name="_csrf" value="${csrf}">`;
  const operator = s.isEligible
    ? html`${badge('on')} <form class="inline" method="post" action="/symbols/${s.id}/eligible">${hidden}<input type="hidden" name="enabled" value="0">${confirmTick()}<button type="submit">Disable</button></form>`
    : html`${badge('off')} <form class="inline" method="post" action="/symbols/${s.id}/eligible">${hidden}<input type="hidden" name="enabled" value="1"><label><input type="checkbox" name="confirm" value="yes" required> confirm</label> <button type="submit">Enable</button></form>`;
  const block = s.isBlocked
    ? html`${badge('blocked')} ${s.blockReason ?? ''} (${utc(s.blockedAt)}) <form class="inline" method="post" action="/symbols/${s.id}/unblock">${hidden}<label><input type="checkbox" name="confirm" value="yes" required> confirm</label> <button type="submit">Clear block</button></form>`
    : html`<span class="muted">—</span>`;
  const fresh = s.markPriceAt === null ? 'never' : now - s.markPriceAt > MARK_PRICE_STALE_MS ? 'stale' : 'ok';
  return html`<tr><td>${s.symbol}</td><td>${s.exchange}</td><td>${s.status}</td><td>${s.direction ?? '—'}</td><td>${operator}</td><td>${block}</td>
<td>${s.markPrice ?? '—'}</td><td>${badge(fresh)} ${ago(s.markPriceAt, now)}</td><td>${badge(tradable(s) ? 'tradable' : 'idle')}</td></tr>`;
}

/** The symbols routes. */
export function symbolsRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const store = () => deps.fleet.store;
  const fail = (c: Context<AdminEnv>, status: 400 | 404 | 409, message: string) => c.html(page({ title: 'Symbols', session: c.get('session'), current: '/symbols', body: html`<h1>Symbols</h1><p class="error" role="alert">${message}</p><p><a href="/symbols">Back to symbols</a></p>` }), status);
  const find = async (id: number) => {
    const [row] = await store().findRows(TABLES.symbols, { id }, { limit: 1 });
    return row ? toExchangeSymbol(row) : null;
  };

  app.get('/symbols', async (c) => {
    const parsed = listQuery.safeParse(c.req.query());
    if (!parsed.success) return fail(c, 400, issues(parsed.error));
    const show = parsed.data.show ?? 'all';
    const q = (parsed.data.q ?? '').toUpperCase();
    const now = deps.clock.now();
    const all = (await store().findRows(TABLES.symbols, {}, { orderBy: 'symbol' })).map(toExchangeSymbol);
    const shown = all.filter((s) => s.symbol.includes(q) && (show === 'all' || (show === 'tradable' && tradable(s)) || (show === 'eligible' && s.isEligible)
      || (show === 'ineligible' && !s.isEligible) || (show === 'blocked' && s.isBlocked)));
    const done = c.req.query('done');
    const csrf = c.get('session').csrfToken;
    return c.html(page({
      title: 'Symbols', session: c.get('session'), current: '/symbols',
      body: html`<h1>Symbols</h1>${done ? html`<p class="notice" role="status">${done === 'unblocked' ? 'Automatic block cleared.' : done === 'on' ? 'Symbol enabled.' : 'Symbol disabled.'}</p>` : ''}
<p class="muted">Slot assignment picks a symbol only when it has a direction, the operator switch is on, it is not blocked and the exchange lists it as TRADING. ${all.length} symbols, ${all.filter(tradable).length} tradable, ${all.filter((s) => s.isBlocked).length} blocked.</p>
<form class="filters" method="get" action="/symbols"><label>show<select name="show">${FILTERS.map((f) => html`<option${f === show ? html` selected` : ''}>${f}</option>`)}</select></label>
<label>symbol<input name="q" value="${q}" placeholder="BTC"></label><button type="submit">Filter</button></form>
${shown.length ? html`<table><tr><th>symbol</th><th>exchange</th><th>status</th><th>direction</th><th>operator switch</th><th>automatic block</th><th>mark price</th><th>mark price age</th><th></th></tr>${shown.map((s) => symbolRow(s, now, csrf))}</table>` : html`<p class="muted">${all.length ? 'No symbol matches.' : 'No symbols yet.'}</p>`}`,
    }));
  });

  app.post('/symbols/:id/eligible', async (c) => {
    const params = idParam.safeParse(c.req.param());
    if (!params.success) return fail(c, 400, issues(params.error));
    const form = validateForm(switchForm, await readForm(c));
    if (!form.ok) return fail(c, 400, form.message);
    const symbol = await find(params.data.id);
    if (!symbol) return fail(c, 404, `no symbol ${params.data.id}`);
    const enabled = form.value.enabled === '1';
    const now = deps.clock.now();
    await store().transaction((tx) => applyRowEffects(tx, [setSymbolFlags(symbol.symbol, { isEligible: enabled }, now, symbol.exchange)]));
    await deps.audit.record({ at: now, who: c.get('session').username, action: 'symbol-eligible', subject: `${symbol.exchange}:${symbol.symbol} ${enabled ? 'on' : 'off'}`, outcome: 'ok', ip: deps.clientAddress?.(c) ?? null });
    return c.redirect(`/symbols?done=${enabled ? 'on' : 'off'}`, 303);
  });

  app.post('/symbols/:id/unblock', async (c) => {
    const params = idParam.safeParse(c.req.param());
    if (!params.success) return fail(c, 400, issues(params.error));
    const form = validateForm(unblockForm, await readForm(c));
    if (!form.ok) return fail(c, 400, form.message);
    const symbol = await find(params.data.id);
    if (!symbol) return fail(c, 404, `no symbol ${params.data.id}`);
    if (!symbol.isBlocked) return fail(c, 409, `${symbol.symbol} is not blocked`);
    const now = deps.clock.now();
    await store().transaction((tx) => applyRowEffects(tx, [setSymbolFlags(symbol.symbol, { block: null }, now, symbol.exchange)]));
    await deps.audit.record({ at: now, who: c.get('session').username, action: 'symbol-unblock', subject: `${symbol.exchange}:${symbol.symbol}`, outcome: 'ok', detail: symbol.blockReason, ip: deps.clientAddress?.(c) ?? null });
    return c.redirect('/symbols?done=unblocked', 303);
  });
  return app;
}
