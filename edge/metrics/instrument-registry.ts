// Step metrics without touching the engine: every handler of the registry is wrapped, so a run
// counts as started, then completed / failed / retried, with its run time, per handler and lane.
// A run costs a few additions and one histogram observation: the counts are plain numbers per
// handler that the counters take at scrape time (prom-client's inc hashes and validates labels
// on every call, which showed as most of the metrics' CPU per step in `kraite bench steps-metrics`).
import type { HandlerDefinition } from '../../core/steps/registry.ts';
import { HandlerRegistry } from '../../core/steps/registry.ts';
import type { FleetMetrics } from './fleet-metrics.ts';

function instrument(d: HandlerDefinition, m: FleetMetrics): HandlerDefinition {
  const labels = { handler: d.name, lane: d.lane };
  const tally = { started: 0, completed: 0, failed: 0, retried: 0 };
  const counters = { started: m.stepsStarted.labels(labels), completed: m.stepsCompleted.labels(labels), failed: m.stepsFailed.labels(labels), retried: m.stepsRetried.labels(labels) };
  m.onCollect(() => {
    for (const key of ['started', 'completed', 'failed', 'retried'] as const) {
      if (tally[key] === 0) continue;
      counters[key].inc(tally[key]);
      tally[key] = 0;
    }
  });
  const runTime = m.stepRunSeconds.labels(labels);
  return {
    ...d,
    async run(job, ctx) {
      tally.started += 1;
      const started = performance.now();
      try {
        const result = await d.run(job, ctx);
        const kind = result.outcome.kind;
        if (kind === 'fail') tally.failed += 1;
        else if (kind === 'retry-after') tally.retried += 1;
        else tally.completed += 1;
        return result;
      } catch (error) {
        tally.failed += 1;
        throw error;
      } finally {
        runTime.observe((performance.now() - started) / 1000);
      }
    },
  };
}

/** A registry whose handlers feed `metrics`; the same names, schemas and lanes. */
export function instrumentRegistry(registry: HandlerRegistry, metrics: FleetMetrics): HandlerRegistry {
  return new HandlerRegistry(registry.names().map((name) => instrument(registry.get(name), metrics)));
}
