import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../ports/clock.ts';
import { silentLogger, type Logger } from '../ports/logger.ts';
import type { Step, StepSet, StepState } from '../steps/step.ts';
import { everyHours, everyMinutes, MINUTE } from './cadence.ts';
import { MemoryCooldown } from './cooldown.port.ts';
import { MemoryFireLog } from './fire-log.port.ts';
import { MemoryLease } from './lease.port.ts';
import type { ScheduleEntry } from './schedule-entry.ts';
import { SCHEDULE } from './schedule-table.ts';
import { Scheduler } from './scheduler.ts';
import type { StepStarter } from './step-starter.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 30);

/** A starter that records blocks by dedupe key and lets the test move their state. */
function fakeStarter(handlers: string[]) {
  const blocks = new Map<string, Step>();
  let id = 0;
  const starter: StepStarter = {
    async start(specs, options) {
      const existing = blocks.get(options.dedupeKey);
      if (existing) return [existing];
      const step = { id: ++id, state: 'dispatched', handler: specs[0]!.handler, args: specs[0]!.args, lane: specs[0]!.lane, set: options.set } as Step;
      blocks.set(options.dedupeKey, step);
      return [step];
    },
    findByDedupeKey: async (_set: StepSet, key: string) => blocks.get(key) ?? null,
    has: (h) => handlers.includes(h),
    setOf: () => 'default',
  };
  return { starter, blocks, finishAll: (state: StepState = 'completed') => blocks.forEach((s) => (s.state = state)) };
}

const entries: ScheduleEntry[] = [
  { name: 'every-minute', description: '', cadence: everyMinutes(1), pausedInCooldown: false, step: { handler: 'h.min', lane: 'cronjobs' } },
  { name: 'every-3', description: '', cadence: everyMinutes(3), pausedInCooldown: true, step: { handler: 'h.three', lane: 'positions', args: { a: 1 } } },
  { name: 'hourly-30', description: '', cadence: everyHours(1, 30), pausedInCooldown: true, step: { handler: 'h.hour', lane: 'indicators', args: (slot) => ({ slot }) } },
  { name: 'missing', description: '', cadence: everyMinutes(1), pausedInCooldown: false, step: { handler: 'not.registered', lane: 'cronjobs' } },
  { name: 'auto', description: '', cadence: everyMinutes(1), pausedInCooldown: false, automatic: 'the daemon does it' },
];

function build(opts: { owner?: string; lease?: MemoryLease; cooldown?: MemoryCooldown; clock?: ManualClock; starter?: ReturnType<typeof fakeStarter>; logger?: Logger; fireLog?: MemoryFireLog } = {}) {
  const clock = opts.clock ?? new ManualClock(T0);
  const fake = opts.starter ?? fakeStarter(['h.min', 'h.three', 'h.hour']);
  const lease = opts.lease ?? new MemoryLease(clock);
  const cooldown = opts.cooldown ?? new MemoryCooldown(clock);
  const fireLog = opts.fireLog ?? new MemoryFireLog();
  const scheduler = new Scheduler({ entries, starter: fake.starter, lease, cooldown, fireLog, clock, logger: opts.logger ?? silentLogger, owner: opts.owner ?? 'a' });
  return { clock, fake, lease, cooldown, fireLog, scheduler };
}

const fired = (reports: { entry: string; outcome: string }[]) => reports.filter((r) => r.outcome === 'fired').map((r) => r.entry);

