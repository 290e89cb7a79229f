// Lanes are logical (positions, orders, priority, a box name…); the router maps them to physical
// queue names built from the fleet topology.

/** Maps logical lanes to physical queues. */
export interface LaneRouter {
  /** The physical queue for a lane; throws a ValidationError for a lane no box consumes. */
  queueFor(lane: string): string;
  /** Where a stalled step of `lane` is re-queued: the priority lane, unless the lane is pinned to a box. */
  recoveryQueueFor(lane: string): string;
}

/** A router that uses lane names as queue names (tests and the embedded mode's fallback). */
export const identityRouter: LaneRouter = {
  queueFor: (lane) => lane,
  recoveryQueueFor: (lane) => (lane.startsWith('box:') ? lane : 'priority'),
};
