// Positions and orders: GET /positions (open and recent), GET /positions/:id (its orders, intent
// beside the exchange's echo, and its step history). Reads only, through core/trading/reads.ts.
import { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { STEP_SETS, type Step } from '../../core/steps/step.ts';
import { getAccount, getPosition, listPositions, ordersOf } from '../../core/trading/reads.ts';
import type { OrderRow } from '../../core/trading/order.ts';
import type { PositionRow } from '../../core/trading/position.ts';
import { POSITION_STATUSES } from '../../core/trading/statuses.ts';
import type { AdminDeps, AdminEnv } from './admin-deps.ts';
import { cancellable, cancelOrderButton, closable, closeButton } from './control-routes.ts';
import { badge, duration, money, utc } from './format.ts';
import { page, type Markup } from './layout.ts';

const listQuery = z.object({
  status: z.union([z.literal(''), z.literal('open'), z.enum(POSITION_STATUSES)], { error: `must be open or one of ${POSITION_STATUSES.join(', ')}` }).optional(),
  account: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive').optional(),
});
const idParam = z.object({ id: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive') });

const issues = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

function positionRow(p: PositionRow): Markup {
  return html`<tr><td><a href="/positions/${p.id}">#${p.id}</a></td><td>${p.accountId}</td><td>${p.symbol}</td><td>${p.direction}</td><td>${badge(p.status)}</td>
<td>${p.margin}</td><td>${p.leverage ?? '—'}</td><td>${p.openingPrice ?? '—'}</td><td>${p.breakEvenPrice ?? '—'}</td><td>${money(p.netPnl ?? p.pnl)}</td><td>${p.exitReason ?? '—'}</td><td>${utc(p.openedAt ?? p.createdAt)}</td><td>${utc(p.closedAt)}</td></tr>`;
}

const POSITION_HEAD = html`<tr><th>id</th><th>account</th><th>symbol</th><th>direction</th><th>status</th><th>margin</th><th>leverage</th><th>opening price</th><th>break-even</th><th>net PnL</th><th>exit</th><th>opened (UTC)</th><th>closed</th></tr>`;

/** Decimal strings differ in value (the codec already strips trailing zeros; Number tolerates the rest). */
function differs(intent: string | null, echo: string | null): boolean {
  return intent !== null && echo !== null && Number(intent) !== Number(echo);
}

function orderRow(o: OrderRow, p: PositionRow, csrf: string): Markup {
  const cell = (intent: string | null, echo: string | null) => html`<td>${intent ?? '—'}</td><td${differs(intent, echo) ? html` class="drift" title="the exchange differs from our intent"` : ''}>${echo ?? '—'}</td>`;
  return html`<tr><td>${o.role}${o.rung !== null ? ` ${o.rung}` : ''}${o.replacement ? ` (r${o.replacement})` : ''}</td><td><code>${o.clientOrderId}</code></td><td>${o.exchangeOrderId ?? '—'}${o.isAlgo ? ' (algo)' : ''}</td>
<td>${o.type} ${o.side}${o.reduceOnly ? ' reduce-only' : ''}${o.closePosition ? ' close-position' : ''}</td>
<td>${badge(o.status)}</td><td>${o.exchangeStatus ?? '—'}</td>${cell(o.price, o.exchangePrice)}${cell(o.quantity, o.exchangeQuantity)}<td>${o.executedQty ?? '—'}</td><td>${o.avgPrice ?? '—'}</td><td>${utc(o.exchangeUpdatedAt)}</td><td>${cancellable(p, o) ? cancelOrderButton(o, csrf) : ''}</td></tr>`;
}

function historyRow(s: Step): Markup {
  return html`<tr><td><a href="/steps/${s.set}/${s.id}">#${s.id}</a></td><td><code>${s.handler}</code></td><td>${badge(s.state)}</td><td>${s.attempts}/${s.maxAttempts}</td><td>${utc(s.createdAt)}</td><td>${duration(s.durationMs)}</td><td>${s.errorMessage ?? ''}</td></tr>`;
}

/** Steps that name the position (args.position is its uuid), newest first. */
async function stepHistory(deps: AdminDeps, p: PositionRow): Promise<Step[]> {
  const found: Step[] = [];
  for (const set of STEP_SETS) {
    const steps = await deps.fleet.store.listSteps(set, { createdFrom: p.createdAt - 60_000, limit: 5_000 });
    found.push(...steps.filter((s) => s.args.position === p.uuid || s.args.position === String(p.id) || s.args.positionId === p.id));
  }
  return found.sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
}

/** The positions routes. */
export function tradingRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const rows = () => deps.fleet.store;

  app.get('/positions', async (c) => {
    const parsed = listQuery.safeParse(c.req.query());
    if (!parsed.success) return c.html(page({ title: 'Positions', session: c.get('session'), current: '/positions', body: html`<h1>Positions</h1><p class="error" role="alert">${issues(parsed.error)}</p>` }), 400);
    const { status, account } = parsed.data;
    const open = await listPositions(rows(), { status: 'open', accountId: account, limit: 500 });
    const recent = await listPositions(rows(), { status: status || undefined, accountId: account, limit: 100 });
    return c.html(page({
      title: 'Positions', session: c.get('session'), current: '/positions', live: true,
      body: html`<h1>Positions</h1><p class="muted">Live while script runs · <a href="/positions" class="refresh">refresh</a></p>
<h2>Open (${open.length})</h2>${open.length ? html`<table>${POSITION_HEAD}${open.map(positionRow)}</table>` : html`<p class="muted">No open positions.</p>`}
<h2>Recent${status ? ` (${status})` : ''}</h2>${recent.length ? html`<table>${POSITION_HEAD}${recent.map(positionRow)}</table>` : html`<p class="muted">No positions yet.</p>`}`,
    }));
  });

  app.get('/positions/:id', async (c) => {
    const parsed = idParam.safeParse(c.req.param());
    if (!parsed.success) return c.html(page({ title: 'Position', session: c.get('session'), current: '/positions', body: html`<h1>Position</h1><p class="error" role="alert">${issues(parsed.error)}</p>` }), 400);
    const p = await getPosition(rows(), parsed.data.id);
    if (!p) return c.html(page({ title: 'Position', session: c.get('session'), current: '/positions', body: html`<h1>No position ${parsed.data.id}</h1>` }), 404);
    const [orders, account, history] = await Promise.all([ordersOf(rows(), p.id), getAccount(rows(), p.accountId), stepHistory(deps, p)]);
    const csrf = c.get('session').csrfToken;
    const closing = /^\d{1,12}$/.test(c.req.query('closing') ?? '') ? c.req.query('closing') : null;
    const cancelling = /^\d{1,12}$/.test(c.req.query('cancelling') ?? '') ? c.req.query('cancelling') : null;
    return c.html(page({
      title: `Position ${p.id}`, session: c.get('session'), current: '/positions', live: true,
      body: html`<h1>Position #${p.id} ${p.symbol} ${p.direction} ${badge(p.status)}</h1>
${closing ? html`<p class="notice" role="status">Close workflow started: <a href="/steps/trading/${closing}">step #${closing}</a>.</p>` : ''}${cancelling ? html`<p class="notice" role="status">Order cancel started: <a href="/steps/trading/${cancelling}">step #${cancelling}</a>.</p>` : ''}
<p>${closable(p) ? closeButton(p, csrf) : ''} <a href="/positions/${p.id}" class="refresh">refresh</a></p>
<p>account ${account?.name ?? p.accountId} · uuid ${p.uuid} · margin ${p.margin} · leverage ${p.leverage ?? '—'} · profit ${p.profitPct} % · stop ${p.stopPct} % · gap ${p.gapPct} % · ${p.rungs} rungs ×${p.rungMultiplier}</p>
<p>opening ${p.openingPrice ?? '—'} · quantity ${p.quantity ?? '—'} · break-even ${p.breakEvenPrice ?? '—'} · worst case ${p.worstCaseLoss ?? '—'} · closing ${p.closingPrice ?? '—'} · net PnL ${money(p.netPnl ?? p.pnl)} (gross ${p.grossPnl ?? '—'}, fees ${p.fees ?? '—'}, funding ${p.funding ?? '—'}) · exit ${p.exitReason ?? '—'}${p.statusReason ? html` · reason: ${p.statusReason}` : ''}</p>
<h2>Orders (${orders.length}): our intent beside the exchange's echo</h2>
${orders.length ? html`<table><tr><th>role</th><th>client id</th><th>exchange id</th><th>order</th><th>status</th><th>exchange status</th><th>price</th><th>exchange price</th><th>quantity</th><th>exchange qty</th><th>executed</th><th>avg price</th><th>exchange updated</th><th></th></tr>${orders.map((o) => orderRow(o, p, csrf))}</table>` : html`<p class="muted">No orders.</p>`}
<h2>Step history (${history.length})</h2>
${history.length ? html`<table><tr><th>step</th><th>handler</th><th>state</th><th>attempts</th><th>created (UTC)</th><th>took</th><th>error</th></tr>${history.map(historyRow)}</table>` : html`<p class="muted">No steps name this position.</p>`}`,
    }));
  });
  return app;
}
