import { describe, expect, it } from 'vitest';
import seeds from '../../infra/topology.json' with { type: 'json' };
import { parseTopology } from './topology.ts';

// Boxes in the seeds file: 0 hyperion, 1 athena, 2 eos, 3 iris, 4 nyx, 5 hemera, 6 tyche, 7 pheme.
function variant(change: (t: any) => void): unknown {
  const t = structuredClone(seeds) as any;
  change(t);
  return t;
}

const refusals: [string, (t: any) => void, string][] = [
  ['a zero concurrency', (t) => { t.boxes[3].queues[1].concurrency = 0; }, 'boxes[3].queues[1].concurrency: must be a positive integer'],
  ['a fractional concurrency', (t) => { t.boxes[3].queues[1].concurrency = 2.5; }, 'boxes[3].queues[1].concurrency: must be a positive integer'],
  ['a concurrency written as a string', (t) => { t.boxes[3].queues[1].concurrency = '8'; }, 'boxes[3].queues[1].concurrency: must be a positive integer'],
  ['a missing concurrency', (t) => { delete t.boxes[3].queues[1].concurrency; }, 'boxes[3].queues[1].concurrency: is required'],
  ['an unknown lane', (t) => { t.boxes[2].queues[0].lane = 'postions'; }, 'boxes[2].queues[0].lane: unknown lane "postions"'],
  ['a badly spelled box name', (t) => { t.boxes[2].name = 'Eos'; }, 'boxes[2].name: must be 1-31 lower-case letters'],
  ['a duplicate box name', (t) => { t.boxes[4].name = 'eos'; t.boxes[4].queues[3].lane = 'eos'; }, 'boxes[4].name: duplicate box name "eos"'],
  ['a box named like a lane', (t) => { t.boxes[6].name = 'orders'; }, 'boxes[6].name: "orders" is a lane name'],
  ['an unknown role', (t) => { t.boxes[2].roles = ['worker']; }, 'boxes[2].roles[0]: must be one of storage, ingestion, trading, indicators, web'],
  ['a box without a role', (t) => { t.boxes[2].roles = []; }, 'boxes[2].roles: a box needs at least one role'],
  ['a repeated role', (t) => { t.boxes[2].roles = ['trading', 'trading']; }, 'boxes[2].roles[1]: "trading" listed twice'],
  ['an unknown daemon', (t) => { t.boxes[1].daemons[0] = 'cron'; }, 'boxes[1].daemons[0]: must be one of scheduler'],
  ['an unknown field', (t) => { t.boxes[0].color = 'red'; }, 'boxes[0].color: unknown field'],
  ['an unknown top-level field', (t) => { t.owner = 'ops'; }, 'owner: unknown field'],
  ['a web box consuming a queue', (t) => { t.boxes[7].queues = [{ lane: 'orders', concurrency: 1 }]; }, 'boxes[7].queues: a web box consumes no queue'],
  ['a web box running a daemon', (t) => { t.boxes[7].daemons = ['mark-price-stream']; }, 'boxes[7].daemons: a web box runs no daemon'],
  ['a storage box consuming a queue', (t) => { t.boxes[0].queues = [{ lane: 'cronjobs', concurrency: 1 }]; }, 'boxes[0].queues: a storage box consumes no queue'],
  ['a box consuming another box\'s pinned lane', (t) => { t.boxes[3].queues.push({ lane: 'eos', concurrency: 1 }); }, 'boxes[3].queues[4].lane: lane "eos" is pinned to box eos'],
  ['a lane listed twice on one box', (t) => { t.boxes[2].queues[3].lane = 'positions'; }, 'boxes[2].queues[3].lane: "positions" listed twice'],
  ['a daemon on a box without the ingestion role', (t) => { t.boxes[2].daemons = ['mark-price-stream']; }, 'boxes[2].daemons: daemons run on a box with the ingestion role'],
  ['a second scheduler', (t) => { t.boxes[2].roles.push('ingestion'); t.boxes[2].daemons = ['scheduler']; }, 'boxes[2].daemons[0]: the scheduler daemon already runs on athena'],
  ['a lane the dispatcher feeds with no consumer', (t) => { t.boxes[6].queues = [{ lane: 'cronjobs', concurrency: 3 }]; }, 'boxes[1].daemons[1]: the dispatcher daemon pushes into lane "indicators", which no box consumes'],
  ['user-data frames with no consumer', (t) => { t.boxes[1].queues = []; }, 'boxes[1].daemons[2]: the user-data-stream daemon pushes into lane "user-data-stream", which no box consumes'],
  ['trading lanes with no consumer', (t) => { t.boxes.splice(2, 4); }, 'boxes[1].daemons[1]: the dispatcher daemon pushes into lane "positions", which no box consumes'],
  ['no dispatcher', (t) => { t.boxes[1].daemons = t.boxes[1].daemons.filter((d: string) => d !== 'dispatcher'); }, 'boxes: no box runs the dispatcher daemon'],
  ['web apps on a box without the web role', (t) => { t.boxes[1].web = ['admin']; }, 'boxes[1].web: web apps run on a box with the web role'],
  ['services on a box without the storage role', (t) => { t.boxes[1].services = ['redis']; }, 'boxes[1].services: services run on a box with the storage role'],
  ['an egress IP that is not an IP', (t) => { t.boxes[2].egressIps = ['eos.example']; }, 'boxes[2].egressIps[0]: must be an IPv4 or IPv6 address'],
  ['a queue prefix with a colon (BullMQ forbids it)', (t) => { t.queuePrefix = 'kraite:prod'; }, 'queuePrefix: must be letters, digits, _ and - only'],
  ['an empty fleet', (t) => { t.boxes = []; }, 'boxes: a topology needs at least one box'],
  ['boxes that are not a list', (t) => { t.boxes = { eos: {} }; }, 'boxes: must be an array'],
  ['a missing name', (t) => { delete t.name; }, 'name: is required'],
];

