// Parsing the topology and deriving what one process runs from it.
import { ValidationError } from '../errors.ts';
import { topologySchema, type Box, type Topology } from './topology.schema.ts';

/** Validates a parsed topology object; the error names the first bad field, e.g. `boxes[3].queues[1].concurrency`. */
export function parseTopology(input: unknown, source = 'topology'): Topology {
  const parsed = topologySchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '');
  throw new ValidationError(`${source}: ${path || '(root)'}: ${issue.message}`, 'INVALID_TOPOLOGY');
}

/** The physical queue name of a lane: `<prefix>.<lane>`, or `<prefix>.box.<name>` for a box-pinned lane. */
export function queueName(topology: Topology, lane: string): string {
  const pinned = topology.boxes.some((b) => b.name === lane);
  return pinned ? `${topology.queuePrefix}.box.${lane}` : `${topology.queuePrefix}.${lane}`;
}

/** What one box consumes: physical queue, logical lane, concurrency. */
export function queuesForBox(topology: Topology, boxName: string): { queue: string; lane: string; concurrency: number }[] {
  const box = findBox(topology, boxName);
  return box.queues.map((q) => ({ queue: queueName(topology, q.lane), lane: q.lane, concurrency: q.concurrency }));
}

/** The named box, or a ValidationError listing the known ones. */
export function findBox(topology: Topology, boxName: string): Box {
  const box = topology.boxes.find((b) => b.name === boxName);
  if (!box) throw new ValidationError(`no box "${boxName}" in topology ${topology.name} (boxes: ${topology.boxes.map((b) => b.name).join(', ')})`, 'UNKNOWN_BOX');
  return box;
}

/**
 * Everything in one process (`kraite run --all`): each physical queue once, with the concurrency
 * of the busiest box that consumes it — one process stands in for one box of each kind, not for
 * the sum of the fleet, which would oversubscribe a laptop. Daemons are the union.
 */
export function allInOne(topology: Topology): { consumers: { queue: string; lane: string; concurrency: number }[]; daemons: string[] } {
  const byQueue = new Map<string, { queue: string; lane: string; concurrency: number }>();
  for (const box of topology.boxes) {
    for (const c of queuesForBox(topology, box.name)) {
      const seen = byQueue.get(c.queue);
      if (!seen || seen.concurrency < c.concurrency) byQueue.set(c.queue, c);
    }
  }
  const daemons = [...new Set(topology.boxes.flatMap((b) => b.daemons))];
  return { consumers: [...byQueue.values()], daemons };
}
