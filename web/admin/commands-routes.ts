// The commands runner: GET /commands lists the allowlisted commands and recent runs; POST
// /commands/run runs one by name (anything not on the list is refused) and audits who and when.
import { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import type { AdminDeps, AdminEnv } from './admin-deps.ts';
import type { AuditEntry } from './audit.port.ts';
import { badge, utc } from './format.ts';
import { readForm, validateForm } from './form.ts';
import { page, type Markup } from './layout.ts';

function runRow(e: AuditEntry): Markup {
  return html`<tr><td>${utc(e.at)}</td><td>${e.who}</td><td><code>${e.subject ?? ''}</code></td><td>${badge(e.outcome)}</td><td>${e.detail ?? ''}</td><td>${e.durationMs ?? '—'}</td></tr>`;
}

/** The commands routes. */
export function commandsRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const names = deps.fleet.commands.map((c) => c.name);
  const runForm = z.object({ command: z.string({ error: 'is required' }).refine((n) => names.includes(n), { message: `must be one of the allowlisted commands: ${names.join(', ')}` }) });

  const render = async (session: AdminEnv['Variables']['session'], output?: Markup) => {
    const runs = (await deps.audit.recent(200)).filter((e) => e.action === 'command').slice(0, 20);
    return page({
      title: 'Commands', session, current: '/commands',
      body: html`<h1>Commands</h1><p>An allowlisted set of operational commands. Every run is audited with who and when.</p>
${output ?? ''}
<table><tr><th>command</th><th>what it does</th><th></th></tr>${deps.fleet.commands.map((cmd) => html`<tr><td><code>${cmd.name}</code></td><td>${cmd.summary}</td>
<td><form class="inline" method="post" action="/commands/run"><input type="hidden" name="_csrf" value="${session.csrfToken}"><input type="hidden" name="command" value="${cmd.name}"><button type="submit">Run</button></form></td></tr>`)}</table>
<h2>Recent runs</h2>${runs.length ? html`<table><tr><th>at (UTC)</th><th>who</th><th>command</th><th>outcome</th><th>result</th><th>ms</th></tr>${runs.map(runRow)}</table>` : html`<p class="muted">None yet.</p>`}`,
    });
  };

  app.get('/commands', async (c) => c.html(await render(c.get('session'))));

  app.post('/commands/run', async (c) => {
    const form = await readForm(c);
    const parsed = validateForm(runForm, form);
    const who = c.get('session').username;
    const ip = deps.clientAddress?.(c) ?? null;
    if (!parsed.ok) {
      await deps.audit.record({ at: deps.clock.now(), who, action: 'command', subject: (form.command ?? '').slice(0, 200), outcome: 'refused', detail: parsed.message, ip });
      return c.html(await render(c.get('session'), html`<p class="error" role="alert">${parsed.message}</p>`), 400);
    }
    const command = deps.fleet.commands.find((cmd) => cmd.name === parsed.value.command)!;
    const at = deps.clock.now();
    const started = performance.now();
    try {
      const summary = await command.run();
      await deps.audit.record({ at, who, action: 'command', subject: command.name, outcome: 'ok', detail: summary, durationMs: Math.round(performance.now() - started), ip });
      return c.html(await render(c.get('session'), html`<p class="notice" role="status"><code>${command.name}</code>: ${summary}</p>`));
    } catch (error) {
      const message = (error as Error).message;
      await deps.audit.record({ at, who, action: 'command', subject: command.name, outcome: 'failed', detail: message, durationMs: Math.round(performance.now() - started), ip });
      return c.html(await render(c.get('session'), html`<p class="error" role="alert"><code>${command.name}</code> failed: ${message}</p>`), 500);
    }
  });
  return app;
}
