// Routes logical lanes to physical queues from the topology, and knows which boxes (and so which
// egress IPs) stand behind each lane. Web and storage boxes are never candidates.
import { ValidationError } from '../errors.ts';
import type { LaneRouter } from '../queue/router.port.ts';
import { LANES, type Box, type Topology } from './topology.schema.ts';
import { isBoxLane, queueName } from './topology.ts';

/** Lanes whose stalled steps jump the line on the priority lane. */
const TRADING_LANES: ReadonlySet<string> = new Set(['positions', 'orders', 'priority']);

/** One egress IP behind a lane and the box that owns it. */
export interface CandidateEgress {
  box: string;
  ip: string;
}

// A web-only or storage-only box never takes work, even if a hand-built topology skipped validation.
const takesWork = (box: Box) => !box.roles.every((r) => r === 'web' || r === 'storage');

/** A LaneRouter built from a topology, with each lane's candidate boxes. */
export class TopologyRouter implements LaneRouter {
  private readonly pools = new Map<string, Box[]>();

  constructor(private readonly topology: Topology) {
    for (const box of topology.boxes.filter(takesWork)) {
      for (const q of box.queues) this.pools.set(q.lane, [...(this.pools.get(q.lane) ?? []), box]);
    }
  }

  /** The boxes behind `lane`, or a ValidationError saying whether the lane is unknown or unconsumed. */
  private pool(lane: string): Box[] {
    const pool = this.pools.get(lane);
    if (pool) return pool;
    if (!(LANES as readonly string[]).includes(lane) && !isBoxLane(this.topology, lane)) {
      throw new ValidationError(`unknown lane "${lane}" (one of ${LANES.join(', ')} or a box name)`, 'UNKNOWN_LANE');
    }
    throw new ValidationError(`no box consumes lane "${lane}" in topology ${this.topology.name}`, 'UNROUTABLE_LANE');
  }

  queueFor(lane: string): string {
    this.pool(lane);
    return queueName(this.topology, lane);
  }

  recoveryQueueFor(lane: string): string {
    // Trading work jumps the line on the priority lane. A box-pinned lane keeps its box (the probe
    // must leave from that IP); indicator, cron and user-data work keeps its own lane, because
    // TAAPI waits must never hold the slots that place and close orders.
    return TRADING_LANES.has(lane) && this.pools.has('priority') ? this.queueFor('priority') : this.queueFor(lane);
  }

  /** Names of the boxes that consume `lane`, in topology order (never web or storage boxes). */
  candidates(lane: string): string[] {
    return this.pool(lane).map((b) => b.name);
  }

  /**
   * The egress IPs behind `lane`, one row per IP: the hook the exchange governor uses to steer work
   * off a banned or spent IP (pick an IP among these, then pin the work to its box's lane).
   * Boxes that declare no egress IP are left out.
   */
  candidateEgress(lane: string): CandidateEgress[] {
    return this.pool(lane).flatMap((b) => (b.egressIps ?? []).map((ip) => ({ box: b.name, ip })));
  }

  /** Whether `lane` is a box name, i.e. pinned to exactly that box. */
  isPinned(lane: string): boolean {
    return isBoxLane(this.topology, lane);
  }
}
