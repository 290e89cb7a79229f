import { describe, expect, it } from 'vitest';
import { silentLogger } from '../ports/logger.ts';
import type { StepEvent } from '../steps/step-store.port.ts';
import { alertOnEvents } from './event-alerts.ts';
import type { Notifier } from './notifier.port.ts';

const event = (kind: string, severity: StepEvent['severity'], subject = kind): StepEvent => ({ kind, subject, message: `${kind} happened`, severity, createdAt: 1 });

describe('alertOnEvents', () => {
  it('delivers warning and critical events, leaves info to the log, survives a failing channel', async () => {
    const sent: string[] = [];
    let fail = false;
    const notifier: Notifier = { deliver: async (subject) => { if (fail) throw new Error('down'); sent.push(subject); return 'sent'; } };
    const warned: string[] = [];
    const onEvents = alertOnEvents(notifier, { logger: { ...silentLogger, warn: (m) => warned.push(m) } });
    onEvents([event('notify', 'info', 'audit'), event('step.recovered', 'warning'), event('notify', 'critical', 'mark-price:stale')]);
    await Promise.resolve();
    expect(sent).toEqual(['step.recovered', 'mark-price:stale']);
    fail = true;
    onEvents([event('step.stalled', 'critical')]);
    await new Promise((r) => setTimeout(r, 0));
    expect(warned).toEqual(['alert delivery failed']);
  });
});
