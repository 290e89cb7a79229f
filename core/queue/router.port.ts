// Lanes are logical (positions, orders, priority, a box name…); the router maps them to physical
// queue names built from the fleet topology.

/** Maps logical lanes to physical queues. */
export interface LaneRouter {
  /** The physical queue for a lane; throws a ValidationError for a lane no box consumes. */
  queueFor(lane: string): string;
  /**
   * Where a stalled step of `lane` is re-queued: trading lanes jump to the priority lane; box-pinned
   * lanes and tyche's or athena's lanes keep their own queue (indicator waits never reach the order pool).
   */
  recoveryQueueFor(lane: string): string;
}

/** A router that uses lane names as queue names and recovers everything on `priority` (tests). */
export const identityRouter: LaneRouter = {
  queueFor: (lane) => lane,
  recoveryQueueFor: () => 'priority',
};
