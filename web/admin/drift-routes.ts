// The accounts drift view: GET /accounts/:id/drift lists the drift check's recent findings for one
// account (where our books and the exchange disagree), newest first, with the step that found each.
import { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { getAccount } from '../../core/trading/reads.ts';
import type { AdminDeps, AdminEnv } from './admin-deps.ts';
import { DRIFT_WINDOW, recentDrift, type DriftEvent } from './drift-findings.ts';
import { ago, utc } from './format.ts';
import { page, type Markup } from './layout.ts';

const idParam = z.object({ id: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive') });

/** One finding as a table row. */
export function driftRow(f: DriftEvent, now: number): Markup {
  const step = f.stepId !== null && f.set ? html`<a href="/steps/${f.set}/${f.stepId}">#${f.stepId}</a>` : '—';
  return html`<tr><td>${utc(f.at)}</td><td>${ago(f.at, now)}</td><td>${f.symbol}</td><td><code>${f.kind}</code></td><td>${f.detail}</td><td>${step}</td></tr>`;
}

/** The drift routes. */
export function driftRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();

  app.get('/accounts/:id/drift', async (c) => {
    const parsed = idParam.safeParse(c.req.param());
    const session = c.get('session');
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      return c.html(page({ title: 'Drift', session, current: '/accounts', body: html`<h1>Drift</h1><p class="error" role="alert">${message}</p>` }), 400);
    }
    const account = await getAccount(deps.fleet.store, parsed.data.id);
    if (!account) return c.html(page({ title: 'Drift', session, current: '/accounts', body: html`<h1>No account ${parsed.data.id}</h1>` }), 404);
    const now = deps.clock.now();
    const findings = (await recentDrift(deps.fleet.store)).filter((f) => f.account === account.name).slice(0, 200);
    return c.html(page({
      title: `Drift ${account.name}`, session, current: '/accounts', live: true,
      body: html`<h1>Drift: ${account.name}</h1>
<p class="muted">Findings of the drift check (every 5 minutes; each confirmed on a second fresh read of both sides) among the newest ${DRIFT_WINDOW} events. A take-profit under-coverage is healed by a WAP step, not listed. <a href="/accounts">Back to accounts</a> · <a href="/positions?account=${account.id}">positions</a> · <a href="/accounts/${account.id}/drift" class="refresh">refresh</a></p>
${findings.length
        ? html`<table><tr><th>at (UTC)</th><th>age</th><th>symbol</th><th>kind</th><th>detail</th><th>step</th></tr>${findings.map((f) => driftRow(f, now))}</table>`
        : html`<p class="muted">No drift found recently: our books and the exchange agree.</p>`}`,
    }));
  });
  return app;
}
