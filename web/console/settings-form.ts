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

/** Each field's input attributes and unit, so the browser checks what the schema will. */
export const SETTING_INPUTS: Record<string, { min: number; max: number; step: string; unit: string; words: string }> = {
  slots: { min: 0, max: 10, step: '1', unit: 'positions', words: 'Positions open at once' },
  leverage: { min: 1, max: 25, step: '1', unit: '×', words: 'Leverage' },
  margin: { min: 5, max: 10_000, step: '0.01', unit: 'USDT', words: 'Margin per position' },
  profit_pct: { min: 0.1, max: 20, step: '0.01', unit: '%', words: 'Take profit at' },
  stop_pct: { min: 1, max: 50, step: '0.01', unit: '% past the last rung', words: 'Stop loss at' },
  gap_pct: { min: 0.1, max: 20, step: '0.01', unit: '% between rungs', words: 'Ladder gap' },
  rung_multiplier: { min: 1, max: 3, step: '0.01', unit: '× the previous size', words: 'Each rung buys' },
  rungs: { min: 0, max: 8, step: '1', unit: 'rungs', words: 'Ladder rungs' },
};

/** The form's errors by field name (`long_margin` → "must be at least 5"). */
export function settingsErrors(form: Record<string, string>): Record<string, string> {
  const parsed = settingsSchema.safeParse(form);
  if (parsed.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
  return errors;
}