describe('topology schema', () => {
  it('accepts the seeds topology', () => {
    expect(() => parseTopology(seeds)).not.toThrow();
  });

  it.each(refusals)('refuses %s, naming the field', (_, change, message) => {
    expect(() => parseTopology(variant(change), 'fleet.json')).toThrow(`fleet.json: ${message}`);
  });

  it('refuses what is not an object at all', () => {
    expect(() => parseTopology(null)).toThrow('topology: (root): must be an object');
  });

  it('reports every bad field, not just the first', () => {
    const bad = variant((t) => { t.boxes[2].queues[0].concurrency = -1; t.boxes[6].queues[1].concurrency = 0; });
    expect(() => parseTopology(bad)).toThrow('boxes[2].queues[0].concurrency: must be a positive integer; boxes[6].queues[1].concurrency: must be a positive integer');
  });

  it('accepts a fifth trading worker by editing data only', () => {
    const five = variant((t) => t.boxes.splice(6, 0, {
      name: 'selene', roles: ['trading'], egressIps: ['203.0.113.5'],
      queues: [{ lane: 'positions', concurrency: 5 }, { lane: 'orders', concurrency: 8 }, { lane: 'priority', concurrency: 3 }, { lane: 'selene', concurrency: 1 }],
    }));
    expect(parseTopology(five).boxes.filter((b) => b.roles.includes('trading'))).toHaveLength(5);
  });

  it('accepts everything folded onto one box', () => {
    const solo = {
      name: 'solo',
      boxes: [{
        name: 'solo', roles: ['storage', 'ingestion', 'trading', 'indicators', 'web'], services: ['mysql', 'redis'], web: ['admin'],
        daemons: ['scheduler', 'dispatcher', 'user-data-stream', 'mark-price-stream', 'listen-key-refresh'],
        queues: ['positions', 'orders', 'priority', 'indicators', 'cronjobs', 'user-data-stream', 'solo'].map((lane) => ({ lane, concurrency: 2 })),
      }],
    };
    const t = parseTopology(solo);
    expect(t.queuePrefix).toBe('kraite');
    expect(t.boxes[0]!.queues).toHaveLength(7);
  });
});

describe('metricsPort', () => {
  it('defaults to 9464 plus the box index, and a box may set its own', async () => {
    const { metricsPortOf, topologySchema: schema } = await import('./topology.schema.ts');
    const t = { boxes: [{ name: 'athena' }, { name: 'eos', metricsPort: 9100 }, { name: 'tyche' }] };
    expect([metricsPortOf(t as never, 'athena'), metricsPortOf(t as never, 'eos'), metricsPortOf(t as never, 'tyche')]).toEqual([9464, 9100, 9466]);
    const bad = schema.safeParse({ name: 't', boxes: [{ name: 'one', roles: ['ingestion', 'trading'], daemons: ['dispatcher'], queues: [{ lane: 'positions', concurrency: 1 }, { lane: 'orders', concurrency: 1 }, { lane: 'priority', concurrency: 1 }, { lane: 'indicators', concurrency: 1 }, { lane: 'cronjobs', concurrency: 1 }], metricsPort: 70000 }] });
    expect(bad.success ? [] : bad.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(['boxes.0.metricsPort: must be a port number (1-65535)']);
  });

  it('a daemon run as its own process serves beside its box: mark price +100, user-data shard i +200+i', async () => {
    const { processMetricsPortOf } = await import('./topology.schema.ts');
    const t = { boxes: [{ name: 'hyperion' }, { name: 'athena' }, { name: 'eos', metricsPort: 9100 }] };
    expect([processMetricsPortOf(t as never, 'athena', 'mark-price-stream'), processMetricsPortOf(t as never, 'athena', 'user-data-stream'), processMetricsPortOf(t as never, 'athena', 'user-data-stream', 1), processMetricsPortOf(t as never, 'eos', 'mark-price-stream')])
      .toEqual([9565, 9665, 9666, 9200]);
  });
});
