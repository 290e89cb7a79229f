// The controls that move money or stop trading: "Close now" on a position, "Cancel this order" for
// a stuck order, and the fleet-wide "pause new opens" switch. Each is a form POST (CSRF like every
// admin form); a POST without `confirm=yes` answers with a confirm step page that repeats the form
// with the confirmation, so it works without JavaScript. Every outcome is audited (who, from
// where, what) and the money-moving work runs through the engine, never from the web process.
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { applyRowEffects } from '../../core/trading/apply-row-effects.ts';
import type { OrderRow } from '../../core/trading/order.ts';
import { pauseOpensInsert, PAUSE_OPENS_TABLE, readPauseOpens } from '../../core/trading/pause-opens.ts';
import type { PositionRow } from '../../core/trading/position.ts';
import { findOrderByClientId, getPosition } from '../../core/trading/reads.ts';
import { isTerminalOrder, TERMINAL_POSITION_STATUSES, type PositionStatus } from '../../core/trading/statuses.ts';
import type { AdminDeps, AdminEnv } from './admin-deps.ts';
import { badge, utc } from './format.ts';
import { readForm, validateForm } from './form.ts';
import { page, type Markup } from './layout.ts';

/** Statuses the close workflow accepts (a `closing` position keeps its running close). */
export const CLOSABLE_STATUSES: readonly PositionStatus[] = ['opening', 'active', 'syncing', 'waping', 'closing'];

/** Whether the admin offers "Close now" for a position. */
export const closable = (p: Pick<PositionRow, 'status'>): boolean => CLOSABLE_STATUSES.includes(p.status);

/** Whether the admin offers "Cancel this order": a live order left on a position the fleet no longer manages. */
export const cancellable = (p: Pick<PositionRow, 'status'>, o: Pick<OrderRow, 'status' | 'role'>): boolean =>
  TERMINAL_POSITION_STATUSES.includes(p.status) && !isTerminalOrder(o.status) && o.role !== 'entry' && o.role !== 'close';

/** The "Close now" button (a form, so it works without JavaScript; the server asks to confirm). */
export function closeButton(p: PositionRow, csrf: string): Markup {
  return html`<form class="inline" method="post" action="/positions/${p.id}/close"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="danger">Close now</button></form>`;
}

/** The "Cancel this order" button. */
export function cancelOrderButton(o: OrderRow, csrf: string): Markup {
  return html`<form class="inline" method="post" action="/orders/${o.clientOrderId}/cancel"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="danger">Cancel this order</button></form>`;
}

