// The inputs that change a simulator, as a journal records them: the outermost call of each, with
// the clock it ran at. Replayed in order on a restored snapshot they rebuild the same state, since
// the engine is deterministic given its inputs and their times (the walk's generators are state).

/** The SimExchange methods that change state and are recorded (`route`: a REST call that is not a GET). */
export const SIM_OPS = [
  'route', 'step', 'tick', 'setPrices', 'movePercent', 'setFundingRate', 'setDepth', 'script', 'replay', 'freeze', 'fill', 'triggerAlgo', 'addAccount',
] as const;

/** One of SIM_OPS. */
export type SimOp = (typeof SIM_OPS)[number];

/** A recorded input: the method, when it ran (the simulator's clock, unskewed) and its JSON-safe arguments. */
export interface SimInput {
  op: SimOp;
  at: number;
  args: unknown[];
}
