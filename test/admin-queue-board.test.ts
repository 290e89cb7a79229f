// The queue dashboard on real Redis: bull-board under /queues behind the admin's session gate, over
// every physical queue of the topology under a private key prefix, read-only; and, without Redis,
// the page explaining that the in-process queue has no dashboard.
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allInOne } from '../core/fleet/topology.ts';
import { loadTopology } from '../edge/fleet/load-topology.ts';
import { redisOptions } from '../edge/adapters/bullmq/redis-connection.ts';
import { createQueueBoard, type QueueBoard } from '../web/admin/node/queue-board.ts';
import { AdminClient } from './support/admin-client.ts';
import { adminHarness, OPERATOR } from './support/admin-harness.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';

const redis = testPrefix();
let names: string[];
let board: QueueBoard;
let producer: Queue;

beforeAll(async () => {
  names = allInOne(await loadTopology()).consumers.map((c) => c.queue);
  board = createQueueBoard({ connection: redisOptions(REDIS_URL), prefix: redis.prefix, queues: names });
  producer = new Queue(names[0]!, { connection: redisOptions(REDIS_URL), prefix: redis.prefix });
  await producer.add('step', { set: 'trading', stepId: 1 });
});

afterAll(async () => {
  await producer?.close();
  await board?.close();
  await redis.cleanup();
});

async function harness() {
  const h = await adminHarness({}, { queueBoard: board.app });
  return { ...h, client: new AdminClient(h.app) };
}

type QueuesJson = { queues: { name: string; readOnlyMode: boolean; counts: Record<string, number> }[] };

describe('queue dashboard (Redis)', () => {
  it('needs a session: the page redirects to sign in, the API answers 401 JSON', async () => {
    const { app } = await harness();
    for (const path of ['/queues', '/queues/', `/queues/queue/${encodeURIComponent(names[0]!)}`]) {
      const res = await app.request(`https://admin.test${path}`);
      expect([res.status, res.headers.get('location')], path).toEqual([302, `/login?next=${encodeURIComponent(path)}`]);
    }
    const api = await app.request('https://admin.test/queues/api/queues');
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: 'sign in required' });
  });

  it('with a session: the board page answers 200 and the API lists every physical queue with its jobs', async () => {
    const { client } = await harness();
    await client.login(OPERATOR.username, OPERATOR.password);
    const slash = await client.get('/queues/');
    expect([slash.status, slash.headers.get('location')]).toEqual([301, '/queues']);
    for (const path of ['/queues', `/queues/queue/${encodeURIComponent(names[0]!)}`]) {
      const res = await client.get(path);
      expect(res.status, path).toBe(200);
      const page = await res.text();
      expect(page).toContain('<base href="/queues/"');
      expect(page).toContain('<title>Kraite queues</title>');
      expect(res.headers.get('content-security-policy')).toContain("style-src 'self' 'unsafe-inline'");
    }
    const css = /href="(static\/css\/[^"]+)"/.exec(await (await client.get('/queues')).text())![1];
    expect((await client.get(`/queues/${css}`)).status).toBe(200);
    const api = await client.get('/queues/api/queues');
    expect(api.status).toBe(200);
    const body = await api.json() as QueuesJson;
    expect(body.queues.map((q) => q.name).sort()).toEqual([...names].sort());
    const first = body.queues.find((q) => q.name === names[0])!;
    expect(first.readOnlyMode).toBe(true);
    expect(first.counts.waiting).toBe(1);
  });

  it('refuses state changes: no CSRF token is a 403 JSON; with one the read-only board still refuses', async () => {
    const { client } = await harness();
    await client.login(OPERATOR.username, OPERATOR.password);
    const path = `/queues/api/queues/${encodeURIComponent(names[0]!)}/pause`;
    const bad = await client.request(path, { method: 'PUT' });
    expect(bad.status).toBe(403);
    expect(await bad.json()).toEqual({ error: 'missing or invalid CSRF token' });
    const token = await client.csrf();
    const refused = await client.request(path, { method: 'PUT', headers: { 'x-csrf-token': token } });
    expect(refused.status).toBe(405);
    expect(await producer.isPaused()).toBe(false);
  });

  it('the admin navigation links to it', async () => {
    const { client } = await harness();
    await client.login(OPERATOR.username, OPERATOR.password);
    expect(await (await client.get('/')).text()).toContain('<a href="/queues">Queues</a>');
  });
});

describe('queue page in embedded mode', () => {
  it('needs a session, then explains the in-process queue has no dashboard, links to the queue panel and shows the lane metrics', async () => {
    const h = await adminHarness();
    const anonymous = await h.app.request('https://admin.test/queues');
    expect([anonymous.status, anonymous.headers.get('location')]).toEqual([302, '/login?next=%2Fqueues']);
    const client = new AdminClient(h.app);
    await client.login(OPERATOR.username, OPERATOR.password);
    const res = await client.get('/queues');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('there is no queue dashboard to open');
    expect(page).toContain('<a href="/#queues">dashboard\'s queue panel</a>');
    expect(page).toContain('<td>kraite.positions</td><td>0</td>');
    // The per-lane metrics are here too (none yet: the harness ran no step).
    expect(page).toContain('id="queue-metrics"');
    expect(res.headers.get('content-security-policy')).toContain("style-src 'self';");
  });
});
