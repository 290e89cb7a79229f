// The step browser: GET /steps (the trading set by default; filter by set, state, handler, label,
// time; an id cursor for older pages; each step's position, account and symbol), GET /steps/:set/:id
// (the step's whole tree and its position) and POST /steps/:set/:id/retry|cancel and
// /steps/:set/retry-failed (confirmed, audited).
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';
import { STEP_SETS, STEP_STATES, type Step } from '../../core/steps/step.ts';
import type { AdminDeps, AdminEnv } from './admin-deps.ts';
import { badge, duration, utc } from './format.ts';
import { readForm, validateForm } from './form.ts';
import { page, type Markup } from './layout.ts';
import { blockList, buildTree } from './step-tree.ts';
import { getPositionByUuid } from '../../core/trading/reads.ts';
import type { PositionRow } from '../../core/trading/position.ts';

/** `2026-01-01T12:00` (a datetime-local field, read as UTC) or empty. */
const utcMinute = z.string().max(32).optional().transform((v, ctx) => {
  if (!v) return undefined;
  const at = Date.parse(/Z$|[+-]\d\d:\d\d$/.test(v) ? v : `${v}Z`);
  if (Number.isNaN(at)) {
    ctx.addIssue({ code: 'custom', message: 'must be a time like 2026-01-01T12:00 (UTC)' });
    return z.NEVER;
  }
  return at;
});

const filterSchema = z.object({
  set: z.enum(STEP_SETS, { error: `must be one of ${STEP_SETS.join(', ')}` }).default('trading'),
  state: z.union([z.literal(''), z.enum(STEP_STATES)], { error: `must be one of ${STEP_STATES.join(', ')}` }).optional(),
  handler: z.string().max(128, 'must be at most 128 characters').optional(),
  label: z.string().max(128, 'must be at most 128 characters').optional(),
  from: utcMinute,
  to: utcMinute,
  limit: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(1_000, 'must be at most 1000').default(200),
  before: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive').optional(),
});

const stepParams = z.object({
  set: z.enum(STEP_SETS, { error: `must be one of ${STEP_SETS.join(', ')}` }),
  id: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive'),
});

const confirmForm = z.object({ confirm: z.literal('yes', { error: 'tick the box to confirm' }) });

function filterForm(q: Record<string, string>): Markup {
  const opt = (value: string, current: string | undefined, label = value) => html`<option value="${value}"${value === (current ?? '') ? html` selected` : ''}>${label}</option>`;
  return html`<form class="filters" method="get" action="/steps">
<label>set <select name="set">${STEP_SETS.map((s) => opt(s, q.set ?? 'trading'))}</select></label>
<label>state <select name="state">${opt('', q.state, 'any')}${STEP_STATES.map((s) => opt(s, q.state))}</select></label>
<label>handler <input name="handler" value="${q.handler ?? ''}" placeholder="trading.open.prepare"></label>
<label>label contains <input name="label" value="${q.label ?? ''}"></label>
<label>created from (UTC) <input type="datetime-local" name="from" value="${q.from ?? ''}"></label>
<label>to (UTC) <input type="datetime-local" name="to" value="${q.to ?? ''}"></label>
<button type="submit">Filter</button></form>`;
}

/** The position a step names (args.position is its uuid), looked up once per uuid. */
async function positionsOf(deps: AdminDeps, steps: Step[]): Promise<Map<string, PositionRow>> {
  const found = new Map<string, PositionRow>();
  for (const uuid of new Set(steps.map((s) => s.args.position).filter((u): u is string => typeof u === 'string'))) {
    const p = await getPositionByUuid(deps.fleet.store, uuid);
    if (p) found.set(uuid, p);
  }
  return found;
}

function positionCells(p: PositionRow | undefined, s: Step): Markup {
  const account = p?.accountId ?? (typeof s.args.accountId === 'number' ? s.args.accountId : null);
  return html`<td>${p ? html`<a href="/positions/${p.id}">#${p.id}</a>` : '—'}</td><td>${account !== null ? html`<a href="/positions?account=${account}">${account}</a>` : '—'}</td><td>${p?.symbol ?? '—'}</td>`;
}

function stepRow(s: Step, p: PositionRow | undefined): Markup {
  return html`<tr><td><a href="/steps/${s.set}/${s.id}">#${s.id}</a></td><td><code>${s.handler}</code></td><td>${badge(s.state)}</td>${positionCells(p, s)}<td>${s.label ?? ''}</td>
<td>${s.attempts}/${s.maxAttempts}</td><td>${utc(s.createdAt)}</td><td>${duration(s.durationMs)}</td><td>${s.errorMessage ?? ''}</td></tr>`;
}

