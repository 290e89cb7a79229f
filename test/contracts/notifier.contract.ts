// The notifications port contract, run against every adapter: a delivered alert reaches the
// channel with its subject, message and severity; a channel failure rejects (never silently drops).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Notifier, Severity } from '../../core/notify/notifier.port.ts';

/** What the channel received, as the contract reads it back. */
export interface Received {
  subject: string;
  message: string;
  severity: Severity;
}

/** A notifier plus a view of its channel; `breakChannel` makes the next deliveries fail. */
export interface NotifierRig {
  notifier: Notifier;
  received(): Promise<Received[]>;
  breakChannel(): void;
  cleanup(): Promise<void>;
}

/** Runs the contract against what `make` builds. */
export function notifierContract(name: string, make: () => Promise<NotifierRig>): void {
  describe(`notifier contract: ${name}`, () => {
    let rig: NotifierRig;
    beforeEach(async () => {
      rig = await make();
    });
    afterEach(async () => {
      await rig.cleanup();
    });

    it('delivers subject, message and severity', async () => {
      expect(await rig.notifier.deliver('fleet:eos', 'eos heartbeat is 3 minutes old', 'critical')).toBe('sent');
      expect(await rig.notifier.deliver('mark-price', 'mark prices stale', 'warning')).toBe('sent');
      expect(await rig.received()).toEqual([
        { subject: 'fleet:eos', message: 'eos heartbeat is 3 minutes old', severity: 'critical' },
        { subject: 'mark-price', message: 'mark prices stale', severity: 'warning' },
      ]);
    });

    it('rejects when the channel refuses the alert', async () => {
      rig.breakChannel();
      await expect(rig.notifier.deliver('x', 'y', 'info')).rejects.toThrow();
    });
  });
}
