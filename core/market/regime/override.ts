// The operator override: allow or block new opens until a given time, whatever the score or the
// cooldown says. Every override is an audited row (who, when, why, until); the newest active one
// wins, and a later override replaces an earlier one.
import { z } from 'zod';

/** One override as stored. */
export interface RegimeOverride {
  mode: 'allow' | 'block';
  reason: string;
  createdBy: string;
  createdAt: number;
  until: number;
}

/** Whether an override decides at `now` (the end is exclusive). */
export function overrideActive(o: RegimeOverride | null, now: number): o is RegimeOverride {
  return o !== null && now >= o.createdAt && now < o.until;
}

/** The override in force: the newest by creation time that is still active. */
export function currentOverride(overrides: readonly RegimeOverride[], now: number): RegimeOverride | null {
  const newest = [...overrides].filter((o) => o.createdAt <= now).sort((a, b) => b.createdAt - a.createdAt)[0] ?? null;
  return overrideActive(newest, now) ? newest : null;
}

/** Longest override an operator may set (7 days): an override is a patch, not a policy. */
export const MAX_OVERRIDE_MS = 7 * 24 * 3_600_000;

/** Validates an operator's override request; errors name the field. */
export const overrideRequest = z.object({
  mode: z.enum(['allow', 'block']),
  reason: z.string().trim().min(3, 'give a reason of at least 3 characters').max(255),
  createdBy: z.string().trim().min(1, 'who sets it').max(64),
  until: z.number().int(),
});

/** Builds a validated override created at `now`; the end must be in the future and within the cap. */
export function newOverride(input: z.input<typeof overrideRequest>, now: number): RegimeOverride {
  const r = overrideRequest.parse(input);
  if (r.until <= now) throw new z.ZodError([{ code: 'custom', path: ['until'], message: 'must be in the future', input: r.until }]);
  if (r.until - now > MAX_OVERRIDE_MS) throw new z.ZodError([{ code: 'custom', path: ['until'], message: 'at most 7 days ahead', input: r.until }]);
  return { ...r, createdAt: now };
}
