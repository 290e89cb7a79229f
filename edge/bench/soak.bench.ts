// `kraite bench soak --seeds 1-1000`: the seeded fault soak of issue 13 over a range of seeds,
// embedded (default) or on MariaDB + BullMQ (`--runner mysql`). Prints the invariant violations
// per class, the seeds behind them, the fault rates and what the faults actually hit; the peer is
// the same seeds' price paths with every fault off (`--peer N` seeds, default 20), so a class that
// breaks without faults is told apart from one the faults cause. `--repro` prints each failing
// seed's events, `--violations` only its violations; `--shrink` cuts the first failing seed of each class down to the fewest events.
import { intOption, UsageError, type CliIo } from '../cli/command.ts';
import type { Benchmark } from './index.ts';
import { FAULT_RATES, familyOf, planSoak, type FaultFamily, type SoakPlan } from './soak/soak-plan.ts';
import { reproduction, shrinkPlan, tally, tallyTable } from './soak/soak-report.ts';
import { runSoak, type SoakOutcome } from './soak/soak-run.ts';
import { benchArgs } from './stream-latency-setup.ts';
import { fmt, median } from './stats.ts';
import { distributedParts, embeddedParts, type BenchParts } from './trading-bench-parts.ts';

/** Parses "1-1000", "7" or "1,5,9-12" into seeds. */
export function parseSeeds(text: string): number[] {
  const seeds: number[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new UsageError(`--seeds must look like 1-1000 or 3,7,9-12, got "${text}"`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) throw new UsageError(`--seeds range ${part} runs backwards`);
    for (let s = lo; s <= hi; s++) seeds.push(s);
  }
  return seeds;
}

async function runSeed(plan: SoakPlan, runner: 'embedded' | 'mysql'): Promise<SoakOutcome> {
  const parts: BenchParts = runner === 'mysql' ? await distributedParts() : await embeddedParts();
  try {
    return await runSoak(plan, parts, { wait: runner === 'mysql' ? 'io' : 'memory' });
  } finally {
    await parts.close();
  }
}

