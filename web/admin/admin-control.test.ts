// The controls that move money or stop trading: each asks for confirmation on a page of its own
// (no JavaScript needed), needs the CSRF token, starts its work through the engine and is audited.
import { describe, expect, it } from 'vitest';
import { HandlerRegistry } from '../../core/steps/registry.ts';
import { readPauseOpens } from '../../core/trading/pause-opens.ts';
import { getPosition, ordersOf } from '../../core/trading/reads.ts';
import { tradingHandlers } from '../../handlers/trading/index.ts';
import { AdminClient } from '../../test/support/admin-client.ts';
import { adminHarness, OPERATOR } from '../../test/support/admin-harness.ts';
import { seedAdminData } from '../../test/support/admin-seed.ts';

async function signedIn() {
  const registry = new HandlerRegistry(tradingHandlers({ exchanges: { forAccount: () => Promise.reject(new Error('no exchange in this test')) } }));
  const h = await adminHarness({}, { registry });
  const seed = await seedAdminData(h.fleet.store, h.clock.now());
  const client = new AdminClient(h.app, 'https://admin.test', { 'x-test-ip': '10.3.3.3' });
  await client.login(OPERATOR.username, OPERATOR.password);
  return { ...h, seed, client, token: await client.csrf() };
}

const closeSteps = async (h: Awaited<ReturnType<typeof signedIn>>) =>
  (await h.fleet.store.listSteps('trading', { limit: 500 })).filter((s) => s.handler === 'trading.close.begin');

describe('close now', () => {
  it('asks to confirm, then starts the close workflow with an operator reason, once, and audits who and where', async () => {
    const h = await signedIn();
    const positionPage = await (await h.client.get(`/positions/${h.seed.positionId}`)).text();
    expect(positionPage).toContain(`action="/positions/${h.seed.positionId}/close"`);

    const confirm = await h.client.postForm(`/positions/${h.seed.positionId}/close`, { _csrf: h.token });
    expect(confirm.status).toBe(200);
    const confirmText = await confirm.text();
    expect(confirmText).toContain('Yes, close BTCUSDT LONG now');
    expect(confirmText).toContain('name="confirm" value="yes"');
    expect(await closeSteps(h)).toEqual([]);

    for (let i = 0; i < 2; i++) {
      const done = await h.client.postForm(`/positions/${h.seed.positionId}/close`, { _csrf: h.token, confirm: 'yes' });
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toMatch(new RegExp(`^/positions/${h.seed.positionId}\\?closing=\\d+$`));
    }
    const started = await closeSteps(h);
    expect(started).toHaveLength(1);
    expect(started[0]!.args).toEqual({ position: h.seed.positionUuid, reason: 'operator close now by ada' });
    expect(started[0]!.lane).toBe('priority');
    const audit = (await h.audit.recent(10)).filter((e) => e.action === 'position-close');
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ who: 'ada', ip: '10.3.3.3', outcome: 'ok', subject: `position:${h.seed.positionId} BTCUSDT` });
  });

  it('refuses without the CSRF token and refuses a position that is not open', async () => {
    const h = await signedIn();
    expect((await h.client.postForm(`/positions/${h.seed.positionId}/close`, { confirm: 'yes' })).status).toBe(403);
    await h.fleet.store.transaction((tx) => tx.updateRows('positions', { id: h.seed.positionId }, { status: 'closed', is_open: null }));
    const refused = await h.client.postForm(`/positions/${h.seed.positionId}/close`, { _csrf: h.token, confirm: 'yes' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('is closed: there is nothing to close');
    expect(await closeSteps(h)).toEqual([]);
    expect((await h.audit.recent(5)).find((e) => e.action === 'position-close')).toMatchObject({ outcome: 'refused' });
  });
});

describe('cancel this order', () => {
  it('is offered only for a live order of a position no longer managed, confirmed, then started through the engine', async () => {
    const h = await signedIn();
    const rung = (await ordersOf(h.fleet.store, h.seed.positionId)).find((o) => o.role === 'rung')!;
    expect(await (await h.client.get(`/positions/${h.seed.positionId}`)).text()).not.toContain('Cancel this order');
    const managed = await h.client.postForm(`/orders/${rung.clientOrderId}/cancel`, { _csrf: h.token, confirm: 'yes' });
    expect(managed.status).toBe(409);
    expect(await managed.text()).toContain('close the position instead');

    await h.fleet.store.transaction((tx) => tx.updateRows('positions', { id: h.seed.positionId }, { status: 'failed', is_open: null }));
    expect((await getPosition(h.fleet.store, h.seed.positionId))!.status).toBe('failed');
    expect(await (await h.client.get(`/positions/${h.seed.positionId}`)).text()).toContain(`action="/orders/${rung.clientOrderId}/cancel"`);
    expect(await (await h.client.postForm(`/orders/${rung.clientOrderId}/cancel`, { _csrf: h.token })).text()).toContain('Yes, cancel this order');
    const done = await h.client.postForm(`/orders/${rung.clientOrderId}/cancel`, { _csrf: h.token, confirm: 'yes' });
    expect(done.status).toBe(303);
    const steps = (await h.fleet.store.listSteps('trading', { limit: 500 })).filter((s) => s.handler === 'trading.order.cancel');
    expect(steps.map((s) => s.args)).toEqual([{ position: h.seed.positionUuid, clientOrderId: rung.clientOrderId }]);
    expect((await h.audit.recent(5)).find((e) => e.action === 'order-cancel')).toMatchObject({ who: 'ada', outcome: 'ok' });
  });
});

describe('pause new opens', () => {
  it('confirms, sets the fleet-wide switch with who and why, shows it, and resumes the same way', async () => {
    const h = await signedIn();
    expect((await readPauseOpens(h.fleet.store)).paused).toBe(false);
    const missing = await h.client.postForm('/pause-opens', { _csrf: h.token, paused: '1', reason: ' ' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('reason: say why');
    const confirm = await (await h.client.postForm('/pause-opens', { _csrf: h.token, paused: '1', reason: 'exchange incident' })).text();
    expect(confirm).toContain('Yes, pause new opens');
    expect((await readPauseOpens(h.fleet.store)).paused).toBe(false);
    expect((await h.client.postForm('/pause-opens', { _csrf: h.token, paused: '1', reason: 'exchange incident', confirm: 'yes' })).status).toBe(303);
    expect(await readPauseOpens(h.fleet.store)).toMatchObject({ paused: true, by: 'ada', reason: 'exchange incident' });
    expect(await (await h.client.get('/')).text()).toContain('paused by ada');
    await h.client.postForm('/pause-opens', { _csrf: h.token, paused: '0', reason: 'incident over', confirm: 'yes' });
    expect((await readPauseOpens(h.fleet.store)).paused).toBe(false);
    expect((await h.audit.recent(10)).filter((e) => e.action === 'pause-opens').map((e) => [e.subject, e.outcome])).toEqual([['resume', 'ok'], ['pause', 'ok'], ['pause', 'refused']]);
  });
});