function actions(s: Step, csrf: string): Markup {
  const form = (action: 'retry' | 'cancel', label: string) => html`<form class="inline" method="post" action="/steps/${s.set}/${s.id}/${action}">
<input type="hidden" name="_csrf" value="${csrf}"><label><input type="checkbox" name="confirm" value="yes" required> confirm</label> <button type="submit">${label}</button></form>`;
  const canRetry = s.state === 'failed' || s.state === 'cancelled';
  const canCancel = ['pending', 'dispatched', 'not_runnable'].includes(s.state) || (s.state === 'running' && s.childBlockUuid !== null);
  if (!canRetry && !canCancel) return html`<p class="muted">No operator action for a ${s.state} step.</p>`;
  return html`<p>${canRetry ? form('retry', 'Retry step') : ''} ${canCancel ? form('cancel', 'Cancel step') : ''}</p>`;
}

/** The step browser routes. */
export function stepsRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const bad = (c: Context<AdminEnv>, message: string) => c.html(page({ title: 'Steps', session: c.get('session'), current: '/steps', body: html`<h1>Steps</h1><p class="error" role="alert">${message}</p>` }), 400);

  app.get('/steps', async (c) => {
    const q = c.req.query();
    const parsed = filterSchema.safeParse(q);
    if (!parsed.success) return c.html(page({ title: 'Steps', session: c.get('session'), current: '/steps', body: html`<h1>Steps</h1>${filterForm(q)}<p class="error" role="alert">${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}</p>` }), 400);
    const f = parsed.data;
    const steps = await deps.fleet.store.listSteps(f.set, {
      state: f.state ? [f.state] : undefined, handler: f.handler || undefined, label: f.label || undefined, createdFrom: f.from, createdTo: f.to, beforeId: f.before, limit: f.limit,
    });
    const positions = await positionsOf(deps, steps);
    // The cursor: the same filters, older than the last id shown.
    const next = steps.length === f.limit ? `/steps?${new URLSearchParams({ ...Object.fromEntries(Object.entries(q).filter(([k]) => k !== 'before')), set: f.set, before: String(steps.at(-1)!.id) }).toString()}` : null;
    const failed = f.state === 'failed' && steps.length ? html`<form method="post" action="/steps/${f.set}/retry-failed" class="inline"><input type="hidden" name="_csrf" value="${c.get('session').csrfToken}"><input type="hidden" name="ids" value="${steps.map((s) => s.id).join(',')}"><label><input type="checkbox" name="confirm" value="yes" required> confirm</label> <button type="submit">Retry all ${steps.length} shown</button></form>` : '';
    return c.html(page({
      title: 'Steps', session: c.get('session'), current: '/steps',
      body: html`<h1>Steps</h1>${filterForm(q)}<p>${steps.length} ${f.set} step${steps.length === 1 ? '' : 's'}${f.before ? ` older than #${f.before}` : ''}, newest first ${failed}</p>
${steps.length ? html`<table><tr><th>id</th><th>handler</th><th>state</th><th>position</th><th>account</th><th>symbol</th><th>label</th><th>attempts</th><th>created (UTC)</th><th>took</th><th>error</th></tr>${steps.map((s) => stepRow(s, typeof s.args.position === 'string' ? positions.get(s.args.position) : undefined))}</table>` : ''}
<p>${f.before ? html`<a href="/steps?set=${f.set}">Newest</a> · ` : ''}${next ? html`<a href="${next}" rel="next">Older →</a>` : html`<span class="muted">No older steps.</span>`}</p>`,
    }));
  });

  app.get('/steps/:set/:id', async (c) => {
    const params = stepParams.safeParse(c.req.param());
    if (!params.success) return bad(c, params.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { set, id } = params.data;
    const step = await deps.fleet.store.getStep(set, id);
    if (!step) return c.html(page({ title: 'Step', session: c.get('session'), current: '/steps', body: html`<h1>No ${set} step ${id}</h1>` }), 404);
    const tree = await deps.fleet.store.listSteps(set, { treeUuid: step.treeUuid, limit: 5_000 });
    const position = typeof step.args.position === 'string' ? await getPositionByUuid(deps.fleet.store, step.args.position) : null;
    const flash = c.req.query('done');
    return c.html(page({
      title: `Step ${id}`, session: c.get('session'), current: '/steps',
      body: html`<h1>Step #${id} <code>${step.handler}</code> ${badge(step.state)}</h1>
${flash ? html`<p class="notice" role="status">${flash === 'retry' ? 'Retried: the step is pending again.' : 'Cancelled.'}</p>` : ''}
${position ? html`<p>Position <a href="/positions/${position.id}">#${position.id} ${position.symbol} ${position.direction}</a> ${badge(position.status)} · account ${position.accountId}</p>` : ''}
<p>tree ${step.treeUuid} · block ${step.blockUuid} · index ${step.index} · parent ${step.parentId ?? '—'} · worker ${step.worker ?? '—'}</p>
<details><summary>arguments and response</summary><pre>${JSON.stringify({ args: step.args, response: step.response }, null, 2)}</pre></details>
${actions(step, c.get('session').csrfToken)}
<h2>Tree (${tree.length} steps)</h2>${buildTree(tree).map((b) => blockList(b, id))}`,
    }));
  });

  // Retry every failed step the list showed (ids from the page, re-checked here): each through the
  // engine like a single retry, each audited; a step no longer failed is skipped, not retried.
  app.post('/steps/:set/retry-failed', async (c) => {
    const set = z.enum(STEP_SETS).safeParse(c.req.param('set'));
    if (!set.success) return bad(c, `set: must be one of ${STEP_SETS.join(', ')}`);
    const form = await readForm(c);
    const confirmed = validateForm(confirmForm, form);
    if (!confirmed.ok) return bad(c, `${confirmed.message} (nothing was retried)`);
    const ids = (form.ids ?? '').split(',').filter(Boolean).map(Number);
    if (!ids.length || ids.length > 1_000 || ids.some((n) => !Number.isInteger(n) || n <= 0)) return bad(c, 'ids: must be 1 to 1000 step ids');
    const who = c.get('session').username;
    const ip = deps.clientAddress?.(c) ?? null;
    let retried = 0;
    let skipped = 0;
    for (const id of ids) {
      const step = await deps.fleet.store.getStep(set.data, id);
      if (step?.state !== 'failed') {
        skipped++;
        continue;
      }
      try {
        await deps.fleet.retryStep(set.data, id);
        retried++;
        await deps.audit.record({ at: deps.clock.now(), who, action: 'step-retry', subject: `${set.data}:${id}`, outcome: 'ok', detail: 'retry all', ip });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        skipped++;
        await deps.audit.record({ at: deps.clock.now(), who, action: 'step-retry', subject: `${set.data}:${id}`, outcome: 'refused', detail: error.message, ip });
      }
    }
    return c.html(page({ title: 'Steps', session: c.get('session'), current: '/steps', body: html`<h1>Retry all</h1><p class="notice" role="status">${retried} failed step${retried === 1 ? '' : 's'} retried, ${skipped} skipped (no longer failed or refused).</p><p><a href="/steps?set=${set.data}&amp;state=failed">Failed steps</a></p>` }));
  });

  for (const action of ['retry', 'cancel'] as const) {
    app.post(`/steps/:set/:id/${action}`, async (c) => {
      const params = stepParams.safeParse(c.req.param());
      if (!params.success) return bad(c, params.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const { set, id } = params.data;
      const confirmed = validateForm(confirmForm, await readForm(c));
      if (!confirmed.ok) return bad(c, `${confirmed.message} (${action} of step ${id} was not done)`);
      const who = c.get('session').username;
      const base = { at: deps.clock.now(), who, action: `step-${action}`, subject: `${set}:${id}`, ip: deps.clientAddress?.(c) ?? null };
      try {
        await (action === 'retry' ? deps.fleet.retryStep(set, id) : deps.fleet.cancelStep(set, id));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        await deps.audit.record({ ...base, outcome: 'refused', detail: error.message });
        return c.html(page({ title: 'Steps', session: c.get('session'), current: '/steps', body: html`<h1>Step ${id}</h1><p class="error" role="alert">Refused: ${error.message}</p><p><a href="/steps/${set}/${id}">Back to the step</a></p>` }), 409);
      }
      await deps.audit.record({ ...base, outcome: 'ok' });
      return c.redirect(`/steps/${set}/${id}?done=${action}`, 303);
    });
  }
  return app;
}
