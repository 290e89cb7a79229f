import { describe, expect, it } from 'vitest';
import { STEP_STATES, TERMINAL_STATES } from './step.ts';
import { assertTransition, canTransition, IllegalTransitionError, sourcesOf } from './transitions.ts';

describe('step transitions', () => {
  it('allows the lifecycle moves', () => {
    for (const [from, to] of [['pending', 'dispatched'], ['dispatched', 'running'], ['running', 'completed'], ['running', 'pending'],
      ['not_runnable', 'pending'], ['failed', 'pending'], ['running', 'failed']] as const) {
      expect(canTransition(from, to)).toBe(true);
    }
  });

  it('refuses moves that skip a state or leave a settled step', () => {
    expect(() => assertTransition('pending', 'completed')).toThrow(IllegalTransitionError);
    expect(() => assertTransition('pending', 'completed')).toThrow('illegal step transition pending → completed');
    expect(() => assertTransition('dispatched', 'completed')).toThrow(IllegalTransitionError);
    expect(() => assertTransition('not_runnable', 'running')).toThrow(IllegalTransitionError);
    for (const from of ['completed', 'skipped', 'stopped'] as const) {
      for (const to of STEP_STATES) expect(canTransition(from, to)).toBe(false);
    }
  });

  it('never moves a terminal state except an operator retry of failed or cancelled', () => {
    for (const from of TERMINAL_STATES) {
      const out = STEP_STATES.filter((to) => canTransition(from, to));
      expect(out).toEqual(from === 'failed' || from === 'cancelled' ? ['pending'] : []);
    }
  });

  it('lists the sources of a state', () => {
    expect(sourcesOf('running')).toEqual(['pending', 'dispatched']);
    expect(sourcesOf('dispatched')).toEqual(['pending']);
  });
});
