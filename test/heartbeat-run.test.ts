// `kraite run --box athena` starts the edge services: a heartbeat per box the process stands in
// for, published to Redis at start, naming the scheduler where the topology puts it; a worker box
// beats without a scheduler. Stopping the process stops them. The `run --all` plan (npm start),
// given to startFleetProcess as the run command does, beats for every box with the scheduler.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisHeartbeats } from '../edge/heartbeat/redis-heartbeats.ts';
import { main } from '../edge/cli/main.ts';
import { planFor } from '../edge/cli/commands/run.command.ts';
import { silentLogger } from '../core/ports/logger.ts';
import { createRegistry } from '../handlers/index.ts';
import { openBackends } from '../edge/runtime/backends.ts';
import { startFleetProcess } from '../edge/runtime/fleet-process.ts';
import { REDIS_URL, testPrefix } from './support/redis.ts';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  await redis.quit();
});

async function runFor(args: string[], check: (beats: RedisHeartbeats) => Promise<void>): Promise<void> {
  const keys = testPrefix();
  const out: string[] = [];
  const stop = new AbortController();
  const env = { REDIS_URL, KRAITE_QUEUE_PREFIX: keys.prefix, KRAITE_PORT: '0', LOG_LEVEL: 'warn' };
  const running = main(args, { out: (l) => out.push(l), err: (l) => out.push(l), env, signal: stop.signal });
  try {
    await expect.poll(() => out.join('\n'), { timeout: 20_000 }).toContain('consuming:');
    await check(new RedisHeartbeats(redis, keys.prefix));
  } finally {
    stop.abort();
    expect(await running).toBe(0);
    await keys.cleanup();
  }
}

describe('edge services in the fleet process', () => {
  it('run --box athena beats with dispatcher and scheduler', async () => {
    await runFor(['run', '--box', 'athena'], async (beats) => {
      await expect.poll(async () => (await beats.list()).map((b) => b.box), { timeout: 10_000 }).toEqual(['athena']);
      const athena = (await beats.list())[0]!;
      expect(athena.processes).toEqual(['dispatcher', 'scheduler', 'heartbeat']);
      expect(athena.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(athena.consumers).toEqual([{ queue: 'kraite.user-data-stream', concurrency: 5 }]);
    });
  });

  it('a worker box beats without scheduler or dispatcher', async () => {
    await runFor(['run', '--box', 'tyche'], async (beats) => {
      await expect.poll(async () => (await beats.list()).length, { timeout: 10_000 }).toBe(1);
      expect((await beats.list())[0]).toMatchObject({ box: 'tyche', processes: ['heartbeat'], consumers: [{ queue: 'kraite.indicators', concurrency: 10 }, { queue: 'kraite.cronjobs', concurrency: 3 }] });
    });
  });

  it('the run --all plan beats for every box and runs the scheduler', async () => {
    const keys = testPrefix();
    const backends = await openBackends({ REDIS_URL, KRAITE_QUEUE_PREFIX: keys.prefix });
    const fleet = startFleetProcess({ plan: planFor(backends.topology, { all: true }), store: backends.store, queue: backends.queue, router: backends.router, registry: createRegistry(), logger: silentLogger, worker: 'all@test' });
    try {
      const beats = new RedisHeartbeats(redis, keys.prefix);
      await expect.poll(async () => (await beats.list()).map((b) => b.box).sort(), { timeout: 10_000 })
        .toEqual(['athena', 'eos', 'hemera', 'iris', 'nyx', 'pheme', 'tyche']);
      expect(fleet.edge?.scheduler).not.toBeNull();
      expect((await beats.list()).every((b) => b.processes.join() === 'dispatcher,scheduler,heartbeat')).toBe(true);
      expect(fleet.edge!.scheduler!.status().find((e) => e.name === 'recover-stale')!.nextRunAt).toBeGreaterThan(Date.now());
    } finally {
      await fleet.stop(1000);
      await backends.close();
      await keys.cleanup();
    }
  });
});
