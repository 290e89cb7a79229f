// The one decision boundary the open flow asks (market.md): may this account open, how many per
// direction, at what leverage and margin. Precedence: operator override → shock hold → cooldown
// → stale data (fails open) → the band of the score. Consumers never compute bands themselves.
import type { Direction } from '../../trading/statuses.ts';
import { bandEffects, type Band } from './bands.ts';
import { cooldownActive, type CooldownState } from './cooldown.ts';
import { overrideActive, type RegimeOverride } from './override.ts';
import type { Shock } from './shock.ts';

/** The answer for one account at one moment; `score` is a decimal string as positions store it. */
export interface OpenAllowance {
  allowed: boolean;
  reason: string;
  /** Cap on open positions per direction: the account's slots scaled by the band. */
  maxPerDirection: Record<Direction, number>;
  leverageFactor: number;
  marginFactor: number;
  /** The band positions record they opened under ('stale' when the data was too old to trust). */
  band: Band | 'stale' | null;
  score: string | null;
}

/** The latest regime snapshot as the boundary reads it. */
export interface RegimeSnapshotView {
  score: number;
  computedAt: number;
}

/** Everything the boundary decides from. */
export interface AllowanceInput {
  now: number;
  /** The account's slots per direction. */
  slots: Record<Direction, number>;
  snapshot: RegimeSnapshotView | null;
  cooldown: CooldownState | null;
  override: RegimeOverride | null;
  /** The latest shock the one-minute detector reported, if any. */
  shock: Shock | null;
}

/** Tunables. */
export interface AllowanceOptions {
  /** Age beyond which a snapshot is stale and fails open (default 1 h 55 min: just under 2 h). */
  freshnessMs?: number;
  /** How long a shock blocks opens (default 30 min). */
  shockHoldMs?: number;
}

/** Defaults. */
export const ALLOWANCE_DEFAULTS = { freshnessMs: 115 * 60_000, shockHoldMs: 30 * 60_000 } as const;

const scoreText = (s: RegimeSnapshotView | null) => (s === null ? null : s.score.toFixed(2));

function scaled(slots: Record<Direction, number>, factor: number): Record<Direction, number> {
  // A reduced band still leaves an account with slots at least one position per direction.
  const one = (n: number) => (n <= 0 || factor <= 0 ? 0 : Math.max(1, Math.floor(n * factor)));
  return { LONG: one(slots.LONG), SHORT: one(slots.SHORT) };
}

function blocked(reason: string, band: OpenAllowance['band'], score: string | null): OpenAllowance {
  return { allowed: false, reason, maxPerDirection: { LONG: 0, SHORT: 0 }, leverageFactor: 0, marginFactor: 0, band, score };
}

/** Whether the snapshot is missing or older than its freshness budget. */
export function snapshotStale(s: RegimeSnapshotView | null, now: number, freshnessMs: number = ALLOWANCE_DEFAULTS.freshnessMs): boolean {
  return s === null || now - s.computedAt > freshnessMs;
}

/** Decides whether and how an account may open new positions now. */
export function openAllowance(input: AllowanceInput, options: AllowanceOptions = {}): OpenAllowance {
  const o = { ...ALLOWANCE_DEFAULTS, ...options };
  const { now, snapshot } = input;
  const stale = snapshotStale(snapshot, now, o.freshnessMs);
  const score = scoreText(snapshot);
  const effects = stale ? null : bandEffects(snapshot!.score);
  const band: OpenAllowance['band'] = effects ? effects.band : snapshot ? 'stale' : null;

  if (overrideActive(input.override, now)) {
    const ov = input.override;
    const why = `operator override by ${ov.createdBy} until ${new Date(ov.until).toISOString()}: ${ov.reason}`;
    if (ov.mode === 'block') return blocked(`blocked by ${why}`, band, score);
    // Allowed whatever the cooldown, shock or band say; sizing stays cautious where the band is
    // bad: Critical opens at Fragile's worst sizing, never full size.
    const e = effects === null ? bandEffects(0) : effects.opensAllowed ? effects : bandEffects(79.99);
    return {
      allowed: true, reason: `allowed by ${why}`, maxPerDirection: scaled(input.slots, e.countFactor),
      leverageFactor: e.leverageFactor, marginFactor: e.marginFactor, band, score,
    };
  }
  if (input.shock && now - input.shock.at < o.shockHoldMs && now >= input.shock.at) {
    return blocked(`market shock: basket down ${input.shock.dropPercent.toFixed(2)} % in a minute at ${new Date(input.shock.at).toISOString()}`, band, score);
  }
  if (cooldownActive(input.cooldown, now)) {
    return blocked(`Critical cooldown until ${new Date(input.cooldown!.until!).toISOString()}`, band, score);
  }
  if (effects === null) {
    return {
      allowed: true, reason: snapshot ? 'regime data stale: failing open' : 'no regime data: failing open',
      maxPerDirection: scaled(input.slots, 1), leverageFactor: 1, marginFactor: 1, band, score,
    };
  }
  if (!effects.opensAllowed) return blocked(`${effects.band} regime (score ${score})`, band, score);
  return {
    allowed: true, reason: `${effects.band} regime (score ${score})`, maxPerDirection: scaled(input.slots, effects.countFactor),
    leverageFactor: effects.leverageFactor, marginFactor: effects.marginFactor, band, score,
  };
}
