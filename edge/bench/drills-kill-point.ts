// Where a "worker killed mid-open" drill strikes: the boxes whose workers are running an account's
// market entry right now. Killing a fixed box instead (say eos) mostly misses the open, since any
// of the four interchangeable workers may hold it, and then measures nothing. Pure, so a unit
// test pins the rule.

/** A running step as the kill point reads it. */
export interface RunningStep {
  handler: string;
  args: unknown;
  /** `box@host#token` of the run, or null. */
  worker: string | null;
}

/** The boxes (`eos`, …) running the market entry of one of `positions` (uuids), each once, in order of appearance. */
export function boxesRunningEntry(steps: readonly RunningStep[], positions: ReadonlySet<string>): string[] {
  const boxes: string[] = [];
  for (const s of steps) {
    if (s.handler !== 'trading.open.market-entry' || !s.worker) continue;
    const position = (s.args as { position?: unknown } | null)?.position;
    if (typeof position !== 'string' || !positions.has(position)) continue;
    const box = s.worker.split('@')[0]!;
    if (!boxes.includes(box)) boxes.push(box);
  }
  return boxes;
}
