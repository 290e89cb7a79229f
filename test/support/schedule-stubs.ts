// A stub handler for every step the scheduler table creates: completes at once, so a scheduler
// test can run the whole table over a real engine without the trading and market runtimes.
import { z } from 'zod';
import { SCHEDULE } from '../../core/scheduler/schedule-table.ts';
import { result } from '../../core/steps/effects.ts';
import { defineHandler, HandlerRegistry } from '../../core/steps/registry.ts';

/** A registry holding one completing stub per handler the table names. */
export function scheduleStubRegistry(): HandlerRegistry {
  const names = new Map(SCHEDULE.flatMap((e) => (e.step ? [[e.step.handler, e.step.lane] as const] : [])));
  return new HandlerRegistry([...names].map(([name, lane]) => defineHandler({ name, lane, args: z.object({}).passthrough(), run: async () => result.complete() })));
}

/** The lanes the table's steps go to. */
export const SCHEDULE_LANES = [...new Set(SCHEDULE.flatMap((e) => (e.step ? [e.step.lane] : [])))];
