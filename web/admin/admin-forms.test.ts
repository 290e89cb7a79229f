// Form validation: a 400 and a message naming the field, before anything runs.
import { describe, expect, it } from 'vitest';
import { AdminClient, csrfFrom } from '../../test/support/admin-client.ts';
import { adminHarness, OPERATOR } from '../../test/support/admin-harness.ts';

describe('login form validation', () => {
  it.each([
    [{ username: '', password: 'x' }, 'username: must not be empty'],
    [{ username: 'ada lovelace', password: 'x' }, 'username: may contain only letters, digits'],
    [{ username: 'a'.repeat(65), password: 'x' }, 'username: must be at most 64 characters'],
    [{ username: 'ada' }, 'password: is required'],
    [{ username: 'ada', password: '' }, 'password: must not be empty'],
    [{ username: 'ada', password: 'p'.repeat(1025) }, 'password: must be at most 1024 characters'],
  ])('%j → 400 "%s"', async (fields, message) => {
    const { app, audit } = await adminHarness();
    const client = new AdminClient(app);
    const token = csrfFrom(await (await client.get('/login')).text());
    const res = await client.postForm('/login', { _csrf: token, ...fields });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(message);
    expect(audit.entries).toEqual([]);
  });
});

describe('SQL form validation', () => {
  async function signedIn() {
    const h = await adminHarness();
    const client = new AdminClient(h.app);
    await client.login(OPERATOR.username, OPERATOR.password);
    return { ...h, client, token: await client.csrf() };
  }

  it.each([
    [{}, 'statement: is required'],
    [{ statement: '   ' }, 'statement: must not be empty'],
    [{ statement: `SELECT '${'x'.repeat(20_000)}'` }, 'statement: must be at most 20000 characters'],
  ])('POST /sql and /sql.csv %# → 400 naming the field, nothing executed or audited', async (fields, message) => {
    const { client, token, sql, audit } = await signedIn();
    for (const path of ['/sql', '/sql.csv']) {
      const res = await client.postForm(path, { _csrf: token, ...fields });
      expect(res.status, path).toBe(400);
      expect(await res.text()).toContain(message);
    }
    expect(sql.calls).toEqual([]);
    expect(audit.entries.filter((e) => e.action === 'sql')).toEqual([]);
  });

  it('a body over the size limit is refused with 413', async () => {
    const { client, token } = await signedIn();
    const res = await client.postForm('/sql', { _csrf: token, statement: `SELECT '${'x'.repeat(300_000)}'` });
    expect(res.status).toBe(413);
  });
});
