import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TopologyRouter } from './lane-router.ts';
import { allInOne, parseTopology, queuesForBox } from './topology.ts';

const seeds = JSON.parse(readFileSync(new URL('../../infra/topology.json', import.meta.url), 'utf8'));
const clone = () => structuredClone(seeds);

describe('topology', () => {
  const t = parseTopology(seeds);

  it('holds the seeds fleet: four trading workers, tyche, athena, pheme, hyperion', () => {
    expect(t.boxes.map((b) => b.name)).toEqual(['hyperion', 'athena', 'eos', 'iris', 'nyx', 'hemera', 'tyche', 'pheme']);
    for (const name of ['eos', 'iris', 'nyx', 'hemera']) {
      expect(queuesForBox(t, name)).toEqual([
        { queue: 'kraite.positions', lane: 'positions', concurrency: 5 },
        { queue: 'kraite.orders', lane: 'orders', concurrency: 8 },
        { queue: 'kraite.priority', lane: 'priority', concurrency: 3 },
        { queue: `kraite.box.${name}`, lane: name, concurrency: 1 },
      ]);
    }
    expect(queuesForBox(t, 'tyche').map((q) => [q.lane, q.concurrency])).toEqual([['indicators', 10], ['cronjobs', 3]]);
    expect(queuesForBox(t, 'athena').map((q) => [q.lane, q.concurrency])).toEqual([['user-data-stream', 5]]);
    expect(queuesForBox(t, 'pheme')).toEqual([]);
    expect(queuesForBox(t, 'hyperion')).toEqual([]);
  });

  it('names the bad field of an invalid file', () => {
    const bad = clone();
    bad.boxes[3].queues[1].concurrency = 0;
    expect(() => parseTopology(bad, 'x.json')).toThrow('x.json: boxes[3].queues[1].concurrency: must be a positive integer');
    const dup = clone();
    dup.boxes[4].name = 'eos';
    expect(() => parseTopology(dup)).toThrow(/boxes\[4\]\.name: duplicate box name "eos"/);
    const webQueue = clone();
    webQueue.boxes[7].queues = [{ lane: 'orders', concurrency: 1 }];
    expect(() => parseTopology(webQueue)).toThrow(/boxes\[7\]\.queues: a web box consumes no queue/);
    const lane = clone();
    lane.boxes[2].queues[0].lane = 'postions';
    expect(() => parseTopology(lane)).toThrow(/boxes\[2\]\.queues\[0\]\.lane: unknown lane "postions"/);
    const extra = clone();
    extra.boxes[0].color = 'red';
    expect(() => parseTopology(extra)).toThrow(/boxes\[0\]/);
    const noDispatcher = clone();
    noDispatcher.boxes[1].daemons = [];
    expect(() => parseTopology(noDispatcher)).toThrow(/no box runs the dispatcher daemon/);
  });

  it('runs everything in one process with each queue once', () => {
    const all = allInOne(t);
    expect(all.consumers.find((c) => c.lane === 'positions')).toEqual({ queue: 'kraite.positions', lane: 'positions', concurrency: 5 });
    expect(all.consumers.map((c) => c.lane)).toEqual(expect.arrayContaining(['user-data-stream', 'eos', 'hemera', 'indicators', 'cronjobs']));
    expect(all.daemons).toContain('dispatcher');
  });
});

describe('lane router', () => {
  const router = new TopologyRouter(parseTopology(seeds));

  it('maps lanes to physical queues and pins box lanes to their box', () => {
    expect(router.queueFor('orders')).toBe('kraite.orders');
    expect(router.queueFor('nyx')).toBe('kraite.box.nyx');
    expect(router.candidates('orders')).toEqual(['eos', 'iris', 'nyx', 'hemera']);
    expect(router.candidates('nyx')).toEqual(['nyx']);
  });

  it('never routes to the web or storage boxes', () => {
    expect(() => router.queueFor('pheme')).toThrow(/no box consumes lane "pheme"/);
    expect(() => router.queueFor('hyperion')).toThrow(/no box consumes lane "hyperion"/);
    for (const lane of ['positions', 'orders', 'priority', 'indicators', 'cronjobs', 'user-data-stream']) expect(router.candidates(lane)).not.toContain('pheme');
  });

  it('recovers stalled trading work on the priority lane; pinned and non-trading lanes keep their queue', () => {
    expect(router.recoveryQueueFor('positions')).toBe('kraite.priority');
    expect(router.recoveryQueueFor('orders')).toBe('kraite.priority');
    expect(router.recoveryQueueFor('indicators')).toBe('kraite.indicators');
    expect(router.recoveryQueueFor('iris')).toBe('kraite.box.iris');
  });
});
