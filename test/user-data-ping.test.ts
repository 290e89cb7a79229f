// Server pings count as liveness: with no data frame at all, a stream the exchange keeps pinging
// is never flagged by the watchdog, and accounts.last_frame_at advances, at most every 30 s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryQueue } from '../core/adapters/memory/memory-queue.ts';
import { MemoryStepStore } from '../core/adapters/memory/memory-step-store.ts';
import { silentLogger } from '../core/ports/logger.ts';
import { StepEngine } from '../core/steps/engine.ts';
import { HandlerRegistry } from '../core/steps/registry.ts';
import { TABLES, TRADING_UNIQUE_KEYS } from '../core/trading/tables.ts';
import { simAccounts, type SimAccounts } from '../edge/streams/user-data/sim-accounts.ts';
import { ManualTimers } from '../edge/streams/user-data/timers.ts';
import { UserDataDaemon } from '../edge/streams/user-data/user-data-daemon.ts';
import { until } from './support/wait-until.ts';

describe('user-data stream pings', () => {
  let fleet: SimAccounts;
  let store: MemoryStepStore;
  let timers: ManualTimers;
  let daemon: UserDataDaemon;

  beforeAll(async () => {
    store = new MemoryStepStore({ uniqueKeys: TRADING_UNIQUE_KEYS });
    fleet = await simAccounts(store, 1, { prefix: 'udp', sim: { pingIntervalMs: 20 } });
    timers = new ManualTimers();
    const engine = new StepEngine({ store, queue: new MemoryQueue({ logger: silentLogger }), registry: new HandlerRegistry(), clock: timers.clock });
    daemon = new UserDataDaemon({ engine, credentialsKey: fleet.credentialsKey, restUrl: fleet.sim.restUrl, wsUrl: fleet.sim.wsUrl, timers, clock: timers.clock, watchdogEveryMs: 3_600_000 });
    await daemon.start();
    timers.runDue();
    await until('connected', () => daemon.status().open === 1);
  });
  afterAll(async () => {
    await daemon.stop();
    await fleet.close();
  });

  const lastFrameAt = async () => (await store.findRows(TABLES.accounts, { id: fleet.accounts[0]!.id }))[0]!.last_frame_at;

  it('records pings in last_frame_at at most every 30 s and keeps the watchdog quiet', async () => {
    const t0 = timers.clock.now();
    await until('the connect recorded', async () => (await lastFrameAt()) === t0);
    timers.clock.advance(10_000);
    const stream = daemon.stream(fleet.accounts[0]!.id)!;
    await until('a ping seen', () => stream.stats.lastSeenAt === t0 + 10_000);
    expect(await lastFrameAt()).toBe(t0);
    expect(stream.stats.frames).toBe(0);
    timers.clock.advance(20_000);
    await until('a ping written', async () => (await lastFrameAt()) === t0 + 30_000);
    for (let minute = 0; minute < 20; minute++) {
      timers.clock.advance(60_000);
      const at = timers.clock.now();
      await until('a ping', () => stream.stats.lastSeenAt === at);
      expect(daemon.watchdog()).toEqual([]);
    }
    expect(stream.stats.frames).toBe(0);
  });
});
