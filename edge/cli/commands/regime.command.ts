// `kraite regime` shows the market regime as the decision boundary sees it (score, band, every
// sub-signal, cooldown, override, shock, staleness); `kraite regime:override` sets an audited
// operator override that allows or blocks new opens until a time, beating the cooldown.
import { z } from 'zod';
import {
  ALLOWANCE_DEFAULTS, newOverride, openAllowance, overrideInsert, readRegimeState, SIGNALS, snapshotStale, type RegimeState,
} from '../../../core/market/index.ts';
import { applyRowEffects } from '../../../core/trading/apply-row-effects.ts';
import { cliStore } from '../cli-store.ts';
import { defineCommand, UsageError } from '../command.ts';

const iso = (t: number | null) => (t === null ? '—' : new Date(t).toISOString());

function describeState(s: RegimeState, now: number): string[] {
  const lines: string[] = [];
  const snap = s.snapshot;
  const stale = snapshotStale(snap, now);
  const a = openAllowance({ now, slots: { LONG: 100, SHORT: 100 }, ...s });
  if (!snap) lines.push('regime: no snapshot yet (fails open)');
  else {
    lines.push(`regime: ${snap.band}  score ${snap.score.toFixed(2)}  computed ${iso(snap.computedAt)}${stale ? `  STALE (older than ${ALLOWANCE_DEFAULTS.freshnessMs / 60_000} min: fails open)` : ''}`);
    for (const g of snap.signals) {
      const spec = SIGNALS.find((x) => x.name === g.name);
      const reading = g.reading === null ? 'n/a' : g.reading.toFixed(4);
      lines.push(`  ${g.name.padEnd(21)} ${reading.padStart(10)}  threshold ${String(g.threshold).padEnd(4)} ${g.fired ? 'FIRED' : '     '} +${g.points.toFixed(2)}  ${spec?.describes ?? ''}`);
    }
  }
  lines.push(`cooldown: ${s.cooldown.until !== null && now < s.cooldown.until ? `active until ${iso(s.cooldown.until)} (armed ${iso(s.cooldown.armedAt)} at score ${s.cooldown.armedScore})` : 'none'}`);
  lines.push(`override: ${s.override ? `${s.override.mode} until ${iso(s.override.until)} by ${s.override.createdBy} at ${iso(s.override.createdAt)}: ${s.override.reason}` : 'none'}`);
  lines.push(`last shock: ${s.shock ? `${iso(s.shock.at)} basket down ${s.shock.dropPercent.toFixed(2)} % (${s.shock.symbols} symbols)` : 'none'}`);
  lines.push(`new opens: ${a.allowed ? 'allowed' : 'BLOCKED'} (${a.reason}); leverage ×${a.leverageFactor}, margin ×${a.marginFactor.toFixed(3)}, position count ×${a.allowed ? (a.maxPerDirection.LONG / 100).toFixed(2) : '0'}`);
  return lines;
}

/** `kraite regime`. */
export const regimeCommand = defineCommand({
  name: 'regime',
  group: 'trade',
  env: ['DATABASE_URL (without it: the running npm start)'],
  example: 'regime --json',
  flags: { json: 'print JSON instead of text' },
  summary: 'the market regime: score, band, sub-signals, cooldown, override, shock, and what it means for new opens',
  usage: 'regime [--json]',
  options: { json: { type: 'boolean' } },
  async run({ values }, io) {
    const store = await cliStore(io);
    try {
      const now = Date.now();
      const state = await readRegimeState(store, now);
      if (values.json) io.out(JSON.stringify({ now, stale: snapshotStale(state.snapshot, now), ...state, allowance: openAllowance({ now, slots: { LONG: 1, SHORT: 1 }, ...state }) }));
      else for (const line of describeState(state, now)) io.out(line);
      return 0;
    } finally {
      await store.close();
    }
  },
});

const RELATIVE = /^(\d+)(m|h|d)$/;
const UNIT = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `--until`: an ISO time, or a duration from now like 90m, 6h, 2d. */
export function parseUntil(raw: unknown, now: number): number {
  if (typeof raw !== 'string' || raw === '') throw new UsageError('regime:override needs --until (an ISO time such as 2026-11-24T08:00:00Z, or 90m / 6h / 2d from now)');
  const rel = RELATIVE.exec(raw);
  if (rel) return now + Number(rel[1]) * UNIT[rel[2] as keyof typeof UNIT];
  const t = Date.parse(raw);
  if (!Number.isFinite(t) || !/^\d{4}-\d{2}-\d{2}T/.test(raw)) throw new UsageError(`--until: not an ISO time or a duration: "${raw}"`);
  return t;
}

/** `kraite regime:override`. */
export const regimeOverrideCommand = defineCommand({
  name: 'regime:override',
  group: 'trade',
  env: ['DATABASE_URL (without it: the running npm start)', 'KRAITE_OPERATOR (optional: who)'],
  example: 'regime:override --block --until 6h --reason "CPI release"',
  flags: { allow: 'allow new opens whatever the score says', block: 'block new opens whatever the score says', until: 'when the override ends: an ISO time or a duration (90m, 6h, 2d)', reason: 'why (kept in the audit)', by: 'who (default: KRAITE_OPERATOR, else $USER)' },
  summary: 'allow or block new opens until a time, whatever the score or cooldown says (audited: who, when, why, until)',
  usage: 'regime:override --allow|--block --until ISO|90m|6h|2d --reason "why" [--by NAME]',
  options: { allow: { type: 'boolean' }, block: { type: 'boolean' }, until: { type: 'string' }, reason: { type: 'string' }, by: { type: 'string' } },
  async run({ values }, io) {
    if (!!values.allow === !!values.block) throw new UsageError('regime:override takes exactly one of --allow or --block');
    const now = Date.now();
    const until = parseUntil(values.until, now);
    const by = (values.by as string | undefined) ?? io.env.KRAITE_OPERATOR ?? io.env.USER ?? 'cli';
    let override;
    try {
      override = newOverride({ mode: values.allow ? 'allow' : 'block', reason: String(values.reason ?? ''), createdBy: by, until }, now);
    } catch (error) {
      if (!(error instanceof z.ZodError)) throw error;
      const issue = error.issues[0];
      const flag = issue?.path[0] === 'createdBy' ? 'by' : String(issue?.path[0] ?? 'arguments');
      throw new UsageError(`--${flag}: ${issue?.message ?? 'invalid'}`);
    }
    const store = await cliStore(io);
    try {
      await store.transaction((tx) => applyRowEffects(tx, [overrideInsert(override)]));
      io.out(`override set: ${override.mode} new opens until ${iso(override.until)} (by ${override.createdBy}: ${override.reason})`);
      for (const line of describeState(await readRegimeState(store, now), now)) io.out(line);
      return 0;
    } finally {
      await store.close();
    }
  },
});
