// A cadence is an interval aligned to the UTC epoch plus an offset: "every 5 min", "hourly at :30",
// "daily at 03:10". Enough for every row of the scheduler table, and trivially testable with an
// injected clock (no cron parser, no time zones: the fleet runs in UTC).

/** How often an entry fires: at every `offsetMs + k × everyMs` since the epoch. */
export interface Cadence {
  everyMs: number;
  offsetMs?: number;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Every `minutes` minutes, on the minute. */
export const everyMinutes = (minutes: number, offsetMs = 0): Cadence => ({ everyMs: minutes * MINUTE, offsetMs });
/** Every `hours` hours, at minute `atMinute` past. */
export const everyHours = (hours: number, atMinute = 0): Cadence => ({ everyMs: hours * HOUR, offsetMs: atMinute * MINUTE });
/** Once a day at `hh:mm` UTC. */
export const daily = (hour: number, minute = 0): Cadence => ({ everyMs: DAY, offsetMs: hour * HOUR + minute * MINUTE });

/** The first slot strictly after `t`. */
export function nextSlotAfter(cadence: Cadence, t: number): number {
  const offset = cadence.offsetMs ?? 0;
  return Math.floor((t - offset) / cadence.everyMs) * cadence.everyMs + offset + cadence.everyMs;
}

/** The latest slot at or before `t`. */
export function slotAtOrBefore(cadence: Cadence, t: number): number {
  const offset = cadence.offsetMs ?? 0;
  return Math.floor((t - offset) / cadence.everyMs) * cadence.everyMs + offset;
}

/** "every 5 min", "hourly at :30", "daily at 03:10", "every 4 h at :00". */
export function describeCadence(cadence: Cadence): string {
  const offset = cadence.offsetMs ?? 0;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (cadence.everyMs === DAY) return `daily at ${pad(Math.floor(offset / HOUR))}:${pad(Math.floor((offset % HOUR) / MINUTE))} UTC`;
  if (cadence.everyMs % HOUR === 0) {
    const hours = cadence.everyMs / HOUR;
    return `${hours === 1 ? 'hourly' : `every ${hours} h`} at :${pad(Math.floor((offset % HOUR) / MINUTE))}`;
  }
  if (cadence.everyMs % MINUTE === 0) return `every ${cadence.everyMs / MINUTE} min${offset ? ` (+${offset / 1000} s)` : ''}`;
  return `every ${cadence.everyMs / 1000} s`;
}