describe('Scheduler', () => {
  it('fires each entry on its cadence, once per slot, with slot-derived args', async () => {
    const { clock, fake, scheduler } = build();
    expect(await scheduler.tick()).toEqual([]);
    const counts = new Map<string, number>();
    for (let m = 0; m < 120; m++) {
      clock.advance(MINUTE);
      for (const name of fired(await scheduler.tick())) counts.set(name, (counts.get(name) ?? 0) + 1);
      fake.finishAll();
    }
    expect(counts.get('every-minute')).toBe(120);
    expect(counts.get('every-3')).toBe(40);
    expect(counts.get('hourly-30')).toBe(2);
    expect(counts.has('auto')).toBe(false);
    const hourly = [...fake.blocks.entries()].filter(([k]) => k.startsWith('sched:hourly-30:')).map(([, s]) => s.args);
    expect(hourly).toEqual([{ slot: Date.UTC(2026, 0, 1, 12, 30) }, { slot: Date.UTC(2026, 0, 1, 13, 30) }]);
  });

  it('coalesces missed slots into one run', async () => {
    const { clock, scheduler } = build();
    clock.advance(10 * MINUTE);
    const reports = await scheduler.tick();
    expect(reports.filter((r) => r.entry === 'every-minute')).toHaveLength(1);
    expect(scheduler.status().find((s) => s.name === 'every-minute')!.nextRunAt).toBe(Date.UTC(2026, 0, 1, 12, 11));
  });

  it('never overlaps a run that is still in progress', async () => {
    const { clock, fake, scheduler } = build();
    clock.advance(MINUTE);
    expect(fired(await scheduler.tick())).toContain('every-minute');
    clock.advance(MINUTE);
    const second = await scheduler.tick();
    expect(second.find((r) => r.entry === 'every-minute')).toMatchObject({ outcome: 'overlap' });
    fake.finishAll();
    clock.advance(MINUTE);
    expect(fired(await scheduler.tick())).toContain('every-minute');
  });

  it('a second scheduler sharing the lease does not fire the same entry twice', async () => {
    const clock = new ManualClock(T0);
    const lease = new MemoryLease(clock);
    const fake = fakeStarter(['h.min', 'h.three', 'h.hour']);
    const a = build({ clock, lease, starter: fake, owner: 'a' }).scheduler;
    const b = build({ clock, lease, starter: fake, owner: 'b' }).scheduler;
    clock.advance(MINUTE);
    const ra = await a.tick();
    const rb = await b.tick();
    expect(fired(ra)).toEqual(['every-minute']);
    expect(rb.find((r) => r.entry === 'every-minute')!.outcome).toBe('already-fired');
    expect([...fake.blocks.keys()].filter((k) => k.startsWith('sched:every-minute:'))).toHaveLength(1);
  });

  it('a slot leased by another scheduler is not fired, and that is logged, counted and recorded', async () => {
    const warnings: { m: string; f?: Record<string, unknown> }[] = [];
    const logger: Logger = { ...silentLogger, warn: (m, f) => warnings.push({ m, f }), child: () => logger };
    const { clock, lease, fireLog, scheduler } = build({ logger, owner: 'athena@b' });
    clock.advance(MINUTE);
    await lease.acquire(`kraite:sched:every-minute:${Date.UTC(2026, 0, 1, 12, 1)}`, 'athena@a', MINUTE);
    const r = await scheduler.tick();
    expect(r.find((x) => x.entry === 'every-minute')).toMatchObject({ outcome: 'leased', detail: 'slot leased by athena@a' });
    expect(warnings.find((w) => w.f?.entry === 'every-minute')).toMatchObject({ f: { holder: 'athena@a', owner: 'athena@b' } });
    expect(scheduler.status().find((s) => s.name === 'every-minute')).toMatchObject({ lastOutcome: 'leased', leased: 1 });
    const view = await fireLog.read();
    expect(view.last.get('every-minute')).toMatchObject({ outcome: 'leased', owner: 'athena@b', slot: Date.UTC(2026, 0, 1, 12, 1) });
    expect(view.counts.get('every-minute')).toEqual({ leased: 1 });
  });

  it('a lease left by a crashed scheduler never blocks the next slot: the slot is in the key', async () => {
    const clock = new ManualClock(T0);
    const lease = new MemoryLease(clock);
    const fake = fakeStarter(['h.min', 'h.three', 'h.hour']);
    const dead = build({ clock, lease, starter: fake, owner: 'athena@old-host' }).scheduler;
    clock.advance(3 * MINUTE - 30_000); // 12:03:00, a slot of every entry but the hourly one
    expect(fired(await dead.tick())).toEqual(['every-minute', 'every-3']);
    fake.finishAll();
    // Killed right after the slot: its leases stay for a whole cadence. Another box's scheduler starts.
    clock.advance(1_000);
    const next = build({ clock, lease, starter: fake, owner: 'athena@new-host' }).scheduler;
    clock.advance(3 * MINUTE - 1_000);
    expect(fired(await next.tick())).toEqual(['every-minute', 'every-3']);
  });

  it('a restarted scheduler takes back a slot its predecessor leased but never fired (box-stable owner)', async () => {
    const clock = new ManualClock(T0);
    const lease = new MemoryLease(clock);
    const slot = Date.UTC(2026, 0, 1, 12, 0);
    await lease.acquire(`kraite:sched:every-minute:${slot}`, 'athena@host', MINUTE);
    const other = build({ clock, lease, owner: 'athena@elsewhere' }).scheduler;
    expect((await other.catchUp()).find((r) => r.entry === 'every-minute')).toMatchObject({ outcome: 'leased' });
    const restarted = build({ clock, lease, owner: 'athena@host' }).scheduler;
    expect((await restarted.catchUp()).find((r) => r.entry === 'every-minute')).toMatchObject({ outcome: 'fired', slot, detail: 'catch-up at start' });
  });

  it('catches up at start: a latest slot with no block, within the grace window and one cadence, fires once', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 40));
    const fake = fakeStarter(['h.min', 'h.three', 'h.hour']);
    fake.blocks.set(`sched:every-minute:${Date.UTC(2026, 0, 1, 12, 40)}`, { id: 99, state: 'completed' } as Step);
    const { scheduler } = build({ clock, starter: fake });
    const reports = await scheduler.catchUp();
    // every-minute: its slot already has a block; every-3 (12:39) fires; hourly-30 (12:30) is 10 min late: within 15 min.
    expect(reports.map((r) => [r.entry, r.outcome])).toEqual([['every-minute', 'already-fired'], ['every-3', 'fired'], ['hourly-30', 'fired'], ['missing', 'unavailable']]);
    expect(fake.blocks.has(`sched:every-3:${Date.UTC(2026, 0, 1, 12, 39)}`)).toBe(true);
    expect(await scheduler.catchUp().then(fired)).toEqual([]);
    const late = build({ clock: new ManualClock(Date.UTC(2026, 0, 1, 12, 46)) }).scheduler;
    expect(fired(await late.catchUp())).toEqual(['every-minute', 'every-3']);
    const off = new Scheduler({ entries, starter: fakeStarter(['h.min']).starter, lease: new MemoryLease(clock), cooldown: new MemoryCooldown(clock), clock, logger: silentLogger, owner: 'a', catchUpMs: 0 });
    expect(await off.catchUp()).toEqual([]);
  });

  it('pauses cooldown-gated entries during a deploy cooldown and resumes after', async () => {
    const { clock, fake, cooldown, scheduler } = build();
    await cooldown.begin('deploy', 'test');
    clock.advance(3 * MINUTE);
    const during = await scheduler.tick();
    expect(during.find((r) => r.entry === 'every-3')).toMatchObject({ outcome: 'cooldown' });
    expect(fired(during)).toEqual(['every-minute']);
    fake.finishAll();
    await cooldown.end();
    clock.advance(3 * MINUTE);
    expect(fired(await scheduler.tick())).toEqual(['every-minute', 'every-3']);
  });

  it('reports an entry whose handler is missing as unavailable, warning once', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (m, f) => warnings.push(`${m} ${String(f?.entry)}`), child: () => logger };
    const { clock, fake, scheduler } = build({ logger });
    for (let i = 0; i < 3; i++) {
      clock.advance(MINUTE);
      const r = await scheduler.tick();
      expect(r.find((x) => x.entry === 'missing')).toMatchObject({ outcome: 'unavailable' });
      fake.finishAll();
    }
    expect(warnings.filter((w) => w.endsWith('missing'))).toHaveLength(1);
  });

  it('a start that throws is reported as failed and the others still fire', async () => {
    const fake = fakeStarter(['h.min', 'h.three', 'h.hour']);
    fake.starter.start = async (specs, options) => {
      if (specs[0]!.handler === 'h.min') throw new Error('store down');
      return [{ id: 1, state: 'pending', handler: specs[0]!.handler } as Step].map((s) => (fake.blocks.set(options.dedupeKey, s), s));
    };
    const { clock, scheduler } = build({ starter: fake });
    clock.advance(3 * MINUTE);
    const r = await scheduler.tick();
    expect(r.find((x) => x.entry === 'every-minute')).toMatchObject({ outcome: 'failed' });
    expect(fired(r)).toEqual(['every-3']);
  });
});

