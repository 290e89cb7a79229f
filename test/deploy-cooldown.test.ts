// The deploy choreography against real Redis and BullMQ: `kraite deploy:cooldown` turns the
// cooldown on, waits while any physical queue of the topology holds a ready or reserved job, times
// out cleanly (exit 1, cooldown left on, connections closed) and succeeds once the queues drain;
// `kraite deploy:warmup` waits for workers, then daemons, and clears the cooldown last.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/ports/logger.ts';
import type { Topology } from '../core/fleet/topology.schema.ts';
import { BullMqQueue } from '../edge/adapters/bullmq/bullmq-queue.ts';
import { redisOptions } from '../edge/adapters/bullmq/redis-connection.ts';
import { main } from '../edge/cli/main.ts';
import { physicalQueues, waitForDrain } from '../edge/deploy/drain.ts';
import { warmupPhases } from '../edge/deploy/warmup.ts';
import { loadTopology } from '../edge/fleet/load-topology.ts';
import { RedisCooldown } from '../edge/scheduler/redis-cooldown.ts';
import { RedisHeartbeats } from '../edge/heartbeat/redis-heartbeats.ts';
import { deferred } from './support/deferred.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';

let topology: Topology;
let redis: Redis;
beforeAll(async () => {
  topology = await loadTopology();
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  await redis.quit();
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function rig() {
  const t = testPrefix();
  const queue = new BullMqQueue({ connection: redisOptions(REDIS_URL), prefix: t.prefix, logger: silentLogger });
  cleanups.push(t.cleanup, () => queue.close());
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: { REDIS_URL, KRAITE_QUEUE_PREFIX: t.prefix } });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  return { prefix: t.prefix, queue, run, cooldown: new RedisCooldown(redis, t.prefix), heartbeats: new RedisHeartbeats(redis, t.prefix) };
}

const job = (stepId: number) => ({ set: 'default' as const, stepId, dispatchedAt: Date.now() });

describe('deploy:cooldown', () => {
  it('covers every physical queue of the topology', () => {
    expect(physicalQueues(topology)).toEqual(expect.arrayContaining([
      'kraite.user-data-stream', 'kraite.positions', 'kraite.orders', 'kraite.priority', 'kraite.box.eos', 'kraite.box.hemera', 'kraite.indicators', 'kraite.cronjobs',
    ]));
  });

  it('counts reserved jobs as in flight and reports them when the wait times out', async () => {
    const r = rig();
    const hold = deferred();
    const started = deferred();
    r.queue.consume('kraite.orders', 1, async () => {
      started.resolve();
      await hold.promise;
    });
    await r.queue.push('kraite.orders', job(1));
    await started.promise;
    const timedOut = await waitForDrain(r.queue, physicalQueues(topology), { timeoutMs: 200, pollMs: 50 });
    expect(timedOut).toMatchObject({ drained: false, busy: [{ queue: 'kraite.orders', ready: 0, reserved: 1 }] });
    hold.resolve();
    const drained = await waitForDrain(r.queue, physicalQueues(topology), { timeoutMs: 10_000, pollMs: 20 });
    expect(drained).toMatchObject({ drained: true, busy: [] });
  });

  it('the command times out cleanly with the cooldown on, then succeeds once the queues drain', async () => {
    const r = rig();
    await r.queue.push('kraite.box.hemera', job(7)); // no consumer: a ready job
    const first = await r.run('deploy:cooldown', '--timeout', '1', '--poll-ms', '100', '--reason', 'release 0.2.0');
    expect(first.code).toBe(1);
    expect(first.err).toContain('timed out after 1 s; still busy: kraite.box.hemera (ready 1, reserved 0)');
    expect(await r.cooldown.current()).toMatchObject({ reason: 'release 0.2.0' });

    const done = deferred();
    r.queue.consume('kraite.box.hemera', 1, async () => done.resolve());
    await done.promise;
    const second = await r.run('deploy:cooldown', '--timeout', '10', '--poll-ms', '50');
    expect(second.code).toBe(0);
    expect(second.out).toContain('every queue drained');
    expect(await r.cooldown.current()).toMatchObject({ reason: 'release 0.2.0' }); // the first cooldown's start is kept
  });

  it('refuses bad arguments and a missing REDIS_URL with a clear message', async () => {
    const err: string[] = [];
    const io = { out: () => undefined, err: (l: string) => err.push(l), env: {} };
    expect(await main(['deploy:cooldown', '--timeout', 'soon'], { ...io, env: { REDIS_URL } })).toBe(2);
    expect(await main(['deploy:cooldown'], io)).not.toBe(0);
    expect(err.join('\n')).toContain('--timeout must be a whole number');
    expect(err.join('\n')).toContain('set REDIS_URL');
  });
});

describe('deploy:warmup', () => {
  const beat = (box: string, at: number, processes: string[]) => ({ box, worker: `${box}@h:1`, version: '0.2.0', at, startedAt: at, processes, consumers: [] });

  it('orders workers, then daemons, then the scheduler', () => {
    expect(warmupPhases(topology)).toEqual([
      { name: 'workers', boxes: ['eos', 'iris', 'nyx', 'hemera', 'tyche'] },
      { name: 'daemons', boxes: ['athena'] },
      { name: 'scheduler', boxes: ['athena'] },
    ]);
  });

  it('keeps the cooldown while a phase is missing, clears it when all are back', async () => {
    const r = rig();
    await r.cooldown.begin('release', 'test');
    const now = Date.now();
    for (const box of ['eos', 'iris', 'nyx', 'hemera', 'tyche']) await r.heartbeats.publish(beat(box, now, ['heartbeat']));
    const missingDaemons = await r.run('deploy:warmup', '--timeout', '0', '--skip-ready');
    expect(missingDaemons.code).toBe(1);
    expect(missingDaemons.out).toContain('warmup: workers up');
    expect(missingDaemons.err).toContain('daemons not back within 0 s: athena');
    expect(await r.cooldown.current()).not.toBeNull();

    await r.heartbeats.publish(beat('athena', now, ['dispatcher', 'scheduler', 'heartbeat']));
    const ok = await r.run('deploy:warmup', '--timeout', '5', '--skip-ready');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('cooldown cleared');
    expect(await r.cooldown.current()).toBeNull();
  });
});
