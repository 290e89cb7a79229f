// Parsing the topology from an already-read object (any runtime), and deriving from it what a
// box, or one process standing in for the whole fleet, consumes.
import type { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { topologySchema, type Box, type Topology } from './topology.schema.ts';

/** One physical queue a process consumes: its name, the logical lane behind it, how many at once. */
export interface QueueConsumer {
  queue: string;
  lane: string;
  concurrency: number;
}

/** One thing wrong with a topology: the field path (`boxes[3].queues[1].concurrency`) and why. */
export interface TopologyIssue {
  path: string;
  message: string;
}

/** A topology that failed validation; the message names the source and every bad field (up to five). */
export class InvalidTopologyError extends ValidationError {
  constructor(readonly source: string, readonly issues: readonly TopologyIssue[]) {
    const shown = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`).join('; ');
    super(`${source}: ${shown}${issues.length > 5 ? `; and ${issues.length - 5} more` : ''}`, 'INVALID_TOPOLOGY');
  }
}

/** Renders a zod path the way an operator reads it: `boxes[3].queues[1].concurrency`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(part))) out += out ? `.${String(part)}` : String(part);
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || '(root)';
}

// Plain-words messages for zod's built-in issues; messages set in the schema take precedence.
const messages: z.core.$ZodErrorMap = (iss) => {
  if (iss.code === 'invalid_type') return iss.input === undefined ? 'is required' : `must be ${/^[aeiou]/.test(iss.expected) ? 'an' : 'a'} ${iss.expected}`;
  if (iss.code === 'invalid_value') return `must be one of ${iss.values.map((v) => String(v)).join(', ')}`;
  return undefined;
};

/** Validates a parsed topology object; throws an InvalidTopologyError naming each bad field. */
export function parseTopology(input: unknown, source = 'topology'): Topology {
  const parsed = topologySchema.safeParse(input, { error: messages });
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.flatMap((issue): TopologyIssue[] => issue.code === 'unrecognized_keys'
    ? issue.keys.map((key) => ({ path: fieldPath([...issue.path, key]), message: 'unknown field' }))
    : [{ path: fieldPath(issue.path), message: issue.message }]);
  throw new InvalidTopologyError(source, issues);
}

/** Whether `lane` is a box name (a box-pinned lane). */
export function isBoxLane(topology: Topology, lane: string): boolean {
  return topology.boxes.some((b) => b.name === lane);
}

/** The physical queue of a lane: `<prefix>.<lane>`, or `<prefix>.box.<name>` for a box-pinned lane (never a ':'). */
export function queueName(topology: Topology, lane: string): string {
  return isBoxLane(topology, lane) ? `${topology.queuePrefix}.box.${lane}` : `${topology.queuePrefix}.${lane}`;
}

/** The named box, or a ValidationError listing the known ones. */
export function findBox(topology: Topology, boxName: string): Box {
  const box = topology.boxes.find((b) => b.name === boxName);
  if (!box) throw new ValidationError(`no box "${boxName}" in topology ${topology.name} (boxes: ${topology.boxes.map((b) => b.name).join(', ')})`, 'UNKNOWN_BOX');
  return box;
}

/** Exactly what one box consumes, in the order the topology lists it. */
export function queuesForBox(topology: Topology, boxName: string): QueueConsumer[] {
  return findBox(topology, boxName).queues.map((q) => ({ queue: queueName(topology, q.lane), lane: q.lane, concurrency: q.concurrency }));
}

/**
 * One process running everything (`kraite run --all`): every physical queue once, box-pinned ones
 * included so probes still land; the concurrency is the largest any one box gives that queue, not
 * the fleet's sum (20 positions slots would oversubscribe a laptop, and one process stands in for
 * one box of each kind). Daemons are the union, in topology order.
 */
export function allInOne(topology: Topology): { consumers: QueueConsumer[]; daemons: string[] } {
  const byQueue = new Map<string, QueueConsumer>();
  for (const box of topology.boxes) {
    for (const c of queuesForBox(topology, box.name)) {
      const seen = byQueue.get(c.queue);
      if (!seen || seen.concurrency < c.concurrency) byQueue.set(c.queue, c);
    }
  }
  return { consumers: [...byQueue.values()], daemons: [...new Set(topology.boxes.flatMap((b) => b.daemons))] };
}
