// The market regime: GET /regime (score, band, sub-signals, cooldown, shock, the override in force
// and its history, what that means for new opens), POST /regime/override (allow or block new opens
// until a time, with a reason; at most 7 days) and POST /regime/override/clear (ends the override
// in force). Overrides are rows: the newest active one wins, so a clear is an override that ends
// now. Each write goes through the store in a transaction and is audited.
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { openAllowance, snapshotStale } from '../../core/market/regime/allowance.ts';
import { newOverride, type RegimeOverride } from '../../core/market/regime/override.ts';
import { overrideInsert, readRegimeState, recentOverrides, type RegimeState } from '../../core/market/regime/regime-store.ts';
import { applyRowEffects } from '../../core/trading/apply-row-effects.ts';
import type { AdminDeps, AdminEnv } from './admin-deps.ts';
import { ago, badge, duration, utc } from './format.ts';
import { readForm, validateForm } from './form.ts';
import { confirmField, confirmTick } from './confirm-tick.ts';
import { page, type Markup } from './layout.ts';
import { CHART_SCRIPTS } from '../assets/asset-routes.ts';
import { chart, chartTime } from '../assets/chart-markup.ts';
import { BAND_FLOORS, bandOf } from '../../core/market/regime/bands.ts';
import type { RowReader } from '../../core/steps/step-store.port.ts';
import { parseUntil } from './override-until.ts';

/** The colour each band's points are drawn in (CSS variables of the admin's stylesheet). */
const BAND_TONE: Record<string, string> = { Calm: '--up', Elevated: '--warn-line', Fragile: '--down', Critical: '--down' };

const UNTIL_HELP = 'an ISO time such as 2026-11-24T08:00:00Z (UTC when no zone is given) or a duration from now: 90m, 6h, 2d';

const overrideForm = z.object({
  mode: z.enum(['allow', 'block'], { error: 'must be allow or block' }),
  until: z.string({ error: 'is required' }).trim().min(1, 'is required'),
  reason: z.string({ error: 'is required' }).trim().min(3, 'give a reason of at least 3 characters').max(255, 'at most 255 characters'),
  confirm: confirmField('tick the box to confirm the override'),
});
const clearForm = z.object({ confirm: confirmField('tick the box to confirm clearing the override') });

function overrideRow(o: RegimeOverride, now: number): Markup {
  const state = now < o.createdAt ? 'pending' : now < o.until ? 'active' : 'expired';
  return html`<tr><td>${utc(o.createdAt)}</td><td>${o.createdBy}</td><td><strong>${o.mode}</strong></td><td>${utc(o.until)}</td><td>${badge(state)}</td><td>${o.reason}</td></tr>`;
}

function statePanel(s: RegimeState, now: number): Markup {
  const snap = s.snapshot;
  const allowance = openAllowance({ now, slots: { LONG: 100, SHORT: 100 }, ...s });
  const signals = snap?.signals.map((g) => html`<tr><td>${g.name}</td><td>${g.reading === null ? 'n/a' : g.reading.toFixed(4)}</td><td>${g.threshold}</td><td>${g.fired ? badge('fired') : ''}</td><td>+${g.points.toFixed(2)}</td></tr>`) ?? [];
  return html`<section class="panel"><h2>Regime now</h2>
${snap ? html`<p>${badge(snap.band)} score ${snap.score.toFixed(2)} for the hour of ${utc(snap.periodAt)} (computed ${ago(snap.computedAt, now)})${snapshotStale(snap, now) ? html` ${badge('stale')} too old to trust: fails open` : ''}</p>
${signals.length ? html`<table><tr><th>signal</th><th>reading</th><th>threshold</th><th></th><th>points</th></tr>${signals}</table>` : ''}` : html`<p class="muted">No snapshot yet (the regime fails open).</p>`}
<p>Cooldown: ${s.cooldown.until !== null && now < s.cooldown.until ? `until ${utc(s.cooldown.until)} (armed ${utc(s.cooldown.armedAt)} at score ${s.cooldown.armedScore ?? '—'})` : 'none'}</p>
<p>Last shock: ${s.shock ? `${utc(s.shock.at)}, basket down ${s.shock.dropPercent.toFixed(2)} % over ${s.shock.symbols} symbols` : 'none'}</p>
<p>New opens: ${badge(allowance.allowed ? 'allowed' : 'blocked')} ${allowance.reason}; leverage ×${allowance.leverageFactor}, margin ×${allowance.marginFactor.toFixed(3)}</p></section>`;
}

function overridePanel(s: RegimeState, now: number, csrf: string): Markup {
  const o = s.override;
  const current = o
    ? html`<p>In force: <strong>${o.mode}</strong> new opens until ${utc(o.until)} UTC (${duration(o.until - now)} left), set by ${o.createdBy} ${ago(o.createdAt, now)}: ${o.reason}</p>
<form method="post" action="/regime/override/clear"><input type="hidden" name="_csrf" value="${csrf}">${confirmTick()}<button type="submit">Clear the override now</button></form>`
    : html`<p class="muted">No override in force: the score, band and cooldown decide.</p>`;
  return html`<section class="panel"><h2>Operator override</h2>${current}
<h3>Set an override</h3><p class="muted">Replaces any override in force. At most 7 days ahead.</p>
<form method="post" action="/regime/override" class="filters"><input type="hidden" name="_csrf" value="${csrf}">
<label>mode<select name="mode"><option value="block">block new opens</option><option value="allow">allow new opens</option></select></label>
<label>until<input name="until" required placeholder="6h or 2026-11-24T08:00:00Z" title="${UNTIL_HELP}"></label>
<label>reason<input name="reason" required minlength="3" maxlength="255" placeholder="why (audited)"></label>
${confirmTick()}<button type="submit">Set override</button></form></section>`;
}

