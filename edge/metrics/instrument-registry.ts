// Step metrics without touching the engine: every handler of the registry is wrapped, so a run
// counts as started, then completed / failed / retried, with its run time, per handler and lane.
import type { HandlerDefinition } from '../../core/steps/registry.ts';
import { HandlerRegistry } from '../../core/steps/registry.ts';
import type { FleetMetrics } from './fleet-metrics.ts';

function instrument(d: HandlerDefinition, m: FleetMetrics): HandlerDefinition {
  const labels = { handler: d.name, lane: d.lane };
  const started = m.stepsStarted.labels(labels);
  const completed = m.stepsCompleted.labels(labels);
  const failed = m.stepsFailed.labels(labels);
  const retried = m.stepsRetried.labels(labels);
  const runTime = m.stepRunSeconds.labels(labels);
  return {
    ...d,
    async run(job, ctx) {
      started.inc();
      const end = runTime.startTimer();
      try {
        const result = await d.run(job, ctx);
        (result.outcome.kind === 'fail' ? failed : result.outcome.kind === 'retry-after' ? retried : completed).inc();
        return result;
      } catch (error) {
        failed.inc();
        throw error;
      } finally {
        end();
      }
    },
  };
}

/** A registry whose handlers feed `metrics`; the same names, schemas and lanes. */
export function instrumentRegistry(registry: HandlerRegistry, metrics: FleetMetrics): HandlerRegistry {
  return new HandlerRegistry(registry.names().map((name) => instrument(registry.get(name), metrics)));
}