/** The `soak` benchmark. */
export const soakBenchmark: Benchmark = {
  name: 'soak',
  summary: 'seeded fault soak of the trading lifecycle: invariant violations per class over --seeds (e.g. 1-1000)',
  async run(io: CliIo, args: string[]) {
    const usage = 'soak [--seeds 1-1000] [--runner embedded|mysql] [--peer N] [--repro | --violations] [--shrink] [--fault-minutes N] [--quiet-minutes N]';
    const { values } = benchArgs(args, {
      seeds: { type: 'string' }, runner: { type: 'string' }, peer: { type: 'string' }, repro: { type: 'boolean' }, violations: { type: 'boolean' }, shrink: { type: 'boolean' },
      'fault-minutes': { type: 'string' }, 'quiet-minutes': { type: 'string' },
    }, usage);
    const seeds = parseSeeds(String(values.seeds ?? '1-100'));
    const runner = values.runner === undefined || values.runner === 'embedded' ? 'embedded' : values.runner === 'mysql' ? 'mysql' : null;
    if (!runner) throw new UsageError(`--runner must be embedded or mysql, got "${String(values.runner)}"\nusage: kraite bench ${usage}`);
    const planOptions = { faultMs: intOption(values, 'fault-minutes', 20, 1) * 60_000, quietMs: intOption(values, 'quiet-minutes', 20, 1) * 60_000 };
    const peerCount = Math.min(seeds.length, intOption(values, 'peer', 20, 0));
    io.out(`soak: ${seeds.length} seeds (${seeds[0]}…${seeds.at(-1)}), ${runner}; per seed ${planOptions.faultMs / 60_000} min with faults, then ${planOptions.quietMs / 60_000} min quiet (polls and drift checks), manual clock`);
    io.out(`fault rates (mean events per hour of the faulty phase): ${Object.entries(FAULT_RATES).map(([k, v]) => `${k} ${v}`).join(', ')}`);

    const outcomes: SoakOutcome[] = [];
    const plans: SoakPlan[] = [];
    const started = performance.now();
    for (const seed of seeds) {
      const plan = planSoak(seed, planOptions);
      plans.push(plan);
      const outcome = await runSeed(plan, runner);
      outcomes.push(outcome);
      if ((values.repro || values.violations) && (outcome.violations.length > 0 || outcome.error)) {
        for (const line of reproduction(plan, outcome, { events: Boolean(values.repro) })) io.out(line);
      }
      if (outcomes.length % 50 === 0) io.err(`  … ${outcomes.length}/${seeds.length} seeds, ${fmt((performance.now() - started) / 1000, 0)} s`);
    }
    const rows = tally(outcomes);
    io.out('');
    io.out('with faults:');
    for (const line of tallyTable(rows, seeds.length)) io.out(`  ${line}`);

    const armed: Record<string, number> = {};
    for (const plan of plans) for (const e of plan.events) {
      const f = familyOf(e);
      if (f) armed[f] = (armed[f] ?? 0) + 1;
    }
    const sum = (pick: (o: SoakOutcome) => number) => outcomes.reduce((s, o) => s + pick(o), 0);
    const hours = seeds.length * planOptions.faultMs / 3_600_000;
    io.out('');
    io.out(`faults armed per hour: ${(Object.keys(FAULT_RATES) as FaultFamily[]).map((f) => `${f} ${fmt((armed[f] ?? 0) / hours, 1)}`).join(', ')}`);
    io.out(`faults met, per seed: frames dropped ${fmt(sum((o) => o.stream.dropped) / seeds.length, 1)}, duplicated ${fmt(sum((o) => o.stream.duplicated) / seeds.length, 1)}, `
      + `delayed ${fmt(sum((o) => o.stream.delayed) / seeds.length, 1)}, lost in outages ${fmt(sum((o) => o.stream.lostInOutage) / seeds.length, 1)} of ${fmt(sum((o) => o.stream.delivered + o.stream.dropped + o.stream.lostInOutage) / seeds.length, 0)}; `
      + `REST lost responses ${fmt(sum((o) => o.rest.lostResponses) / seeds.length, 1)}, write 5xx ${fmt(sum((o) => o.rest.writes5xx) / seeds.length, 1)}, read 5xx ${fmt(sum((o) => o.rest.reads5xx) / seeds.length, 1)} of ${fmt(sum((o) => o.rest.requests) / seeds.length, 0)} requests`);
    io.out(`positions: ${sum((o) => o.closed)} closed, ${sum((o) => Object.values(o.positions).reduce((a, b) => a + b, 0))} in all; ${sum((o) => o.steps)} steps`);
    io.out(`time per seed: median ${fmt(median(outcomes.map((o) => o.wallMs)), 0)} ms (target < 1000 ms embedded); total ${fmt((performance.now() - started) / 1000, 0)} s`);

    if (peerCount > 0) {
      const peers: SoakOutcome[] = [];
      for (const seed of seeds.slice(0, peerCount)) peers.push(await runSeed(planSoak(seed, { ...planOptions, faultScale: 0 }), runner));
      io.out('');
      io.out(`peer: the first ${peerCount} seeds' price paths with every fault off (median ${fmt(median(peers.map((o) => o.wallMs)), 0)} ms per seed):`);
      for (const line of tallyTable(tally(peers), peerCount)) io.out(`  ${line}`);
    }

    if (values.shrink) {
      for (const row of rows.filter((r) => r.seeds.length > 0 && r.invariant !== 'run-error')) {
        const seed = row.seeds[0]!;
        const plan = plans.find((p) => p.seed === seed)!;
        const small = await shrinkPlan(plan, async (candidate) => (await runSeed(candidate, runner)).violations.some((v) => v.invariant === row.invariant));
        io.out('');
        io.out(`shrunk reproduction of ${row.invariant} (seed ${seed}, ${plan.events.length} → ${small.events.length} events):`);
        for (const line of reproduction(small, await runSeed(small, runner))) io.out(line);
      }
    }
    return rows.some((r) => r.violations > 0) ? 1 : 0;
  },
};
