// The SQL console pages: GET /sql (the form), POST /sql (results as a table), POST /sql.csv
// (the same query as an RFC 4180 download). POST keeps statements out of URLs and access logs.
// The page shows at most 4 KB of each cell (the CSV has them whole, up to the byte cap), and each
// operator runs one query at a time, so a few tabs cannot multiply the memory one result may take.
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import type { AdminDeps, AdminEnv } from './admin-deps.ts';
import { toCsv } from './csv.ts';
import { readForm, validateForm } from './form.ts';
import { page, type Markup } from './layout.ts';
import type { AdminSession } from './sessions.port.ts';
import { runConsoleQuery, truncationNote, type ConsoleResult } from './sql-console.ts';
import type { SqlLimits } from './sql-executor.port.ts';

const MAX_STATEMENT_CHARS = 20_000;
/** The most of one cell the page shows. */
export const MAX_CELL_SHOWN = 4 * 1024;

const shown = (cell: string) => (cell.length > MAX_CELL_SHOWN ? `${cell.slice(0, MAX_CELL_SHOWN)}… (${cell.length} characters; the CSV has them all)` : cell);

const sqlForm = z.object({
  statement: z.string({ error: 'is required' })
    .max(MAX_STATEMENT_CHARS, `must be at most ${MAX_STATEMENT_CHARS} characters`)
    .refine((s) => s.trim().length > 0, 'must not be empty'),
});

function resultView(result: ConsoleResult): Markup {
  if (result.kind === 'refused') return html`<p class="error" role="alert"><strong>Refused:</strong> ${result.reason}</p>`;
  if (result.kind === 'failed') return html`<p class="error" role="alert"><strong>${result.timedOut ? 'Time cap reached' : 'Query failed'}:</strong> ${result.message}</p>`;
  const head = html`<tr>${result.columns.map((c) => html`<th>${c}</th>`)}</tr>`;
  const rows = result.rows.map((r) => html`<tr>${r.map((v) => (v === null ? html`<td class="null">NULL</td>` : html`<td>${shown(v)}</td>`))}</tr>`);
  const cap = result.truncated === 'bytes' ? `the ${result.limits.maxBytes / 2 ** 20} MB cap on a result` : `the ${result.limits.maxRows}-row cap`;
  return html`<p>${result.rows.length} row${result.rows.length === 1 ? '' : 's'} in ${result.durationMs} ms</p>
${result.truncated ? html`<p class="notice" role="status">Truncated: showing the first ${result.rows.length} rows (${cap}). Narrow the query, add a LIMIT, or download the CSV for whole cells.</p>` : ''}
${result.columns.length ? html`<table>${head}${rows}</table>` : ''}`;
}

function sqlPage(session: AdminSession, limits: SqlLimits, statement: string, output?: Markup) {
  return page({
    title: 'SQL', session, current: '/sql',
    body: html`<h1>SQL console (read-only)</h1>
<p>One statement: SELECT, WITH, SHOW, DESCRIBE or EXPLAIN. Runs as a read-only database user in a read-only transaction, at most ${limits.maxRows} rows, ${limits.maxBytes / 2 ** 20} MB and ${limits.timeoutMs / 1000} s; credential, session and token columns are not readable.</p>
<form method="post" action="/sql"><input type="hidden" name="_csrf" value="${session.csrfToken}">
<textarea name="statement" spellcheck="false" required>${statement}</textarea>
<p><button type="submit">Run</button> <button type="submit" formaction="/sql.csv">Download CSV</button></p></form>
${output ?? ''}`,
  });
}

/** The console routes over the executor, audit log and clock of `deps`. */
export function sqlRoutes(deps: AdminDeps, limits: SqlLimits): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const running = new Set<string>();
  /** Runs one statement for the signed-in operator, or null when their previous query is still running. */
  const run = async (c: Context<AdminEnv>, statement: string): Promise<ConsoleResult | null> => {
    const who = c.get('session').username;
    if (running.has(who)) return null;
    running.add(who);
    try {
      return await runConsoleQuery({ executor: deps.sql, audit: deps.audit, clock: deps.clock }, { statement, who, ip: deps.clientAddress?.(c) ?? null }, limits);
    } finally {
      running.delete(who);
    }
  };
  const busy = 'one query at a time: your previous query is still running (it stops at the time cap)';

  app.get('/sql', (c) => c.html(sqlPage(c.get('session'), limits, '')));

  app.post('/sql', async (c) => {
    const form = await readForm(c);
    const parsed = validateForm(sqlForm, form);
    if (!parsed.ok) return c.html(sqlPage(c.get('session'), limits, form.statement ?? '', html`<p class="error" role="alert">${parsed.message}</p>`), 400);
    const result = await run(c, parsed.value.statement);
    if (!result) return c.html(sqlPage(c.get('session'), limits, parsed.value.statement, html`<p class="error" role="alert">Refused: ${busy}.</p>`), 429);
    return c.html(sqlPage(c.get('session'), limits, parsed.value.statement, resultView(result)), result.kind === 'rows' ? 200 : 422);
  });

  app.post('/sql.csv', async (c) => {
    const parsed = validateForm(sqlForm, await readForm(c));
    if (!parsed.ok) return c.text(parsed.message, 400);
    const result = await run(c, parsed.value.statement);
    if (!result) return c.text(`Refused: ${busy}`, 429);
    if (result.kind === 'refused') return c.text(`Refused: ${result.reason}`, 422);
    if (result.kind === 'failed') return c.text(`${result.timedOut ? 'Time cap reached' : 'Query failed'}: ${result.message}`, 422);
    const stamp = new Date(deps.clock.now()).toISOString().replace(/[:.]/g, '-');
    if (result.truncated) c.header('X-Kraite-Truncated', truncationNote(result.truncated, result.limits)!);
    c.header('Content-Disposition', `attachment; filename="kraite-query-${stamp}.csv"`);
    return c.body(toCsv(result.columns, result.rows), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  });

  return app;
}
