// The live stream behind the admin's position, order and dashboard pages: Server-Sent Events that
// say `change` when a position, order, fill or balance row moves, and nothing while nothing does.
import { describe, expect, it } from 'vitest';
import { AdminClient } from '../../test/support/admin-client.ts';
import { adminHarness, OPERATOR } from '../../test/support/admin-harness.ts';
import { seedAdminData } from '../../test/support/admin-seed.ts';
import { tradingFingerprint } from './live-routes.ts';

/** Reads SSE text from `reader` until `pattern` shows up (or the stream ends). */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, pattern: RegExp, seen = { text: '' }): Promise<string> {
  const decoder = new TextDecoder();
  while (!pattern.test(seen.text)) {
    const { value, done } = await reader.read();
    if (done) break;
    seen.text += decoder.decode(value);
  }
  return seen.text;
}

describe('live updates', () => {
  it('streams hello, then change when an open position moves; the pages carry the script and a refresh link', async () => {
    const h = await adminHarness({ live: { pollMs: 10, maxMs: 5_000 } });
    const seed = await seedAdminData(h.fleet.store, h.clock.now());
    const client = new AdminClient(h.app, 'https://admin.test', { 'x-test-ip': '10.4.4.4' });
    await client.login(OPERATOR.username, OPERATOR.password);
    for (const path of ['/', '/positions', `/positions/${seed.positionId}`]) {
      const page = await (await client.get(path)).text();
      expect(page).toContain('<script src="/static/admin-live.js" defer></script>');
      expect(page).toMatch(/class="refresh">refresh<\/a>/);
    }
    const res = await client.get('/live/events');
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const seen = { text: '' };
    expect(await readUntil(reader, /event: hello/, seen)).toContain('event: hello');
    expect(seen.text).not.toContain('event: change');
    await h.fleet.store.transaction((tx) => tx.updateRows('positions', { id: seed.positionId }, { updated_at: h.clock.now() + 1 }));
    expect(await readUntil(reader, /event: change/, seen)).toContain('event: change');
    await reader.cancel();
  });

  it('fingerprints new rows and open positions, not unrelated tables', async () => {
    const h = await adminHarness();
    const seed = await seedAdminData(h.fleet.store, h.clock.now());
    const before = await tradingFingerprint(h.fleet.store);
    await h.fleet.store.transaction((tx) => tx.insertRow('regime_cooldown', { id: 1, updated_at: 1 }));
    expect(await tradingFingerprint(h.fleet.store)).toBe(before);
    await h.fleet.store.transaction((tx) => tx.updateRows('positions', { id: seed.positionId }, { status: 'syncing' }));
    expect(await tradingFingerprint(h.fleet.store)).not.toBe(before);
  });

  it('serves the theme and live scripts as JavaScript from self', async () => {
    const h = await adminHarness();
    const client = new AdminClient(h.app);
    await client.login(OPERATOR.username, OPERATOR.password);
    for (const path of ['/static/admin-theme.js', '/static/admin-live.js']) {
      const res = await client.get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/javascript');
    }
  });
});
