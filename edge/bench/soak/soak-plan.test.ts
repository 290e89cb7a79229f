import { describe, expect, it } from 'vitest';
import { parseSeeds } from '../soak.bench.ts';
import { familyOf, planSoak } from './soak-plan.ts';
import { shrinkPlan } from './soak-report.ts';

describe('the soak plan', () => {
  it('is a function of the seed: same seed, same plan; another seed, another plan', () => {
    expect(planSoak(42)).toEqual(planSoak(42));
    expect(planSoak(43).events).not.toEqual(planSoak(42).events);
  });

  it('arms every fault family somewhere in a handful of seeds, and none at fault scale 0', () => {
    const families = new Set([1, 2, 3, 4, 5].flatMap((s) => planSoak(s).events.map(familyOf)));
    expect([...families].filter(Boolean).sort()).toEqual(['delay-frames', 'drop-frames', 'duplicate-frames', 'foreign-cancel', 'lose-response', 'outage', 'partial-fills', 'read-5xx', 'write-5xx-applied', 'write-5xx-not-applied']);
    expect(planSoak(1, { faultScale: 0 }).events.every((e) => familyOf(e) === null)).toBe(true);
    expect(planSoak(1, { faultScale: 0 }).events.filter((e) => e.kind === 'move')).toEqual(planSoak(1).events.filter((e) => e.kind === 'move'));
  });

  it('gaps through rungs, stops and take-profits: moves of several percent both ways', () => {
    const moves = [1, 2, 3].flatMap((s) => planSoak(s).events.flatMap((e) => (e.kind === 'move' ? [Number(e.pct)] : [])));
    expect(Math.max(...moves)).toBeGreaterThan(5);
    expect(Math.min(...moves)).toBeLessThan(-5);
  });
});

describe('shrinking a failing plan', () => {
  it('keeps only the events the failure needs', async () => {
    const plan = planSoak(7);
    const needed = [plan.events[3]!, plan.events[40]!];
    const small = await shrinkPlan(plan, async (p) => needed.every((e) => p.events.includes(e)), 200);
    expect(small.events).toEqual(needed);
  });
});

describe('--seeds', () => {
  it('reads ranges and lists, and names a bad one', () => {
    expect(parseSeeds('1-3,7,9-10')).toEqual([1, 2, 3, 7, 9, 10]);
    expect(() => parseSeeds('5-1')).toThrow(/backwards/);
    expect(() => parseSeeds('a')).toThrow(/--seeds/);
  });
});
