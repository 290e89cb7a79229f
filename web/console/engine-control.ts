// The console's position control over the step engine: "close now" starts the same close block the
// fills and the supervisor start, deduplicated per position, so a double submit closes once.
import type { StepEngine } from '../../core/steps/engine.ts';
import { closeBlock, dedupe } from '../../handlers/trading/blocks.ts';
import type { PositionControl } from './console-deps.ts';

/** Position control starting blocks on `engine`. */
export function enginePositionControl(engine: StepEngine): PositionControl {
  return {
    async close(position, reason) {
      await engine.start(closeBlock(position.uuid, reason), { set: 'trading', dedupeKey: dedupe.close(position.uuid) });
    },
  };
}
