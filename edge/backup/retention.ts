// Which backups to keep: the newest of each of the last N days and of each of the last M ISO
// weeks (UTC), plus always the newest one. Everything else is deleted. Pure, so it is unit-tested.

/** A backup as retention sees it. */
export interface DatedBackup {
  key: string;
  takenAt: number;
}

const DAY = 86_400_000;

// Monday 00:00 UTC of the week holding `t`: the ISO week's key.
function weekStart(t: number): number {
  const day = Math.floor(t / DAY);
  const weekday = (new Date(day * DAY).getUTCDay() + 6) % 7;
  return (day - weekday) * DAY;
}

/** Splits `backups` into those to keep and those to delete, as of `now`. */
export function retention(backups: readonly DatedBackup[], o: { now: number; keepDaily: number; keepWeekly: number }): { keep: DatedBackup[]; drop: DatedBackup[] } {
  const newestFirst = [...backups].sort((a, b) => b.takenAt - a.takenAt || (a.key < b.key ? 1 : -1));
  const keep = new Set<string>();
  if (newestFirst[0]) keep.add(newestFirst[0].key);
  const today = Math.floor(o.now / DAY);
  const thisWeek = weekStart(o.now);
  const daysSeen = new Set<number>();
  const weeksSeen = new Set<number>();
  for (const b of newestFirst) {
    const day = Math.floor(b.takenAt / DAY);
    if (today - day < o.keepDaily && !daysSeen.has(day)) {
      daysSeen.add(day);
      keep.add(b.key);
    }
    const week = weekStart(b.takenAt);
    if ((thisWeek - week) / (7 * DAY) < o.keepWeekly && !weeksSeen.has(week)) {
      weeksSeen.add(week);
      keep.add(b.key);
    }
  }
  return { keep: newestFirst.filter((b) => keep.has(b.key)), drop: newestFirst.filter((b) => !keep.has(b.key)) };
}
