// Routes logical lanes to physical queues from the topology; web and storage boxes are never candidates.
import { ValidationError } from '../errors.ts';
import type { LaneRouter } from '../queue/router.port.ts';
import type { Box, Topology } from './topology.schema.ts';
import { queueName } from './topology.ts';

const TRADING_LANES = new Set(['positions', 'orders', 'priority']);

/** A LaneRouter built from a topology, with each lane's candidate boxes. */
export class TopologyRouter implements LaneRouter {
  private readonly pools = new Map<string, Box[]>();

  constructor(private readonly topology: Topology) {
    for (const box of topology.boxes) {
      for (const q of box.queues) {
        const pool = this.pools.get(q.lane) ?? [];
        pool.push(box);
        this.pools.set(q.lane, pool);
      }
    }
  }

  queueFor(lane: string): string {
    if (!this.pools.has(lane)) throw new ValidationError(`no box consumes lane "${lane}" in topology ${this.topology.name}`, 'UNROUTABLE_LANE');
    return queueName(this.topology, lane);
  }

  recoveryQueueFor(lane: string): string {
    // Trading work jumps the line on the priority lane. A box-pinned lane keeps its box (the probe
    // must run from that IP), and tyche's or athena's lanes keep theirs: indicator waits must never
    // land in the pool that places orders.
    return TRADING_LANES.has(lane) && this.pools.has('priority') ? this.queueFor('priority') : this.queueFor(lane);
  }

  /** Boxes that consume `lane` (never web or storage boxes). */
  candidates(lane: string): string[] {
    return (this.pools.get(lane) ?? []).map((b) => b.name);
  }

  /** Whether `lane` is a box name. */
  isPinned(lane: string): boolean {
    return this.topology.boxes.some((b) => b.name === lane);
  }
}
