import { describe, expect, it } from 'vitest';
import { ManualClock } from '../ports/clock.ts';
import { HeartbeatPublisher, MemoryHeartbeats, staleBoxes } from './heartbeat.port.ts';

describe('heartbeats', () => {
  it('finds boxes whose newest beat is too old or missing', async () => {
    const clock = new ManualClock();
    const port = new MemoryHeartbeats();
    const pub = (box: string, worker: string) => new HeartbeatPublisher({ port, clock, boxes: [box], worker, version: '1', processes: () => ['dispatcher'], consumers: () => [] });
    await pub('eos', 'eos@a:1').beat();
    clock.advance(5 * 60_000);
    await pub('iris', 'iris@b:1').beat();
    const beats = await port.list();
    expect(beats.map((b) => b.box)).toEqual(['iris', 'eos']);
    expect(staleBoxes(['eos', 'iris', 'nyx'], beats, clock.now(), 3 * 60_000)).toEqual([
      { box: 'eos', lastAt: clock.now() - 5 * 60_000 }, { box: 'nyx', lastAt: null },
    ]);
    expect(await port.prune(clock.now() - 60_000)).toBe(1);
  });
});
