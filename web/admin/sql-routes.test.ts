// The SQL console pages over a scripted executor: rendering, escaping, truncation, CSV, refusals, audit.
import { describe, expect, it } from 'vitest';
import { AdminClient } from '../../test/support/admin-client.ts';
import { adminHarness, OPERATOR } from '../../test/support/admin-harness.ts';

async function console_() {
  const h = await adminHarness({ sqlLimits: { maxRows: 2, timeoutMs: 1_000, maxBytes: 1024 * 1024 } });
  const client = new AdminClient(h.app, 'https://admin.test', { 'x-test-ip': '10.9.9.9' });
  await client.login(OPERATOR.username, OPERATOR.password);
  const token = await client.csrf();
  return { ...h, client, run: (path: string, statement: string) => client.postForm(path, { _csrf: token, statement }) };
}

describe('SQL console routes', () => {
  it('GET /sql shows the form with both actions and the caps', async () => {
    const { client } = await console_();
    const page = await (await client.get('/sql')).text();
    expect(page).toContain('<form method="post" action="/sql">');
    expect(page).toContain('formaction="/sql.csv"');
    expect(page).toContain('at most 2 rows, 1 MB and 1 s');
  });

  it('renders rows as an escaped table with NULLs marked, and audits the run', async () => {
    const { run, sql, audit } = await console_();
    sql.next = { kind: 'rows', columns: ['id', '<b>label</b>'], rows: [['1', '<script>alert(1)</script>'], ['2', null]], truncated: false, durationMs: 7 };
    const res = await run('/sql', 'SELECT id, label FROM t;');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<th>&lt;b&gt;label&lt;/b&gt;</th>');
    expect(page).toContain('<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('<td class="null">NULL</td>');
    expect(page).toContain('2 rows in 7 ms');
    expect(sql.calls).toEqual([{ statement: 'SELECT id, label FROM t', limits: { maxRows: 2, timeoutMs: 1_000, maxBytes: 1024 * 1024 } }]);
    expect(audit.entries.at(-1)).toMatchObject({ who: 'ada', action: 'sql', subject: 'SELECT id, label FROM t;', outcome: 'ok', rows: 2, durationMs: 7, ip: '10.9.9.9' });
  });

  it('says when the row cap truncated the result', async () => {
    const { run, sql, audit } = await console_();
    sql.next = { kind: 'rows', columns: ['n'], rows: [['1'], ['2']], truncated: 'rows', durationMs: 1 };
    const page = await (await run('/sql', 'SELECT n FROM t')).text();
    expect(page).toContain('Truncated: showing the first 2 rows (the 2-row cap)');
    expect(audit.entries.at(-1)).toMatchObject({ outcome: 'ok', rows: 2, detail: 'truncated at 2 rows' });
  });

  it('shows at most 4 KB of a cell, says the byte cap cut the result, and redacts password hashes', async () => {
    const { run, sql, audit } = await console_();
    const hash = "GRANT USAGE ON *.* TO `ro`@`%` IDENTIFIED BY PASSWORD '*0E3F627084AC4D30F4C5CE29E94187DCD60A7F21'";
    sql.next = { kind: 'rows', columns: ['big', 'grant'], rows: [['x'.repeat(10_000), hash]], truncated: 'bytes', durationMs: 1 };
    const page = await (await run('/sql', 'SELECT big FROM t')).text();
    expect(page).toContain(`${'x'.repeat(4096)}… (10000 characters; the CSV has them all)`);
    expect(page).not.toContain('x'.repeat(4097));
    expect(page).toContain('Truncated: showing the first 1 rows (the 1 MB cap on a result)');
    expect(page).toMatch(/IDENTIFIED BY PASSWORD (&#39;|')&lt;redacted&gt;/);
    expect(page).not.toContain('0E3F6270');
    expect(audit.entries.at(-1)).toMatchObject({ outcome: 'ok', detail: 'truncated at 1 MB' });
    const csv = await (await run('/sql.csv', 'SELECT big FROM t')).text();
    expect(csv).toContain('x'.repeat(10_000));
    expect(csv).not.toContain('0E3F6270');
  });

  it('refuses a write before it reaches the executor, says why, and audits the refusal', async () => {
    const { run, sql, audit } = await console_();
    const res = await run('/sql', 'DELETE FROM t');
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('<strong>Refused:</strong> writes are refused (DELETE): the SQL console is read-only');
    expect(sql.calls).toEqual([]);
    expect(audit.entries.at(-1)).toMatchObject({ action: 'sql', subject: 'DELETE FROM t', outcome: 'refused', detail: expect.stringContaining('DELETE') });
  });

  it('reports the database refusing and the time cap', async () => {
    const { run, sql, audit } = await console_();
    sql.next = { kind: 'failed', message: 'UPDATE command denied', code: 'ER_TABLEACCESS_DENIED_ERROR', timedOut: false, deniedByDatabase: true, durationMs: 2 };
    expect(await (await run('/sql', 'SELECT 1')).text()).toContain('Refused:</strong> the database refused it: UPDATE command denied');
    expect(audit.entries.at(-1)).toMatchObject({ outcome: 'refused', detail: 'the database refused it: UPDATE command denied' });
    sql.next = { kind: 'failed', message: 'Query execution was interrupted', code: 'ER_STATEMENT_TIMEOUT', timedOut: true, deniedByDatabase: false, durationMs: 1_001 };
    const res = await run('/sql', 'SELECT SLEEP(10)');
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Time cap reached:</strong> stopped at the 1 s time cap');
    expect(audit.entries.at(-1)).toMatchObject({ outcome: 'failed', durationMs: 1_001 });
  });

  it('POST /sql.csv downloads RFC 4180 CSV, or says why not', async () => {
    const { run, sql } = await console_();
    sql.next = { kind: 'rows', columns: ['id', 'note'], rows: [['1', 'a,"b"'], ['2', null]], truncated: 'rows', durationMs: 1 };
    const res = await run('/sql.csv', 'SELECT id, note FROM t');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="kraite-query-2026-01-01T00-00-00-000Z\.csv"$/);
    expect(res.headers.get('x-kraite-truncated')).toBe('truncated at 2 rows');
    expect(await res.text()).toBe('id,note\r\n1,"a,""b"""\r\n2,\r\n');
    const refused = await run('/sql.csv', 'SELECT 1; SELECT 2');
    expect(refused.status).toBe(422);
    expect(await refused.text()).toBe('Refused: multiple statements are refused: run one statement at a time');
  });
});
