// Waits for the fleet's queues to drain before a deploy: every physical queue of the topology must
// show no ready (waiting or prioritized) and no reserved (active) job, polled until a deadline.
import { queuesForBox } from '../../core/fleet/topology.ts';
import type { Topology } from '../../core/fleet/topology.schema.ts';
import type { QueuePort } from '../../core/queue/queue.port.ts';

/** One queue that still holds work. */
export interface BusyQueue {
  queue: string;
  ready: number;
  reserved: number;
}

/** How a drain ended. */
export interface DrainResult {
  drained: boolean;
  waitedMs: number;
  /** Queues still holding work when the deadline passed (empty when drained). */
  busy: BusyQueue[];
}

/** Options of a drain wait. */
export interface DrainOptions {
  timeoutMs: number;
  /** Poll period (default 500 ms). */
  pollMs?: number;
  /** Told after each poll (progress lines). */
  onPoll?: (busy: BusyQueue[], waitedMs: number) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Every physical queue the topology's boxes consume, once each, in topology order. */
export function physicalQueues(topology: Topology): string[] {
  return [...new Set(topology.boxes.flatMap((b) => queuesForBox(topology, b.name).map((q) => q.queue)))];
}

/** The queues of `names` that hold ready or reserved jobs now. */
export async function busyQueues(queue: QueuePort, names: readonly string[]): Promise<BusyQueue[]> {
  const counts = await Promise.all(names.map(async (name) => ({ name, c: await queue.counts(name) })));
  return counts.filter(({ c }) => c.waiting + c.active > 0).map(({ name, c }) => ({ queue: name, ready: c.waiting, reserved: c.active }));
}

/** Polls until every queue is empty or the timeout passes. */
export async function waitForDrain(queue: QueuePort, names: readonly string[], o: DrainOptions): Promise<DrainResult> {
  const now = o.now ?? (() => Date.now());
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = now();
  for (;;) {
    const busy = await busyQueues(queue, names);
    const waitedMs = now() - started;
    o.onPoll?.(busy, waitedMs);
    if (busy.length === 0) return { drained: true, waitedMs, busy };
    if (waitedMs >= o.timeoutMs) return { drained: false, waitedMs, busy };
    await sleep(Math.min(o.pollMs ?? 500, Math.max(1, o.timeoutMs - waitedMs)));
  }
}
