import { describe, expect, it } from 'vitest';
import seeds from '../../infra/topology.json' with { type: 'json' };
import { MemoryHeartbeats } from '../../core/fleet/heartbeat.port.ts';
import { parseTopology } from '../../core/fleet/topology.ts';
import { MemoryCooldown } from '../../core/scheduler/cooldown.port.ts';
import { warmup } from './warmup.ts';

describe('warmup with readiness', () => {
  it('a box that beats but answers /health/ready with a failure holds the cooldown and is named with its reason', async () => {
    const topology = parseTopology(seeds);
    const heartbeats = new MemoryHeartbeats();
    const cooldown = new MemoryCooldown({ now: () => 0 });
    await cooldown.begin('release', 'test');
    for (const box of ['eos', 'iris', 'nyx', 'hemera', 'tyche', 'athena']) {
      await heartbeats.publish({ box, worker: `${box}@h:1`, version: '1', at: 100, startedAt: 100, processes: ['dispatcher', 'heartbeat'], consumers: [] });
    }
    let redisDown = true;
    const ready = async (box: string) => (box === 'eos' && redisDown ? 'redis' : null);
    let now = 0;
    const o = { heartbeats, cooldown, freshSince: 50, timeoutMs: 0, ready, now: () => now, sleep: async () => { now += 1; } };
    expect(await warmup(topology, o)).toEqual({ ok: false, failed: { phase: 'workers', missing: ['eos (not ready: redis)'] } });
    expect(await cooldown.current()).not.toBeNull();
    redisDown = false;
    expect(await warmup(topology, o)).toEqual({ ok: true });
    expect(await cooldown.current()).toBeNull();
  });
});
