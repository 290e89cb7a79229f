// What a soak prints: a failing seed's reproduction (its plan and events, optionally shrunk to the
// fewest events that still break the same invariant) and the table of violations per class.
import { INVARIANT_CLASSES, type InvariantClass } from './soak-invariants.ts';
import { describeEvent, type SoakPlan } from './soak-plan.ts';
import type { SoakOutcome } from './soak-run.ts';

/** The invariant classes one outcome broke (a run error counts as its own line in the table). */
export function brokenClasses(outcome: SoakOutcome): Set<InvariantClass> {
  return new Set(outcome.violations.map((v) => v.invariant));
}

/**
 * Drops events from the plan while `reproduces` still says yes (delta debugging: halves, then
 * quarters… of the event list), within `budget` runs. Returns the smallest plan found.
 */
export async function shrinkPlan(plan: SoakPlan, reproduces: (candidate: SoakPlan) => Promise<boolean>, budget = 60): Promise<SoakPlan> {
  let events = plan.events;
  let parts = 2;
  let runs = 0;
  while (events.length > 0 && runs < budget) {
    const size = Math.ceil(events.length / parts);
    let reduced = false;
    for (let i = 0; i < events.length && runs < budget; i += size) {
      const candidate = [...events.slice(0, i), ...events.slice(i + size)];
      runs++;
      if (await reproduces({ ...plan, events: candidate })) {
        events = candidate;
        parts = Math.max(2, parts - 1);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (size <= 1) break;
      parts = Math.min(events.length, parts * 2);
    }
  }
  return { ...plan, events };
}

/** A failing seed's reproduction: its setup, what broke, and (unless `events: false`) every event of its plan. */
export function reproduction(plan: SoakPlan, outcome: SoakOutcome, options: { events?: boolean } = {}): string[] {
  const lines = [
    `seed ${plan.seed}: ${Object.entries(plan.directions).map(([s, d]) => `${s} ${d}`).join(', ')}; slots LONG ${plan.slots.LONG} SHORT ${plan.slots.SHORT}; `
      + `${plan.faultMs / 60_000} min faulty, ${plan.quietMs / 60_000} min quiet; ${plan.events.length} events`,
    ...(outcome.error ? [`  run error: ${outcome.error}`] : []),
    ...outcome.violations.map((v) => `  ✗ ${v.invariant} at +${(v.at / 1000).toFixed(0)}s: ${v.detail}`),
    ...outcome.critical.map((c) => `  ! ${c}`),
    ...(options.events === false ? [] : ['  events:', ...plan.events.map((e) => `    ${describeEvent(e)}`)]),
  ];
  return lines;
}

/** Per class: how many violations and which seeds showed them. */
export interface ClassTally {
  invariant: InvariantClass | 'run-error';
  violations: number;
  seeds: number[];
}

/** Tallies outcomes per invariant class (every class listed, zero or not). */
export function tally(outcomes: readonly SoakOutcome[]): ClassTally[] {
  const rows: ClassTally[] = [...INVARIANT_CLASSES, 'run-error' as const].map((invariant) => ({ invariant, violations: 0, seeds: [] }));
  const row = (c: ClassTally['invariant']) => rows.find((r) => r.invariant === c)!;
  for (const o of outcomes) {
    for (const v of o.violations) row(v.invariant).violations++;
    for (const c of brokenClasses(o)) row(c).seeds.push(o.seed);
    if (o.error) {
      row('run-error').violations++;
      row('run-error').seeds.push(o.seed);
    }
  }
  return rows;
}

/** The table: class, violations, seeds violating, the first few of those seeds. */
export function tallyTable(rows: readonly ClassTally[], seedCount: number): string[] {
  const w = Math.max(...rows.map((r) => r.invariant.length), 'invariant'.length);
  return [
    `${'invariant'.padEnd(w)}  violations  seeds (of ${seedCount})  first seeds`,
    ...rows.map((r) => `${r.invariant.padEnd(w)}  ${String(r.violations).padStart(10)}  ${String(r.seeds.length).padStart(6 + String(seedCount).length)}  ${r.seeds.slice(0, 12).join(' ')}${r.seeds.length > 12 ? ' …' : ''}`),
  ];
}
