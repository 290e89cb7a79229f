// The regime's rows: snapshots with their sub-signals, the override audit, the cooldown row and
// shocks. Effect builders for handlers and the CLI, reads for the decision boundary and `kraite
// regime`. Only this file knows the column names.
import type { Effect, InsertEffect, Row, UpdateEffect } from '../../steps/effects.ts';
import type { RowReader } from '../../steps/step-store.port.ts';
import type { AccountRow } from '../../trading/account.ts';
import { MARKET_TABLES, statNumber, statText } from '../tables.ts';
import { openAllowance, type AllowanceOptions, type OpenAllowance, type RegimeSnapshotView } from './allowance.ts';
import { bandOf, type Band } from './bands.ts';
import { NO_COOLDOWN, type CooldownState } from './cooldown.ts';
import { currentOverride, type RegimeOverride } from './override.ts';
import type { Shock } from './shock.ts';
import type { SignalReading } from './signals.ts';

/** A stored snapshot with its signals. */
export interface RegimeSnapshot extends RegimeSnapshotView {
  uuid: string;
  periodAt: number;
  band: Band;
  signals: SignalReading[];
}

/** The key of the snapshot of one hour: a retried compute writes under the same key and is ignored. */
export const snapshotKey = (periodAt: number): string => `regime-${periodAt}`;

/** Inserts of one snapshot and its signals (idempotent per hour: the period is the key). */
export function snapshotInserts(s: Omit<RegimeSnapshot, 'band' | 'uuid'>): InsertEffect[] {
  const uuid = snapshotKey(s.periodAt);
  return [
    {
      kind: 'insert', table: MARKET_TABLES.snapshots, ignoreDuplicate: true,
      row: { uuid, period_at: s.periodAt, computed_at: s.computedAt, score: statText(s.score), band: bandOf(s.score) },
    },
    ...s.signals.map((g): InsertEffect => ({
      kind: 'insert', table: MARKET_TABLES.signals, ignoreDuplicate: true,
      row: {
        snapshot_uuid: uuid, name: g.name, reading: g.reading === null ? null : statText(g.reading), threshold: statText(g.threshold),
        fired: g.fired ? 1 : 0, points: statText(g.points),
      },
    })),
  ];
}

function toSignal(row: Row): SignalReading {
  return {
    name: String(row.name) as SignalReading['name'], reading: row.reading === null || row.reading === undefined ? null : statNumber(row.reading),
    threshold: statNumber(row.threshold), fired: row.fired === 1 || row.fired === true || row.fired === '1', points: statNumber(row.points),
  };
}

/** The newest snapshot with its signals, or null. */
export async function latestSnapshot(rows: RowReader): Promise<RegimeSnapshot | null> {
  const [r] = await rows.findRows(MARKET_TABLES.snapshots, {}, { orderBy: 'computed_at', desc: true, limit: 1 });
  if (!r) return null;
  const uuid = String(r.uuid);
  const signals = (await rows.findRows(MARKET_TABLES.signals, { snapshot_uuid: uuid })).map(toSignal);
  return { uuid, periodAt: statNumber(r.period_at), computedAt: statNumber(r.computed_at), score: statNumber(r.score), band: String(r.band) as Band, signals };
}

/** Appends an override to the audit (the newest active one is in force). */
export function overrideInsert(o: RegimeOverride): InsertEffect {
  return {
    kind: 'insert', table: MARKET_TABLES.overrides,
    row: { mode: o.mode, reason: o.reason, created_by: o.createdBy, created_at: o.createdAt, until_at: o.until },
  };
}

/** The newest overrides first (audit listing). */
export async function recentOverrides(rows: RowReader, limit = 20): Promise<RegimeOverride[]> {
  const found = await rows.findRows(MARKET_TABLES.overrides, {}, { orderBy: 'created_at', desc: true, limit });
  return found.map((r) => ({
    mode: r.mode === 'block' ? 'block' : 'allow', reason: String(r.reason), createdBy: String(r.created_by),
    createdAt: statNumber(r.created_at), until: statNumber(r.until_at),
  }));
}

const COOLDOWN_ID = 1;

/** The cooldown row, or no cooldown when it was never written. */
export async function readCooldown(rows: RowReader): Promise<CooldownState> {
  const [r] = await rows.findRows(MARKET_TABLES.cooldown, { id: COOLDOWN_ID }, { limit: 1 });
  if (!r) return NO_COOLDOWN;
  const n = (v: unknown) => (v === null || v === undefined ? null : statNumber(v));
  return { armedAt: n(r.armed_at), until: n(r.until_at), armedScore: n(r.armed_score) };
}

/** Writes the cooldown row: insert-if-missing then update, in one transaction (no upsert in the port). */
export function cooldownWrites(state: CooldownState, at: number): Effect[] {
  const set = { armed_at: state.armedAt, until_at: state.until, armed_score: state.armedScore === null ? null : statText(state.armedScore), updated_at: at };
  const insert: InsertEffect = { kind: 'insert', table: MARKET_TABLES.cooldown, row: { id: COOLDOWN_ID, ...set }, ignoreDuplicate: true };
  const update: UpdateEffect = { kind: 'update', table: MARKET_TABLES.cooldown, where: { id: COOLDOWN_ID }, set };
  return [insert, update];
}

/** Records a shock the one-minute detector reported. */
export function shockInsert(s: Shock): InsertEffect {
  return { kind: 'insert', table: MARKET_TABLES.shocks, row: { detected_at: s.at, drop_pct: statText(s.dropPercent), symbols: s.symbols } };
}

/** The newest shock, or null. */
export async function latestShock(rows: RowReader): Promise<Shock | null> {
  const [r] = await rows.findRows(MARKET_TABLES.shocks, {}, { orderBy: 'detected_at', desc: true, limit: 1 });
  return r ? { at: statNumber(r.detected_at), dropPercent: statNumber(r.drop_pct), symbols: statNumber(r.symbols) } : null;
}

/** Everything the regime holds right now, as `kraite regime` and the admin show it. */
export interface RegimeState {
  snapshot: RegimeSnapshot | null;
  cooldown: CooldownState;
  override: RegimeOverride | null;
  shock: Shock | null;
}

/** Reads the regime's state. */
export async function readRegimeState(rows: RowReader, now: number): Promise<RegimeState> {
  const [snapshot, cooldown, overrides, shock] = await Promise.all([latestSnapshot(rows), readCooldown(rows), recentOverrides(rows, 5), latestShock(rows)]);
  return { snapshot, cooldown, override: currentOverride(overrides, now), shock };
}

/**
 * The decision boundary over stored state, in the shape the trading open flow takes
 * (`TradingDeps.allowance`): `(account, now) => Promise<OpenAllowance>`.
 */
export function regimeAllowance(rows: RowReader, options: AllowanceOptions = {}): (account: Pick<AccountRow, 'settings'>, now: number) => Promise<OpenAllowance> {
  return async (account, now) => {
    const s = await readRegimeState(rows, now);
    return openAllowance({ now, slots: { LONG: account.settings.LONG.slots, SHORT: account.settings.SHORT.slots }, ...s }, options);
  };
}
