// Routes the engine's step events (notify effects, recovery and stall events) to the notifier:
// what the fleet process hands the engine as `onEvents`.
import type { Logger } from '../ports/logger.ts';
import type { StepEvent } from '../steps/step-store.port.ts';
import { SEVERITY_RANK, type Notifier, type Severity } from './notifier.port.ts';

/** Which events become alerts. */
export interface EventAlertOptions {
  /** Events below this severity are only logged (default: warning). */
  minSeverity?: Severity;
  logger: Logger;
}

/** An `onEvents` callback delivering every event at or above the threshold; a failed delivery is logged, never thrown. */
export function alertOnEvents(notifier: Notifier, o: EventAlertOptions): (events: StepEvent[]) => void {
  const min = SEVERITY_RANK[o.minSeverity ?? 'warning'];
  return (events) => {
    for (const e of events) {
      // Info-level events (audit notes, progress) stay in the log the fleet process writes anyway.
      if (SEVERITY_RANK[e.severity] < min) continue;
      notifier.deliver(e.subject, e.message, e.severity).catch((error: unknown) => {
        o.logger.warn('alert delivery failed', { alert: e.subject, error });
      });
    }
  };
}