describe('Scheduler timers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('catches up at start, wakes for each slot on its own and stops cleanly', async () => {
    vi.useFakeTimers({ now: T0 });
    const fake = fakeStarter(['h.min', 'h.three', 'h.hour']);
    const clock = { now: () => Date.now() };
    const scheduler = new Scheduler({ entries, starter: fake.starter, lease: new MemoryLease(clock), cooldown: new MemoryCooldown(clock), clock, logger: silentLogger, owner: 'a' });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    fake.finishAll();
    for (let m = 0; m < 5; m++) {
      await vi.advanceTimersByTimeAsync(MINUTE);
      fake.finishAll();
    }
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    const keys = [...fake.blocks.keys()];
    // 12:00 by the catch-up at start (30 s late), then 12:01 … 12:05.
    expect(keys.filter((k) => k.startsWith('sched:every-minute:'))).toHaveLength(6);
    expect(keys.filter((k) => k.startsWith('sched:every-minute:'))[0]).toBe(`sched:every-minute:${Date.UTC(2026, 0, 1, 12, 0)}`);
    expect(keys.filter((k) => k.startsWith('sched:every-3:'))).toEqual([`sched:every-3:${Date.UTC(2026, 0, 1, 12, 0)}`, `sched:every-3:${Date.UTC(2026, 0, 1, 12, 3)}`]);
  });
});

describe('the schedule table', () => {
  it('has every row of the spec, unique names, leases within cadence', () => {
    expect(SCHEDULE.length).toBeGreaterThanOrEqual(17);
    expect(new Set(SCHEDULE.map((e) => e.name)).size).toBe(SCHEDULE.length);
    for (const e of SCHEDULE) expect(Boolean(e.step) !== Boolean(e.automatic)).toBe(true);
    const notPaused = SCHEDULE.filter((e) => !e.pausedInCooldown).map((e) => e.name);
    expect(notPaused).toEqual(['recover-stale', 'refresh-listen-keys', 'check-stream-heartbeats', 'flush-saturation', 'fleet-heartbeat', 'health-check', 'supervise-exits']);
    expect(SCHEDULE.find((e) => e.name === 'fleet-heartbeat')!.automatic).toMatch(/every fleet process/);
  });
});
