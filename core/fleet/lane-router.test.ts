import { describe, expect, it } from 'vitest';
import seeds from '../../infra/topology.json' with { type: 'json' };
import { ValidationError } from '../errors.ts';
import { LANES, type Topology } from './topology.schema.ts';
import { TopologyRouter } from './lane-router.ts';
import { parseTopology } from './topology.ts';

const topology = parseTopology(seeds);
const router = new TopologyRouter(topology);
const WORKERS = ['eos', 'iris', 'nyx', 'hemera'];

describe('lane router', () => {
  it('maps every logical lane to its physical queue', () => {
    expect(LANES.map((lane) => router.queueFor(lane))).toEqual([
      'kraite.positions', 'kraite.orders', 'kraite.priority', 'kraite.indicators', 'kraite.cronjobs', 'kraite.user-data-stream',
    ]);
  });

  it('keeps a candidate pool per lane from the topology', () => {
    for (const lane of ['positions', 'orders', 'priority']) expect(router.candidates(lane)).toEqual(WORKERS);
    expect(router.candidates('indicators')).toEqual(['tyche']);
    expect(router.candidates('cronjobs')).toEqual(['tyche']);
    expect(router.candidates('user-data-stream')).toEqual(['athena']);
  });

  it('pins a box-named lane to exactly that box', () => {
    for (const w of WORKERS) {
      expect(router.queueFor(w)).toBe(`kraite.box.${w}`);
      expect(router.candidates(w)).toEqual([w]);
      expect(router.isPinned(w)).toBe(true);
    }
    expect(router.isPinned('orders')).toBe(false);
  });

  it('never routes to pheme (web) or hyperion (storage)', () => {
    for (const lane of LANES) expect(router.candidates(lane)).not.toContain('pheme');
    for (const lane of LANES) expect(router.candidates(lane)).not.toContain('hyperion');
    expect(() => router.queueFor('pheme')).toThrow('no box consumes lane "pheme"');
    expect(() => router.queueFor('hyperion')).toThrow('no box consumes lane "hyperion"');
  });

  it('skips a web-only box even in a topology that bypassed validation', () => {
    const raw = structuredClone(topology) as Topology;
    raw.boxes.find((b) => b.name === 'pheme')!.queues = [{ lane: 'orders', concurrency: 1 }];
    expect(new TopologyRouter(raw).candidates('orders')).toEqual(WORKERS);
  });

  it('refuses an unknown lane with a ValidationError', () => {
    expect(() => router.queueFor('postions')).toThrow(ValidationError);
    expect(() => router.queueFor('postions')).toThrow('unknown lane "postions"');
    expect(() => router.recoveryQueueFor('postions')).toThrow(ValidationError);
    expect(() => router.candidates('postions')).toThrow(ValidationError);
  });

  it('refuses a known lane no box consumes', () => {
    const noTyche = structuredClone(topology) as Topology;
    noTyche.boxes = noTyche.boxes.filter((b) => b.name !== 'tyche');
    expect(() => new TopologyRouter(noTyche).queueFor('indicators')).toThrow('no box consumes lane "indicators"');
  });

  it('re-queues stalled trading work on the priority lane', () => {
    for (const lane of ['positions', 'orders', 'priority']) expect(router.recoveryQueueFor(lane)).toBe('kraite.priority');
  });

  it('keeps a box-pinned lane on its box when recovering', () => {
    for (const w of WORKERS) expect(router.recoveryQueueFor(w)).toBe(`kraite.box.${w}`);
  });

  it('keeps indicator, cron and user-data work off the trading pool when recovering', () => {
    expect(router.recoveryQueueFor('indicators')).toBe('kraite.indicators');
    expect(router.recoveryQueueFor('cronjobs')).toBe('kraite.cronjobs');
    expect(router.recoveryQueueFor('user-data-stream')).toBe('kraite.user-data-stream');
  });

  it('lists the egress IPs behind a lane so the governor can steer off a banned one', () => {
    expect(router.candidateEgress('orders')).toEqual([
      { box: 'eos', ip: '204.168.137.153' }, { box: 'iris', ip: '204.168.138.83' },
      { box: 'nyx', ip: '204.168.129.189' }, { box: 'hemera', ip: '77.42.68.254' },
    ]);
    expect(router.candidateEgress('nyx')).toEqual([{ box: 'nyx', ip: '204.168.129.189' }]);
    // tyche declares no egress IP: nothing to steer.
    expect(router.candidateEgress('indicators')).toEqual([]);
    const banned = '204.168.138.83';
    const steered = router.candidateEgress('orders').find((c) => c.ip !== banned)!;
    expect(router.queueFor(steered.box)).toBe('kraite.box.eos');
  });
});
