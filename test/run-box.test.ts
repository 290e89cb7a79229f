// `kraite run --box eos` on MariaDB + Redis consumes exactly eos's queues, and runs steps routed there.
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queuesForBox } from '../core/fleet/topology.ts';
import { StepEngine } from '../core/steps/engine.ts';
import { TopologyRouter } from '../core/fleet/lane-router.ts';
import { createRegistry } from '../handlers/index.ts';
import { BullMqQueue } from '../edge/adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../edge/adapters/bullmq/redis-connection.ts';
import { openMySqlStepStore } from '../edge/adapters/mysql/open-mysql-store.ts';
import { main } from '../edge/cli/main.ts';
import { loadTopology } from '../edge/fleet/load-topology.ts';
import { freshDatabase, type TestDatabase } from './support/mysql-database.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';

let db: TestDatabase;
const keys = testPrefix();
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => {
  await keys.cleanup();
  await db.drop();
});

describe('kraite run --box', () => {
  it('consumes exactly the box queues and stops cleanly on a signal', async () => {
    const topology = await loadTopology();
    const out: string[] = [];
    const stop = new AbortController();
    const env = { DATABASE_URL: db.url, REDIS_URL, KRAITE_QUEUE_PREFIX: keys.prefix, KRAITE_PORT: '0', LOG_LEVEL: 'warn' };
    const running = main(['run', '--box', 'eos'], { out: (l) => out.push(l), err: (l) => out.push(l), env, signal: stop.signal });
    await expect.poll(() => out.join('\n'), { timeout: 20_000 }).toContain('consuming:');
    expect(out.join('\n')).toContain('kraite.positions×5, kraite.orders×8, kraite.priority×3, kraite.box.eos×1');
    expect(out.join('\n')).toContain('dispatch daemon: not on this box');

    const eos = new Set(queuesForBox(topology, 'eos').map((q) => q.queue));
    const every = new Set(topology.boxes.flatMap((b) => queuesForBox(topology, b.name).map((q) => q.queue)));
    const connection = redisOptions(REDIS_URL);
    for (const name of every) {
      const q = new Queue(name, { connection, prefix: keys.prefix });
      const workers = await q.getWorkers();
      expect([name, workers.length > 0]).toEqual([name, eos.has(name)]);
      await q.close();
    }

    // A step routed to the eos lane runs there.
    const store = await openMySqlStepStore(db.url);
    const queue = new BullMqQueue({ connection, prefix: keys.prefix });
    const engine = new StepEngine({ store, queue, registry: createRegistry(), router: new TopologyRouter(topology) });
    const [step] = await engine.start([{ handler: 'system.noop', lane: 'eos' }]);
    await expect.poll(async () => (await store.getStep(step!.set, step!.id))!.state, { timeout: 20_000 }).toBe('completed');
    expect((await store.getStep(step!.set, step!.id))!.worker).toMatch(/^eos@/);
    await queue.close();
    await store.close();

    stop.abort();
    expect(await running).toBe(0);
    expect(out.join('\n')).toContain('kraite: stopped');
  });

  it('refuses a storage box and an unknown box with a clear message', async () => {
    const err: string[] = [];
    const io = { out: () => {}, err: (l: string) => err.push(l), env: { KRAITE_PORT: '0' } };
    expect(await main(['run', '--box', 'hyperion'], io)).toBe(2);
    expect(await main(['run', '--box', 'atlantis'], io)).toBe(1);
    expect(await main(['run'], io)).toBe(2);
    expect(err.join('\n')).toMatch(/hyperion is a storage box/);
    expect(err.join('\n')).toMatch(/no box "atlantis"/);
    expect(err.join('\n')).toMatch(/exactly one of --box NAME or --all/);
  });
});