const idParam = z.object({ id: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive') });
const clientIdParam = z.object({ clientOrderId: z.string().min(1, 'must not be empty').max(36, 'must be at most 36 characters').regex(/^[A-Za-z0-9._:/-]+$/, 'has characters a client order id never has') });
const pauseForm = z.object({
  paused: z.enum(['1', '0'], { error: 'must be 1 (pause) or 0 (resume)' }),
  reason: z.string({ error: 'is required' }).trim().min(1, 'say why (it is kept with the switch)').max(255, 'must be at most 255 characters'),
  confirm: z.string().optional(),
});

type Session = AdminEnv['Variables']['session'];

/** The confirm step: what will happen, the same form again with confirm=yes, and a way back. */
function confirmPage(session: Session, o: { title: string; current: string; what: Markup; action: string; fields: Record<string, string>; button: string; back: string }): Markup {
  return page({
    title: o.title, session, current: o.current,
    body: html`<h1>${o.title}</h1><section class="panel confirm" role="alertdialog" aria-labelledby="confirm-what"><p id="confirm-what">${o.what}</p>
<form method="post" action="${o.action}"><input type="hidden" name="_csrf" value="${session.csrfToken}">${Object.entries(o.fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}<input type="hidden" name="confirm" value="yes">
<button type="submit" class="danger">${o.button}</button> <a href="${o.back}">No, go back</a></form></section>`,
  });
}

/** The pause switch as a panel: state, who set it, and the form that flips it (confirmed on the next page). */
export async function pausePanel(deps: AdminDeps, session: Session): Promise<Markup> {
  const p = await readPauseOpens(deps.fleet.store);
  return html`<section class="panel" id="pause-opens"><h2>New opens</h2><p>${p.paused ? badge('paused') : badge('allowed')} ${p.paused ? html`paused by ${p.by} at ${utc(p.at)}: ${p.reason}` : p.at ? html`resumed by ${p.by} at ${utc(p.at)}: ${p.reason}` : 'never paused'}</p>
<form method="post" action="/pause-opens"><input type="hidden" name="_csrf" value="${session.csrfToken}"><input type="hidden" name="paused" value="${p.paused ? '0' : '1'}">
<label>Reason <input name="reason" required maxlength="255"></label> <button type="submit"${p.paused ? '' : html` class="danger"`}>${p.paused ? 'Resume new opens' : 'Pause new opens'}</button></form>
<p class="muted">Fleet-wide: no account opens a new position while paused; open positions keep their stop, take-profit and rungs.</p></section>`;
}

/** The control routes. */
export function controlRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const who = (c: Context<AdminEnv>) => c.get('session').username;
  const ip = (c: Context<AdminEnv>) => deps.clientAddress?.(c) ?? null;
  const fail = (c: Context<AdminEnv>, status: 400 | 404 | 409, title: string, message: string, back: string) =>
    c.html(page({ title, session: c.get('session'), current: back.startsWith('/positions') ? '/positions' : '/', body: html`<h1>${title}</h1><p class="error" role="alert">${message}</p><p><a href="${back}">Back</a></p>` }), status);

  app.post('/positions/:id/close', async (c) => {
    const params = idParam.safeParse(c.req.param());
    if (!params.success) return fail(c, 400, 'Close position', `id: ${params.error.issues[0]!.message}`, '/positions');
    const form = await readForm(c);
    const p = await getPosition(deps.fleet.store, params.data.id);
    if (!p) return fail(c, 404, 'Close position', `no position ${params.data.id}`, '/positions');
    const back = `/positions/${p.id}`;
    if (!closable(p)) {
      await deps.audit.record({ at: deps.clock.now(), who: who(c), action: 'position-close', subject: `position:${p.id} ${p.symbol}`, outcome: 'refused', detail: `position is ${p.status}`, ip: ip(c) });
      return fail(c, 409, 'Close position', `position ${p.id} is ${p.status}: there is nothing to close`, back);
    }
    if (form.confirm !== 'yes') {
      return c.html(confirmPage(c.get('session'), {
        title: `Close position #${p.id} now?`, current: '/positions', action: `/positions/${p.id}/close`, fields: {}, button: `Yes, close ${p.symbol} ${p.direction} now`, back,
        what: html`This sends a reduce-only market order for the whole of ${p.symbol} ${p.direction} on account ${p.accountId}, cancels its rungs, stop and take-profit, and records the exit reason <strong>operator</strong>. It cannot be undone.`,
      }));
    }
    const at = deps.clock.now();
    try {
      const step = await deps.fleet.closePosition(p.uuid, who(c));
      await deps.audit.record({ at, who: who(c), action: 'position-close', subject: `position:${p.id} ${p.symbol}`, outcome: 'ok', detail: `close workflow step ${step.id}`, ip: ip(c) });
      return c.redirect(`${back}?closing=${step.id}`, 303);
    } catch (error) {
      await deps.audit.record({ at, who: who(c), action: 'position-close', subject: `position:${p.id} ${p.symbol}`, outcome: 'failed', detail: (error as Error).message, ip: ip(c) });
      throw error;
    }
  });

  app.post('/orders/:clientOrderId/cancel', async (c) => {
    const params = clientIdParam.safeParse(c.req.param());
    if (!params.success) return fail(c, 400, 'Cancel order', `clientOrderId: ${params.error.issues[0]!.message}`, '/positions');
    const form = await readForm(c);
    const order = await findOrderByClientId(deps.fleet.store, params.data.clientOrderId);
    const p = order ? await getPosition(deps.fleet.store, order.positionId) : null;
    if (!order || !p) return fail(c, 404, 'Cancel order', `no order ${params.data.clientOrderId}`, '/positions');
    const back = `/positions/${p.id}`;
    const subject = `order:${order.clientOrderId} position:${p.id} ${p.symbol}`;
    if (!cancellable(p, order)) {
      const why = TERMINAL_POSITION_STATUSES.includes(p.status) ? `the order is ${order.status} (${order.role})` : `position ${p.id} is ${p.status}: the fleet replaces a cancelled order of a managed position; close the position instead`;
      await deps.audit.record({ at: deps.clock.now(), who: who(c), action: 'order-cancel', subject, outcome: 'refused', detail: why, ip: ip(c) });
      return fail(c, 409, 'Cancel order', why, back);
    }
    if (form.confirm !== 'yes') {
      return c.html(confirmPage(c.get('session'), {
        title: `Cancel order ${order.clientOrderId}?`, current: '/positions', action: `/orders/${order.clientOrderId}/cancel`, fields: {}, button: 'Yes, cancel this order', back,
        what: html`This cancels the ${order.role} order ${order.type} ${order.side} ${order.quantity ?? ''} @ ${order.price ?? 'market'} of ${p.status} position #${p.id} (${p.symbol}) on the exchange.`,
      }));
    }
    const at = deps.clock.now();
    const step = await deps.fleet.cancelOrder(p.uuid, order.clientOrderId);
    await deps.audit.record({ at, who: who(c), action: 'order-cancel', subject, outcome: 'ok', detail: `cancel step ${step.id}`, ip: ip(c) });
    return c.redirect(`${back}?cancelling=${step.id}`, 303);
  });

  app.get('/pause-opens', async (c) => {
    const history = await deps.fleet.store.findRows(PAUSE_OPENS_TABLE, {}, { orderBy: 'id', desc: true, limit: 20 });
    return c.html(page({
      title: 'Pause new opens', session: c.get('session'), current: '/',
      body: html`<h1>Pause new opens</h1>${c.req.query('switched') ? html`<p class="notice" role="status">New opens ${c.req.query('switched') === '1' ? 'paused' : 'resumed'}.</p>` : ''}${await pausePanel(deps, c.get('session'))}
<h2>History</h2>${history.length ? html`<div class="scroll"><table><tr><th>at (UTC)</th><th>switch</th><th>by</th><th>reason</th></tr>${history.map((r) => html`<tr><td>${utc(Number(r.created_at))}</td><td>${r.paused === true || Number(r.paused) === 1 ? badge('paused') : badge('allowed')}</td><td>${String(r.created_by)}</td><td>${String(r.reason)}</td></tr>`)}</table></div>` : html`<p class="muted">Never switched.</p>`}`,
    }));
  });

  app.post('/pause-opens', async (c) => {
    const form = await readForm(c);
    const parsed = validateForm(pauseForm, form);
    if (!parsed.ok) {
      await deps.audit.record({ at: deps.clock.now(), who: who(c), action: 'pause-opens', subject: form.paused === '1' ? 'pause' : 'resume', outcome: 'refused', detail: parsed.message, ip: ip(c) });
      return fail(c, 400, 'Pause new opens', parsed.message, '/pause-opens');
    }
    const { paused, reason } = parsed.value;
    if (form.confirm !== 'yes') {
      return c.html(confirmPage(c.get('session'), {
        title: paused === '1' ? 'Pause new opens on every account?' : 'Resume new opens?', current: '/', action: '/pause-opens', fields: { paused, reason },
        button: paused === '1' ? 'Yes, pause new opens' : 'Yes, resume new opens', back: '/pause-opens',
        what: paused === '1' ? html`No account will open a new position until an operator resumes. Open positions keep their protection. Reason: ${reason}` : html`Accounts whose trading switch is on open new positions again at the next open tick. Reason: ${reason}`,
      }));
    }
    const at = deps.clock.now();
    await deps.fleet.store.transaction((tx) => applyRowEffects(tx, [pauseOpensInsert({ paused: paused === '1', reason, by: who(c), at })]));
    await deps.audit.record({ at, who: who(c), action: 'pause-opens', subject: paused === '1' ? 'pause' : 'resume', outcome: 'ok', detail: reason, ip: ip(c) });
    return c.redirect(`/pause-opens?switched=${paused}`, 303);
  });
  return app;
}
