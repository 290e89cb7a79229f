// The console's curated settings: what a trader may change on their own account, within limits an
// operator would sign off. Anything else (credentials, margin type, position mode) stays admin-only.
import { z } from 'zod';
import type { Row } from '../../core/steps/effects.ts';

const int = (min: number, max: number) => z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const decimal = (min: number, max: number) => z.string({ error: 'is required' }).trim()
  .regex(/^\d{1,9}(\.\d{1,8})?$/, 'must be a decimal number like 12.5')
  .refine((v) => Number(v) >= min, `must be at least ${min}`)
  .refine((v) => Number(v) <= max, `must be at most ${max}`);

/** One direction's curated fields with their limits. */
const DIRECTION_FIELDS = {
  slots: int(0, 10),
  leverage: int(1, 25),
  margin: decimal(5, 10_000),
  profit_pct: decimal(0.1, 20),
  stop_pct: decimal(1, 50),
  gap_pct: decimal(0.1, 20),
  rung_multiplier: decimal(1, 3),
  rungs: int(0, 8),
} as const;

/** The field names in form order, per direction (`long_slots`, …). */
export const SETTING_FIELDS = (['long', 'short'] as const).flatMap((d) => Object.keys(DIRECTION_FIELDS).map((k) => `${d}_${k}`));

/** The form: every curated field, each named in its error message. */
export const settingsSchema = z.object(Object.fromEntries(SETTING_FIELDS.map((f) => [f, DIRECTION_FIELDS[f.replace(/^(long|short)_/, '') as keyof typeof DIRECTION_FIELDS]])));

/** The accounts columns to write for a validated form (the column names are the field names). */
export function settingsColumns(value: Record<string, string | number>, now: number): Row {
  return { ...Object.fromEntries(SETTING_FIELDS.map((f) => [f, value[f]!])), updated_at: now } as Row;
}

/** Human labels for the form. */
export const SETTING_LABELS: Record<string, string> = {
  slots: 'slots', leverage: 'leverage (x)', margin: 'margin per position', profit_pct: 'profit %', stop_pct: 'stop %',
  gap_pct: 'ladder gap %', rung_multiplier: 'rung multiplier', rungs: 'rungs',
};
