import { describe, expect, it } from 'vitest';
import type { Notifier, Severity } from '../notify/notifier.port.ts';
import { ManualClock } from '../ports/clock.ts';
import { silentLogger } from '../ports/logger.ts';
import { MemoryLease } from '../scheduler/lease.port.ts';
import { HeartbeatWatch } from './heartbeat-watch.ts';
import { HeartbeatPublisher, MemoryHeartbeats } from './heartbeat.port.ts';

const MIN = 60_000;
const EXPECTED = ['athena', 'eos', 'tyche', 'pheme'];

function fleet() {
  const clock = new ManualClock();
  const port = new MemoryHeartbeats();
  const lease = new MemoryLease(clock);
  const pages: { subject: string; message: string; severity: Severity }[] = [];
  let failing = false;
  const notifier: Notifier = {
    deliver: async (subject, message, severity) => {
      if (failing) throw new Error('pushover down');
      pages.push({ subject, message, severity });
      return 'sent';
    },
  };
  const beat = (box: string, processes = ['heartbeat'], worker = `${box}@h:1`) => new HeartbeatPublisher({ port, clock, boxes: [box], worker, version: '1', processes: () => processes, consumers: () => [] }).beat();
  const watcher = (box: string) => new HeartbeatWatch({
    port, lease, notifier, clock, logger: silentLogger, expected: EXPECTED, self: [box], watcher: `${box}@h:1`,
    staleMs: 3 * MIN, coldStartMs: 5 * MIN, pageEveryMs: 15 * MIN,
  });
  return { clock, pages, beat, watcher, failWith: (v: boolean) => (failing = v) };
}

describe('HeartbeatWatch', () => {
  it('a box gone quiet past the limit is paged once across every watcher, by one that is alive', async () => {
    const f = fleet();
    const watchers = ['athena', 'eos', 'pheme'].map(f.watcher);
    for (const b of EXPECTED) await f.beat(b);
    f.clock.advance(MIN);
    for (const b of ['athena', 'eos', 'pheme']) await f.beat(b);
    for (const w of watchers) expect(await w.check()).toEqual([]);
    // tyche stops; the others keep beating.
    for (let m = 0; m < 3; m++) {
      f.clock.advance(MIN);
      for (const b of ['athena', 'eos', 'pheme']) await f.beat(b);
      for (const w of watchers) await w.check();
    }
    expect(f.pages).toHaveLength(1);
    expect(f.pages[0]).toMatchObject({ subject: 'fleet:heartbeat:tyche', severity: 'critical' });
    expect(f.pages[0]!.message).toMatch(/^box tyche last published a heartbeat 240 s ago \(limit 180 s\) — seen by athena@h:1$/);
    // Still down: the next page comes one window later, from whichever watcher is first then.
    for (let m = 0; m < 15; m++) {
      f.clock.advance(MIN);
      for (const b of ['eos', 'pheme']) await f.beat(b);
      for (const w of watchers.slice(1)) await w.check();
    }
    expect(f.pages.map((p) => p.subject).sort()).toEqual(['fleet:heartbeat:athena', 'fleet:heartbeat:tyche', 'fleet:heartbeat:tyche']);
    expect(f.pages.find((p) => p.subject === 'fleet:heartbeat:athena')!.message).toMatch(/seen by eos@h:1$/);
  });

  it('an ordered cold start does not page boxes that have not beaten yet; past the grace it does', async () => {
    const f = fleet();
    const w = f.watcher('athena');
    await f.beat('athena');
    f.clock.advance(4 * MIN);
    await f.beat('eos');
    expect(await w.check()).toEqual([]);
    f.clock.advance(MIN);
    await f.beat('eos');
    expect((await w.check()).map((s) => s.box)).toEqual(['tyche', 'pheme']);
    expect(f.pages[0]!.message).toMatch(/^box tyche has never published a heartbeat \(300 s since athena@h:1 started\)/);
  });

  it('a standalone daemon beating for a box does not keep the box alive', async () => {
    const f = fleet();
    const w = f.watcher('eos');
    for (const b of EXPECTED) await f.beat(b);
    f.clock.advance(4 * MIN);
    for (const b of ['eos', 'tyche', 'pheme']) await f.beat(b);
    await f.beat('athena', ['mark-price-stream'], 'mark-price-stream@h:2');
    expect((await w.check()).map((s) => s.box)).toEqual(['athena']);
  });

  it('a failed delivery gives the page back so another watcher pages', async () => {
    const f = fleet();
    const [a, b] = [f.watcher('athena'), f.watcher('eos')];
    for (const x of EXPECTED) await f.beat(x);
    f.clock.advance(4 * MIN);
    for (const x of ['athena', 'eos', 'pheme']) await f.beat(x);
    f.failWith(true);
    expect(await a.check()).toEqual([]);
    f.failWith(false);
    expect((await b.check()).map((s) => s.box)).toEqual(['tyche']);
    expect(f.pages).toHaveLength(1);
  });
});
