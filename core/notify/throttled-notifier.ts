// Throttles alerts per subject: the first alert of a subject goes out, repeats within the window
// are dropped (and counted, so the next one that goes out says how many were held back). A
// critical alert is never held back by an earlier warning of the same subject.
import type { Clock } from '../ports/clock.ts';
import { SEVERITY_RANK, type DeliveryResult, type Notifier, type Severity } from './notifier.port.ts';

/** Options of the per-subject throttle. */
export interface ThrottleOptions {
  /** Repeats of a subject within this many ms are dropped. */
  windowMs: number;
  clock: Clock;
  /** Most subjects remembered; the oldest are forgotten first (bounds memory). */
  maxSubjects?: number;
}

interface Seen {
  at: number;
  severity: Severity;
  suppressed: number;
}

/** A notifier that forwards at most one alert per subject per window. */
export class ThrottledNotifier implements Notifier {
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly inner: Notifier, private readonly o: ThrottleOptions) {}

  async deliver(subject: string, message: string, severity: Severity): Promise<DeliveryResult> {
    const now = this.o.clock.now();
    const last = this.seen.get(subject);
    const escalates = last !== undefined && SEVERITY_RANK[severity] > SEVERITY_RANK[last.severity];
    if (last && now - last.at < this.o.windowMs && !escalates) {
      last.suppressed += 1;
      return 'throttled';
    }
    const held = last && now - last.at >= this.o.windowMs ? last.suppressed : 0;
    this.seen.delete(subject);
    this.seen.set(subject, { at: now, severity, suppressed: 0 });
    this.forgetOldest();
    const text = held > 0 ? `${message} (${held} similar alert${held === 1 ? '' : 's'} held back since the last one)` : message;
    return this.inner.deliver(subject, text, severity);
  }

  private forgetOldest(): void {
    const max = this.o.maxSubjects ?? 10_000;
    while (this.seen.size > max) this.seen.delete(this.seen.keys().next().value!);
  }
}
