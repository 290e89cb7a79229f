import { describe, expect, it } from 'vitest';
import { boxesRunningEntry } from './drills-kill-point.ts';

describe('drill kill point', () => {
  it('names the boxes running a market entry of the given positions, not other steps or other accounts\' positions', () => {
    expect(boxesRunningEntry([
      { handler: 'trading.open.market-entry', args: { position: 'p1' }, worker: 'nyx@vm#a1' },
      { handler: 'trading.open.market-entry', args: { position: 'p9' }, worker: 'iris@vm#b2' },
      { handler: 'trading.open.rungs', args: { position: 'p2' }, worker: 'hemera@vm#c3' },
      { handler: 'trading.open.market-entry', args: { position: 'p2' }, worker: 'nyx@vm#d4' },
      { handler: 'trading.open.market-entry', args: { position: 'p3' }, worker: null },
    ], new Set(['p1', 'p2', 'p3']))).toEqual(['nyx']);
  });
});
