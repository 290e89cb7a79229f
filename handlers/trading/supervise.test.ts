import { describe, expect, it } from 'vitest';
import type { PositionRow } from '../../core/trading/position.ts';
import { isStuck, redriveStuck } from './supervise.ts';

const DEADLINE = 30 * 60_000;
const position = (status: PositionRow['status'], updatedAt: number) => ({ id: 7, uuid: 'p-7', status, updatedAt }) as PositionRow;
const handlers = (status: PositionRow['status'], now: number) =>
  redriveStuck(position(status, 0), now, DEADLINE).flatMap((e) => (e.kind === 'start-block' ? [[e.steps.map((s) => s.handler).slice(0, 2).join(' → '), e.dedupeKey]] : []));

describe('the exit supervisor', () => {
  it('leaves active positions and anything younger than the deadline alone', () => {
    expect(isStuck(position('active', 0), 10 * DEADLINE, DEADLINE)).toBe(false);
    expect(isStuck(position('closing', 0), DEADLINE - 1, DEADLINE)).toBe(false);
    expect(handlers('closing', DEADLINE - 1)).toEqual([]);
  });

  it('re-drives a stuck close, cancel or WAP with its own workflow, once per deadline window', () => {
    expect(handlers('closing', DEADLINE)).toEqual([['trading.close.begin → trading.cancel-rungs', 'redrive:p-7:1']]);
    expect(handlers('cancelling', 2 * DEADLINE)).toEqual([['trading.cancel.begin → trading.cancel-rungs', 'redrive:p-7:2']]);
    // A WAP that never finished goes back to `active` first: wap.begin waits while the position is `waping`.
    expect(handlers('waping', DEADLINE)).toEqual([['trading.wap.restore → trading.wap.begin', 'redrive:p-7:1']]);
  });

  it('flags but cannot re-drive a position stuck before it was managed', () => {
    expect(isStuck(position('opening', 0), DEADLINE, DEADLINE)).toBe(true);
    expect(handlers('opening', DEADLINE)).toEqual([]);
  });
});
