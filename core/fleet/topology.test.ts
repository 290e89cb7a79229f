import { describe, expect, it } from 'vitest';
import seeds from '../../infra/topology.json' with { type: 'json' };
import { ValidationError } from '../errors.ts';
import { allInOne, fieldPath, findBox, InvalidTopologyError, parseTopology, queueName, queuesForBox } from './topology.ts';

const t = parseTopology(seeds);
const WORKERS = ['eos', 'iris', 'nyx', 'hemera'];

describe('the seeds topology', () => {
  it('holds the fleet: hyperion, athena, four trading workers, tyche, pheme', () => {
    expect(t.boxes.map((b) => [b.name, b.roles])).toEqual([
      ['hyperion', ['storage']], ['athena', ['ingestion']], ['eos', ['trading']], ['iris', ['trading']],
      ['nyx', ['trading']], ['hemera', ['trading']], ['tyche', ['indicators']], ['pheme', ['web']],
    ]);
    expect(findBox(t, 'athena').daemons).toEqual(['scheduler', 'dispatcher', 'user-data-stream', 'mark-price-stream', 'listen-key-refresh']);
    expect(findBox(t, 'pheme').web).toEqual(['admin', 'console', 'marketing', 'docs']);
    expect(findBox(t, 'hyperion').services).toEqual(['mysql', 'redis']);
    expect(WORKERS.map((w) => findBox(t, w).egressIps)).toEqual([['204.168.137.153'], ['204.168.138.83'], ['204.168.129.189'], ['77.42.68.254']]);
    expect(t.boxes.every((b) => b.privateAddress?.startsWith('10.0.'))).toBe(true);
  });

  it('gives eos exactly positions 5, orders 8, priority 3 and its own lane 1', () => {
    expect(queuesForBox(t, 'eos')).toEqual([
      { queue: 'kraite.positions', lane: 'positions', concurrency: 5 },
      { queue: 'kraite.orders', lane: 'orders', concurrency: 8 },
      { queue: 'kraite.priority', lane: 'priority', concurrency: 3 },
      { queue: 'kraite.box.eos', lane: 'eos', concurrency: 1 },
    ]);
    for (const w of WORKERS) expect(queuesForBox(t, w).map((q) => [q.queue, q.concurrency])).toEqual([['kraite.positions', 5], ['kraite.orders', 8], ['kraite.priority', 3], [`kraite.box.${w}`, 1]]);
  });

  it('gives tyche indicators 10 and cronjobs 3, athena user-data-stream 5, pheme and hyperion nothing', () => {
    expect(queuesForBox(t, 'tyche')).toEqual([
      { queue: 'kraite.indicators', lane: 'indicators', concurrency: 10 },
      { queue: 'kraite.cronjobs', lane: 'cronjobs', concurrency: 3 },
    ]);
    expect(queuesForBox(t, 'athena')).toEqual([{ queue: 'kraite.user-data-stream', lane: 'user-data-stream', concurrency: 5 }]);
    expect(queuesForBox(t, 'pheme')).toEqual([]);
    expect(queuesForBox(t, 'hyperion')).toEqual([]);
  });

  it('names queues without a colon (BullMQ refuses one)', () => {
    const names = t.boxes.flatMap((b) => queuesForBox(t, b.name).map((q) => q.queue));
    expect(names.filter((n) => n.includes(':'))).toEqual([]);
    expect(queueName({ ...t, queuePrefix: 'staging' }, 'orders')).toBe('staging.orders');
  });

  it('refuses an unknown box, listing the known ones', () => {
    expect(() => queuesForBox(t, 'selene')).toThrow(ValidationError);
    expect(() => findBox(t, 'selene')).toThrow('no box "selene" in topology kraite-production (boxes: hyperion, athena, eos');
  });
});

describe('parseTopology errors', () => {
  it('carries the source and each issue', () => {
    const bad = structuredClone(seeds) as any;
    bad.boxes[3].queues[1].concurrency = 0;
    const error = (() => { try { parseTopology(bad, 'x.json'); } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(InvalidTopologyError);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as InvalidTopologyError).message).toBe('x.json: boxes[3].queues[1].concurrency: must be a positive integer');
    expect((error as InvalidTopologyError).issues).toEqual([{ path: 'boxes[3].queues[1].concurrency', message: 'must be a positive integer' }]);
    expect((error as InvalidTopologyError).code).toBe('INVALID_TOPOLOGY');
  });

  it('shows five issues and counts the rest', () => {
    const bad = structuredClone(seeds) as any;
    for (const box of bad.boxes) box.shade = 'blue';
    expect(() => parseTopology(bad)).toThrow(/boxes\[4\]\.shade: unknown field; and 3 more$/);
  });

  it('renders paths the way an operator reads them', () => {
    expect(fieldPath(['boxes', 3, 'queues', 1, 'concurrency'])).toBe('boxes[3].queues[1].concurrency');
    expect(fieldPath([])).toBe('(root)');
    expect(fieldPath(['boxes', 0, 'odd key'])).toBe('boxes[0]["odd key"]');
  });
});

describe('allInOne (kraite run --all)', () => {
  const all = allInOne(t);

  it('consumes every physical queue once, at the largest single-box concurrency', () => {
    expect(all.consumers).toEqual([
      { queue: 'kraite.user-data-stream', lane: 'user-data-stream', concurrency: 5 },
      { queue: 'kraite.positions', lane: 'positions', concurrency: 5 },
      { queue: 'kraite.orders', lane: 'orders', concurrency: 8 },
      { queue: 'kraite.priority', lane: 'priority', concurrency: 3 },
      ...WORKERS.map((w) => ({ queue: `kraite.box.${w}`, lane: w, concurrency: 1 })),
      { queue: 'kraite.indicators', lane: 'indicators', concurrency: 10 },
      { queue: 'kraite.cronjobs', lane: 'cronjobs', concurrency: 3 },
    ]);
  });

  it('runs every daemon once', () => {
    expect(all.daemons).toEqual(['scheduler', 'dispatcher', 'user-data-stream', 'mark-price-stream', 'listen-key-refresh']);
  });
});
