// Shorter unprotected windows (issue 14): a trading worker SIGKILLed mid-open, right after the
// exchange filled its market entry, is restarted under the same box-stable identity. It takes its
// previous life's step back at start (no waiting for a dead heartbeat: stale recovery here is the
// old 60 s), adopts the entry by client id, and the stop is on the exchange within the configured
// unprotected-window bound; if it does not come back, the position is paged once the bound passes.
// MariaDB + BullMQ on Redis, simulator over HTTP, real worker processes.
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { Severity } from '../core/notify/notifier.port.ts';
import { systemClock } from '../core/ports/clock.ts';
import { silentLogger } from '../core/ports/logger.ts';
import { MemoryLease } from '../core/scheduler/lease.port.ts';
import { toPosition } from '../core/trading/position.ts';
import { loadConfig } from '../edge/runtime/config.ts';
import { ProtectionWatch } from '../edge/runtime/protection-watch.ts';
import { crashWorld, kill, ordersByClientId, type CrashWorld } from './support/trading-crash.ts';

/** The default bound past which a filled entry without its stop pages the operator. */
const BOUND_MS = loadConfig({}).KRAITE_UNPROTECTED_ALERT_MS;
/** Stale recovery as slow as it used to be, so only a reclaim can bring the step back in time. */
const LIMITS = { heartbeatMs: 500, staleRunningMs: 60_000, staleDispatchedMs: 60_000, backoffMs: 100, maxBackoffMs: 1_000 };

let world: CrashWorld | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('a trading worker SIGKILLed right after its market entry filled', () => {
  it('restarted, reclaims its steps at start: the stop is placed within the unprotected-window bound, nothing duplicated', async () => {
    const w = (world = await crashWorld({ accounts: 1, directions: { ETHUSDT: 'LONG' }, limits: LIMITS, workerId: 'eos@crash-host' }));
    const [account] = w.accounts;
    let worker: ChildProcess = await w.startWorker();
    let killed: Promise<void> | null = null;
    let killedAt = 0;
    // The entry's first frame is published while the simulator handles the request: the worker dies
    // holding a filled entry it never wrote down.
    w.sim.engine.subscribe((e) => {
      if (killed || e.kind !== 'user') return;
      if (String((e.frame.o as { c?: string } | undefined)?.c ?? '').endsWith('-en')) {
        killedAt = Date.now();
        killed = kill(worker);
      }
    });
    await w.engine.start([{ handler: 'trading.open-positions' }], { set: 'trading' });
    await expect.poll(() => killed !== null, { timeout: 30_000, interval: 20 }).toBe(true);
    await killed;
    worker = await w.startWorker();

    const sim = w.sim.engine.account(account!.apiKey)!;
    const stop = () => [...sim.algoOrders.values()].find((a) => a.clientAlgoId.endsWith('-sl'));
    await expect.poll(() => stop() !== undefined, { timeout: BOUND_MS + 10_000, interval: 50 }).toBe(true);
    const entry = [...sim.orders.values()].find((o) => o.clientOrderId.endsWith('-en'))!;
    expect(entry.status).toBe('FILLED');
    // The unprotected window: from the entry's fill to the stop's acceptance, kill and restart included.
    expect(stop()!.createTime - entry.updateTime).toBeLessThan(BOUND_MS);
    expect(stop()!.createTime - killedAt).toBeLessThan(BOUND_MS);

    await expect.poll(async () => (await w.store.findRows('positions', {})).map(toPosition)[0]?.status, { timeout: 30_000, interval: 100 }).toBe('active');
    expect([...ordersByClientId(w.sim, account!.apiKey).values()].every((n) => n === 1)).toBe(true);
    const events = await w.store.listEvents({ limit: 1000 });
    expect(events.filter((e) => e.kind === 'step.reclaimed').map((e) => e.message)).toEqual([expect.stringMatching(/trading\.open\.market-entry\) was running on eos@crash-host#/)]);
    expect(events.filter((e) => e.kind === 'step.recovered')).toEqual([]);
    await kill(worker);
  }, 90_000);

  it('pages once when the worker does not come back and the stop is still missing past the bound, from one of the watching processes', async () => {
    const w = (world = await crashWorld({ accounts: 1, directions: { ETHUSDT: 'LONG' }, limits: LIMITS, workerId: 'eos@crash-host' }));
    const worker = await w.startWorker();
    let killed: Promise<void> | null = null;
    w.sim.engine.subscribe((e) => {
      if (!killed && e.kind === 'user' && String((e.frame.o as { c?: string } | undefined)?.c ?? '').endsWith('-en')) killed = kill(worker);
    });
    await w.engine.start([{ handler: 'trading.open-positions' }], { set: 'trading' });
    await expect.poll(() => killed !== null, { timeout: 30_000, interval: 20 }).toBe(true);
    await killed;

    // Two processes watch (say athena's dispatcher and a surviving trading box), sharing one lease.
    const pages: { subject: string; message: string; severity: Severity }[] = [];
    const lease = new MemoryLease(systemClock);
    const watch = (owner: string) => new ProtectionWatch({
      rows: w.store, clock: systemClock, logger: silentLogger, lease, owner, keyPrefix: 't', boundMs: 2_000, repeatMs: 60_000,
      notifier: { deliver: async (subject, message, severity) => (pages.push({ subject, message, severity }), 'sent') },
    });
    const [athena, iris] = [watch('athena@h'), watch('iris@h')];
    expect([...(await athena.check()), ...(await iris.check())]).toEqual([]);
    await expect.poll(async () => [...(await athena.check()), ...(await iris.check())].length + pages.length, { timeout: 10_000, interval: 200 }).toBeGreaterThan(0);
    await athena.check();
    await iris.check();
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ subject: expect.stringMatching(/^Unprotected position \d+ \(ETHUSDT\)$/), severity: 'critical' });
    expect(pages[0]!.message).toMatch(/has had a market entry whose answer was never recorded \(it may be filled\) without a working stop for \d+ s \(stop missing; limit 2 s\)/);
  }, 90_000);
});
