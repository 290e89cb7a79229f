// Accounts: GET /accounts (connection health, trading switch, credentials masked only) and
// POST /accounts/:id/trading (off is always allowed, on too; either way confirmed with a tick box). Audited.
// Each row links to the account's drift view (drift-routes.ts) with its newest finding.
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import type { AccountRow } from '../../core/trading/account.ts';
import { setTradingEnabled, toAccount } from '../../core/trading/account.ts';
import { applyRowEffects } from '../../core/trading/apply-row-effects.ts';
import { decryptSecret, masked } from '../../core/trading/credentials.ts';
import { getAccount } from '../../core/trading/reads.ts';
import { TABLES } from '../../core/trading/tables.ts';
import type { AdminDeps, AdminEnv } from './admin-deps.ts';
import { recentDrift, type DriftEvent } from './drift-findings.ts';
import { STREAM_STALE_MS } from './dashboard-data.ts';
import { ago, badge } from './format.ts';
import { readForm, validateForm } from './form.ts';
import { confirmField, confirmTick } from './confirm-tick.ts';
import { page, type Markup } from './layout.ts';

const idParam = z.object({ id: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive') });
const switchForm = z.object({
  enabled: z.enum(['0', '1'], { error: 'must be 0 (off) or 1 (on)' }),
  confirm: confirmField('tick the box to confirm switching trading'),
});

/** The masked form of one stored secret: never more than its last four characters. */
async function maskedSecret(key: CryptoKey | null | undefined, stored: string, field: 'api_key' | 'api_secret'): Promise<string> {
  if (!key) return '**** (encrypted; no credentials key loaded)';
  try {
    return masked(await decryptSecret(key, stored, field));
  } catch {
    return '**** (cannot decrypt with the loaded key)';
  }
}

function driftCell(a: AccountRow, drift: DriftEvent[], now: number): Markup {
  const mine = drift.filter((f) => f.account === a.name);
  const newest = mine[0];
  return newest
    ? html`<a href="/accounts/${a.id}/drift">${badge('drift')} ${mine.length} finding${mine.length === 1 ? '' : 's'}</a>, newest ${ago(newest.at, now)}: ${newest.symbol} <code>${newest.kind}</code>`
    : html`<a href="/accounts/${a.id}/drift">none recently</a>`;
}

async function accountRow(a: AccountRow, deps: AdminDeps, csrf: string, drift: DriftEvent[]): Promise<Markup> {
  const now = deps.clock.now();
  const stale = a.lastFrameAt === null || now - a.lastFrameAt > STREAM_STALE_MS;
  const toggle = a.tradingEnabled
    ? html`<form class="inline" method="post" action="/accounts/${a.id}/trading"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="enabled" value="0">${confirmTick()}<button type="submit">Turn trading off</button></form>`
    : html`<form class="inline" method="post" action="/accounts/${a.id}/trading"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="enabled" value="1">${confirmTick()}<button type="submit">Turn trading on</button></form>`;
  return html`<tr><td>${a.id}</td><td>${a.name}</td><td>${a.exchange}</td><td>${badge(a.tradingEnabled ? 'on' : 'off')} ${toggle}</td>
<td>${badge(stale ? 'stale' : 'ok')} last frame ${ago(a.lastFrameAt, now)}</td><td><a href="/positions?account=${a.id}">positions</a></td><td>${driftCell(a, drift, now)}</td>
<td><code>${await maskedSecret(deps.credentialsKey, a.apiKeyEnc, 'api_key')}</code></td><td><code>${await maskedSecret(deps.credentialsKey, a.apiSecretEnc, 'api_secret')}</code></td>
<td>${a.positionMode} · ${a.marginType} · ${a.quoteAsset} · long ${a.settings.LONG.slots}×${a.settings.LONG.leverage}x · short ${a.settings.SHORT.slots}×${a.settings.SHORT.leverage}x</td></tr>`;
}

/** The accounts routes. */
export function accountsRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const fail = (c: Context<AdminEnv>, status: 400 | 404, message: string) => c.html(page({ title: 'Accounts', session: c.get('session'), current: '/accounts', body: html`<h1>Accounts</h1><p class="error" role="alert">${message}</p><p><a href="/accounts">Back to accounts</a></p>` }), status);

  app.get('/accounts', async (c) => {
    // Removed accounts (kraite accounts:remove) are history: their positions still show under Positions.
    const accounts = (await deps.fleet.store.findRows(TABLES.accounts, { removed_at: null }, { orderBy: 'id' })).map(toAccount);
    const csrf = c.get('session').csrfToken;
    const drift = accounts.length ? await recentDrift(deps.fleet.store) : [];
    const flash = c.req.query('switched');
    return c.html(page({
      title: 'Accounts', session: c.get('session'), current: '/accounts',
      body: html`<h1>Accounts</h1>${flash ? html`<p class="notice" role="status">Trading switched ${flash === '1' ? 'on' : 'off'}.</p>` : ''}
${accounts.length ? html`<table><tr><th>id</th><th>name</th><th>exchange</th><th>trading</th><th>connection</th><th></th><th>drift</th><th>API key</th><th>API secret</th><th>settings</th></tr>${await Promise.all(accounts.map((a) => accountRow(a, deps, csrf, drift)))}</table>` : html`<p class="muted">No accounts yet.</p>`}`,
    }));
  });

  app.post('/accounts/:id/trading', async (c) => {
    const params = idParam.safeParse(c.req.param());
    if (!params.success) return fail(c, 400, params.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const form = validateForm(switchForm, await readForm(c));
    if (!form.ok) return fail(c, 400, form.message);
    const { id } = params.data;
    const enabled = form.value.enabled === '1';
    if ((await getAccount(deps.fleet.store, id))?.removedAt !== null) return fail(c, 404, `no account ${id} in use`);
    const now = deps.clock.now();
    await deps.fleet.store.transaction((tx) => applyRowEffects(tx, [setTradingEnabled(id, enabled, now)]));
    await deps.audit.record({ at: now, who: c.get('session').username, action: 'account-trading', subject: `account:${id} ${enabled ? 'on' : 'off'}`, outcome: 'ok', ip: deps.clientAddress?.(c) ?? null });
    return c.redirect(`/accounts?switched=${enabled ? 1 : 0}`, 303);
  });
  return app;
}