/** The newest `limit` snapshots, oldest first: score and band per hour. */
async function scoreHistory(rows: RowReader, limit = 168): Promise<{ at: number; score: number; band: string }[]> {
  const found = await rows.findRows('regime_snapshots', {}, { orderBy: 'period_at', desc: true, limit });
  return found.map((r) => ({ at: Number(r.period_at), score: Number(r.score), band: String(r.band) })).reverse();
}

function historyPanel(history: { at: number; score: number; band: string }[]): Markup {
  if (!history.length) return html`<section class="panel wide" id="regime-history"><h2>Score and band over time</h2><p class="muted">No snapshot yet.</p></section>`;
  // The band floors as dashed guides, 0 and 100 pinning the scale; each point coloured by its band.
  const guides = [...Object.entries(BAND_FLOORS).filter(([, v]) => v > 0).map(([band, value]) => ({ price: value, title: band, kind: 'guide' })), { price: 0, title: '', kind: 'guide' }, { price: 100, title: '', kind: 'guide' }];
  const bands = history.map((h) => h.band);
  return html`<section class="panel wide" id="regime-history"><h2>Score and band over time (last ${history.length} hours)</h2>
${chart('line', 'regime score per hour, coloured by band, with the band floors', history.map((h) => [chartTime(h.at), h.score, BAND_TONE[h.band] ?? '--accent']), { lines: guides })}
<p class="muted">Bands: ${[...new Set(bands)].map((b) => html`${badge(b)} ${bands.filter((x) => x === b).length} h `)} · now ${badge(bandOf(history.at(-1)!.score))}</p></section>`;
}

/** The regime routes. */
export function regimeRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const store = () => deps.fleet.store;

  const render = async (c: Context<AdminEnv>, message?: Markup) => {
    const now = deps.clock.now();
    const [state, history, scores] = await Promise.all([readRegimeState(store(), now), recentOverrides(store(), 20), scoreHistory(store())]);
    const csrf = c.get('session').csrfToken;
    return page({
      title: 'Regime', session: c.get('session'), current: '/regime', scripts: CHART_SCRIPTS,
      body: html`<h1>Market regime</h1>${message ?? ''}<div class="grid">${statePanel(state, now)}${overridePanel(state, now, csrf)}${historyPanel(scores)}
<section class="panel wide"><h2>Override history (newest first)</h2>${history.length
        ? html`<table><tr><th>set at (UTC)</th><th>by</th><th>mode</th><th>until (UTC)</th><th>state</th><th>reason</th></tr>${history.map((o) => overrideRow(o, now))}</table>`
        : html`<p class="muted">No overrides yet.</p>`}</section></div>`,
    });
  };
  const fail = async (c: Context<AdminEnv>, status: 400 | 409, message: string) => c.html(await render(c, html`<p class="error" role="alert">${message}</p>`), status);

  app.get('/regime', async (c) => {
    const done = c.req.query('done');
    const notice = done === 'set' ? 'Override set.' : done === 'cleared' ? 'Override cleared.' : null;
    return c.html(await render(c, notice ? html`<p class="notice" role="status">${notice}</p>` : undefined));
  });

  app.post('/regime/override', async (c) => {
    const form = validateForm(overrideForm, await readForm(c));
    if (!form.ok) return fail(c, 400, form.message);
    const now = deps.clock.now();
    const until = parseUntil(form.value.until, now);
    if (until === null) return fail(c, 400, `until: must be ${UNTIL_HELP}`);
    const who = c.get('session').username;
    let override: RegimeOverride;
    try {
      override = newOverride({ mode: form.value.mode, reason: form.value.reason, createdBy: who, until }, now);
    } catch (error) {
      if (!(error instanceof z.ZodError)) throw error;
      return fail(c, 400, error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; '));
    }
    await store().transaction((tx) => applyRowEffects(tx, [overrideInsert(override)]));
    await deps.audit.record({ at: now, who, action: 'regime-override', subject: `${override.mode} until ${new Date(override.until).toISOString()}`, outcome: 'ok', detail: override.reason, ip: deps.clientAddress?.(c) ?? null });
    return c.redirect('/regime?done=set', 303);
  });

  app.post('/regime/override/clear', async (c) => {
    const form = validateForm(clearForm, await readForm(c));
    if (!form.ok) return fail(c, 400, form.message);
    const now = deps.clock.now();
    const { override: current } = await readRegimeState(store(), now);
    if (!current) return fail(c, 409, 'No override is in force.');
    const who = c.get('session').username;
    // An override ending the moment it starts: the newest row, never active, so nothing overrides.
    const cleared: RegimeOverride = { mode: current.mode, reason: `cleared: ${current.reason}`.slice(0, 255), createdBy: who, createdAt: now, until: now };
    await store().transaction((tx) => applyRowEffects(tx, [overrideInsert(cleared)]));
    await deps.audit.record({ at: now, who, action: 'regime-override-clear', subject: `${current.mode} until ${new Date(current.until).toISOString()}`, outcome: 'ok', detail: current.reason, ip: deps.clientAddress?.(c) ?? null });
    return c.redirect('/regime?done=cleared', 303);
  });
  return app;
}
