// The heartbeat port contract, run against the in-memory twin and Redis.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Heartbeat, HeartbeatPort } from '../../core/fleet/heartbeat.port.ts';

const beat = (box: string, worker: string, at: number): Heartbeat => ({
  box, worker, version: '0.1.0', at, startedAt: at - 1000, processes: ['dispatcher'], consumers: [{ queue: 'kraite.positions', concurrency: 5 }],
});

/** Runs the contract against what `make` builds. */
export function heartbeatContract(name: string, make: () => Promise<{ port: HeartbeatPort; cleanup(): Promise<void> }>): void {
  describe(`heartbeat contract: ${name}`, () => {
    let port: HeartbeatPort;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ port, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('keeps the latest beat per box and process, newest first', async () => {
      await port.publish(beat('eos', 'eos@h:1', 1000));
      await port.publish(beat('iris', 'iris@h:1', 2000));
      await port.publish(beat('eos', 'eos@h:1', 3000));
      const all = await port.list();
      expect(all.map((b) => [b.box, b.at])).toEqual([['eos', 3000], ['iris', 2000]]);
      expect(all[0]).toEqual(beat('eos', 'eos@h:1', 3000));
    });

    it('prunes beats older than a cutoff', async () => {
      await port.publish(beat('eos', 'eos@h:1', 1000));
      await port.publish(beat('eos', 'eos@h:2', 5000));
      expect(await port.prune(2000)).toBe(1);
      expect((await port.list()).map((b) => b.worker)).toEqual(['eos@h:2']);
    });
  });
}
