// 200 simulated accounts on one daemon over real loopback sockets: handshakes are staggered at
// boot and after a mass disconnect, one boot summary is written, shards split the accounts, and
// the memory ceiling grows with the account count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../core/adapters/memory/memory-step-store.ts';
import { silentLogger } from '../core/ports/logger.ts';
import { StepEngine } from '../core/steps/engine.ts';
import { HandlerRegistry } from '../core/steps/registry.ts';
import { memoryCeilingBytes } from '../core/streams/reconnect-policy.ts';
import { TABLES, TRADING_UNIQUE_KEYS } from '../core/trading/tables.ts';
import { simAccounts, type SimAccounts } from '../edge/streams/user-data/sim-accounts.ts';
import { parseShard } from '../edge/streams/user-data/shard.ts';
import { ManualTimers } from '../edge/streams/user-data/timers.ts';
import { UserDataDaemon } from '../edge/streams/user-data/user-data-daemon.ts';
import { until } from './support/wait-until.ts';

const ACCOUNTS = 200;

describe('user-data daemon with 200 accounts', () => {
  let fleet: SimAccounts;
  let store: MemoryStepStore;
  let timers: ManualTimers;
  let daemon: UserDataDaemon;
  const exceeded: number[] = [];
  let rss = 100 * 1048576;

  beforeAll(async () => {
    store = new MemoryStepStore({ uniqueKeys: TRADING_UNIQUE_KEYS });
    fleet = await simAccounts(store, ACCOUNTS, { prefix: 'udf' });
    timers = new ManualTimers();
    const engine = new StepEngine({ store, queue: new MemoryQueue({ logger: silentLogger }), registry: new HandlerRegistry(), clock: timers.clock });
    daemon = new UserDataDaemon({
      engine, credentialsKey: fleet.credentialsKey, restUrl: fleet.sim.restUrl, wsUrl: fleet.sim.wsUrl, timers, clock: timers.clock, staggerMs: 100,
      memory: { rss: () => rss, onExceeded: (r) => exceeded.push(r) },
    });
    await daemon.start();
  });
  afterAll(async () => {
    await daemon.stop();
    await fleet.close();
  });

  // Connect timers only: the keep-alives (60 s) and the memory check (30 s) fall outside the window.
  const connectTimes = (from: number) => timers.scheduledAt().filter((t) => t >= from && t < from + 25_000);

  it('staggers the boot handshakes 100 ms apart and writes one boot summary', async () => {
    const t0 = timers.clock.now();
    const times = daemon.status().streams.map((s) => s.nextConnectAt!).sort((a, b) => a - b);
    expect(times).toHaveLength(ACCOUNTS);
    expect(connectTimes(t0)).toEqual(times);
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual(Array(ACCOUNTS - 1).fill(100));
    // Only the first account's handshake is due now: no burst.
    expect(times.filter((t) => t <= t0)).toHaveLength(1);
    timers.advance(ACCOUNTS * 100);
    await until('every account connected', () => daemon.status().open === ACCOUNTS, 20_000, 10);
    await until('the boot summary', () => daemon.status().bootSummary !== null, 20_000, 10);
    expect(daemon.status().bootSummary).toBe(`user-data streams up: ${ACCOUNTS} of ${ACCOUNTS} account(s) connected`);
    expect((await store.findRows(TABLES.notifications, {})).map((n) => n.subject)).toEqual(['User-data streams started']);
  });

  it('staggers the reconnects after every socket drops at once', async () => {
    const t0 = timers.clock.now();
    fleet.sim.engine.faults.dropConnections('user');
    await until('every drop seen', () => daemon.status().streams.every((s) => s.state === 'waiting'), 20_000, 10);
    const times = daemon.status().streams.map((s) => s.nextConnectAt!).sort((a, b) => a - b);
    expect(times).toHaveLength(ACCOUNTS);
    expect(times[0]).toBe(t0 + 1000);
    expect(Math.min(...times.slice(1).map((t, i) => t - times[i]!))).toBe(100);
    timers.advance(1000 + ACCOUNTS * 100);
    await until('every account reconnected', () => daemon.status().open === ACCOUNTS, 20_000, 10);
    expect(daemon.status().streams.every((s) => s.connects === 2)).toBe(true);
  });

  it('sets the memory ceiling by the account count and reports crossing it', () => {
    const ceiling = memoryCeilingBytes(ACCOUNTS);
    expect(ceiling).toBeLessThanOrEqual(250 * 1048576);
    expect(memoryCeilingBytes(ACCOUNTS * 2)).toBeGreaterThan(ceiling);
    expect(daemon.checkMemory()).toEqual({ rss, ceiling, exceeded: false });
    rss = ceiling + 1;
    expect(daemon.checkMemory().exceeded).toBe(true);
    expect(exceeded).toEqual([ceiling + 1]);
  });

  it('splits accounts over shards by id: disjoint and complete', async () => {
    const ids = fleet.accounts.map((a) => a.id);
    const shards = [parseShard('0/3'), parseShard('1/3'), parseShard('2/3')];
    const owned = shards.map((s) => ids.filter((id) => id % s.count === s.index));
    expect(owned.flat().sort((a, b) => a - b)).toEqual(ids);
    const half = new UserDataDaemon({
      engine: new StepEngine({ store, queue: new MemoryQueue({ logger: silentLogger }), registry: new HandlerRegistry() }), credentialsKey: fleet.credentialsKey,
      restUrl: fleet.sim.restUrl, wsUrl: fleet.sim.wsUrl, timers: new ManualTimers(), shard: parseShard('1/2'),
    });
    await half.start();
    expect(half.status().streams.map((s) => s.accountId)).toEqual(ids.filter((id) => id % 2 === 1));
    await half.stop();
    expect(() => parseShard('3/3')).toThrow(/--shard 3\/3: i must be between 0 and n-1/);
    expect(() => parseShard('a/b')).toThrow(/--shard must look like i\/n/);
  });
});
