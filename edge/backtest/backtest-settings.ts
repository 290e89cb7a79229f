// A backtest's account settings: the console's settings form (same fields, same limits, same
// messages — web/console/settings-form.ts), from the account defaults, a JSON file of form fields,
// and short overrides that apply to both directions (`gap=0.4`, `rungs=5`), as flags and grid axes.
import { ValidationError } from '../../core/errors.ts';
import { DEFAULT_DIRECTION_SETTINGS, type DirectionSettings } from '../../core/trading/account.ts';
import type { Direction } from '../../core/trading/statuses.ts';
import { settingsSchema, SETTING_FIELDS } from '../../web/console/settings-form.ts';

/** Short names (flags and grid axes) → the form's field suffix. */
export const SHORT_SETTINGS = {
  slots: 'slots', leverage: 'leverage', margin: 'margin', profit: 'profit_pct', stop: 'stop_pct',
  gap: 'gap_pct', multiplier: 'rung_multiplier', rungs: 'rungs',
} as const;

/** A short setting name. */
export type ShortSetting = keyof typeof SHORT_SETTINGS;

const FIELD_OF: Record<string, keyof DirectionSettings> = {
  slots: 'slots', leverage: 'leverage', margin: 'margin', profit_pct: 'profitPct', stop_pct: 'stopPct',
  gap_pct: 'gapPct', rung_multiplier: 'rungMultiplier', rungs: 'rungs',
};

/** The form's fields for the account defaults. */
export function defaultForm(): Record<string, string> {
  const form: Record<string, string> = {};
  for (const f of SETTING_FIELDS) form[f] = String(DEFAULT_DIRECTION_SETTINGS[FIELD_OF[f.replace(/^(long|short)_/, '')]!]);
  return form;
}

/** Applies short overrides (both directions) to a form. */
export function withOverrides(form: Record<string, string>, overrides: Partial<Record<ShortSetting, string>>): Record<string, string> {
  const out = { ...form };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) continue;
    const suffix = SHORT_SETTINGS[k as ShortSetting];
    if (!suffix) throw new ValidationError(`unknown setting "${k}": one of ${Object.keys(SHORT_SETTINGS).join(', ')}`, 'INVALID_SETTINGS');
    out[`long_${suffix}`] = v;
    out[`short_${suffix}`] = v;
  }
  return out;
}

/** Validates a form as the console does; the error names each bad field. */
export function settingsFromForm(form: Record<string, unknown>): Record<Direction, DirectionSettings> {
  const unknown = Object.keys(form).filter((k) => !SETTING_FIELDS.includes(k));
  if (unknown.length) throw new ValidationError(`settings: unknown field ${unknown.join(', ')} (the console's fields: ${SETTING_FIELDS.join(', ')})`, 'INVALID_SETTINGS');
  const parsed = settingsSchema.safeParse(Object.fromEntries(Object.entries(form).map(([k, v]) => [k, typeof v === 'number' && !/slots|leverage|rungs$/.test(k) ? String(v) : v])));
  if (!parsed.success) {
    throw new ValidationError(`settings: ${parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`).join('; ')}`, 'INVALID_SETTINGS');
  }
  const v = parsed.data as Record<string, string | number>;
  const side = (p: 'long' | 'short'): DirectionSettings => {
    const s: Record<string, unknown> = {};
    for (const [suffix, field] of Object.entries(FIELD_OF)) s[field] = typeof v[`${p}_${suffix}`] === 'number' ? v[`${p}_${suffix}`] : String(v[`${p}_${suffix}`]);
    return s as unknown as DirectionSettings;
  };
  return { LONG: side('long'), SHORT: side('short') };
}
