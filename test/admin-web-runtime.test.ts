// The admin as `kraite run` serves it: the fleet heartbeat panel fed by the process's own edge
// services, and /queues as the embedded explanation (run --all) or the bull-board dashboard over
// every physical queue (run --box pheme with REDIS_URL), both behind the login, over real HTTP.
import { afterAll, describe, expect, it } from 'vitest';
import { allInOne } from '../core/fleet/topology.ts';
import { main } from '../edge/cli/main.ts';
import { loadTopology } from '../edge/fleet/load-topology.ts';
import { AdminClient, httpTarget } from './support/admin-client.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';
import { tempDataDir } from './support/temp-data-dir.ts';

const keys = testPrefix();
afterAll(() => keys.cleanup());

/** Starts `kraite run …`, waits for the banner, signs in with the first-run credentials. */
async function start(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const stop = new AbortController();
  const running = main(['run', ...args], { out: (l) => out.push(l), err: (l) => out.push(l), env: { KRAITE_PORT: '0', LOG_LEVEL: 'warn', KRAITE_DATA_DIR: tempDataDir(), ...env }, signal: stop.signal });
  await expect.poll(() => out.join('\n'), { timeout: 20_000 }).toMatch(/sign in as "[^"]+" with password "[^"]+"/);
  const text = out.join('\n');
  const url = /admin: (http:\/\/\S+)\//.exec(text)![1]!;
  const [, username, password] = /sign in as "([^"]+)" with password "([^"]+)"/.exec(text)!;
  const client = new AdminClient(httpTarget, url);
  return {
    client, username: username!, password: password!,
    async stop() {
      stop.abort();
      expect(await running).toBe(0);
    },
  };
}

describe('admin runtime wiring', () => {
  it('run --all (embedded): heartbeats on the dashboard, /queues explains there is no queue dashboard', async () => {
    const run = await start(['--all'], {});
    try {
      expect((await run.client.get('/queues')).status).toBe(302);
      expect((await run.client.login(run.username, run.password)).status).toBe(303);
      const dashboard = () => run.client.get('/').then((r) => r.text());
      expect(await dashboard()).not.toMatch(/<h2>Fleet heartbeat<\/h2><p class="muted">Not reported yet/);
      // The first beat is published as the process starts; poll rather than assume it has landed.
      await expect.poll(dashboard, { timeout: 10_000 }).toMatch(/<td>eos<\/td><td><span class="badge good">ok<\/span>/);
      const queues = await run.client.get('/queues');
      expect(queues.status).toBe(200);
      expect(await queues.text()).toContain('there is no queue dashboard to open');
    } finally {
      await run.stop();
    }
  });

  it('run --box pheme with REDIS_URL: /queues is bull-board over every physical queue, behind the login', async () => {
    const names = allInOne(await loadTopology()).consumers.map((c) => c.queue);
    const run = await start(['--box', 'pheme'], { REDIS_URL, KRAITE_QUEUE_PREFIX: keys.prefix });
    try {
      expect((await run.client.get('/queues/api/queues')).status).toBe(401);
      expect((await run.client.login(run.username, run.password)).status).toBe(303);
      const page = await run.client.get('/queues');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Kraite queues</title>');
      const api = await run.client.get('/queues/api/queues');
      expect(api.status).toBe(200);
      expect(((await api.json()) as { queues: { name: string }[] }).queues.map((q) => q.name).sort()).toEqual([...names].sort());
      // pheme publishes its own heartbeat to Redis; the dashboard reads it back.
      await expect.poll(() => run.client.get('/').then((r) => r.text()), { timeout: 10_000 }).toMatch(/<td>pheme<\/td><td><span class="badge good">ok<\/span>/);
    } finally {
      await run.stop();
    }
  });
});
