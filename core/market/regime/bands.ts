// The four regime bands (market.md) and what each does to new opens: leverage, position count and
// margin slice. Consumers never compute bands themselves; they ask openAllowance.

/** A regime band. */
export type Band = 'Calm' | 'Elevated' | 'Fragile' | 'Critical';
/** Bands from calmest to worst. */
export const BANDS: readonly Band[] = ['Calm', 'Elevated', 'Fragile', 'Critical'];

/** Lowest score of each band. */
export const BAND_FLOORS: Record<Band, number> = { Calm: 0, Elevated: 40, Fragile: 60, Critical: 80 };

/** The band of a 0–100 score (clamped; fractional scores belong to the band of their floor). */
export function bandOf(score: number): Band {
  const s = Math.max(0, Math.min(100, score));
  if (s >= BAND_FLOORS.Critical) return 'Critical';
  if (s >= BAND_FLOORS.Fragile) return 'Fragile';
  if (s >= BAND_FLOORS.Elevated) return 'Elevated';
  return 'Calm';
}

/** What a band does to new opens. */
export interface BandEffects {
  band: Band;
  opensAllowed: boolean;
  leverageFactor: number;
  countFactor: number;
  marginFactor: number;
}

/**
 * Effects of a score: Calm full; Elevated 66 % leverage, 75 % count; Fragile 50 % / 50 % with the
 * margin slice falling linearly from 1.0 at 60 to 0.5 at the top of the band (79.99…); Critical
 * blocks.
 */
export function bandEffects(score: number): BandEffects {
  const band = bandOf(score);
  switch (band) {
    case 'Calm':
      return { band, opensAllowed: true, leverageFactor: 1, countFactor: 1, marginFactor: 1 };
    case 'Elevated':
      return { band, opensAllowed: true, leverageFactor: 0.66, countFactor: 0.75, marginFactor: 1 };
    case 'Fragile': {
      const across = (Math.max(60, Math.min(80, score)) - BAND_FLOORS.Fragile) / (BAND_FLOORS.Critical - BAND_FLOORS.Fragile);
      return { band, opensAllowed: true, leverageFactor: 0.5, countFactor: 0.5, marginFactor: 1 - 0.5 * across };
    }
    case 'Critical':
      return { band, opensAllowed: false, leverageFactor: 0, countFactor: 0, marginFactor: 0 };
  }
}
