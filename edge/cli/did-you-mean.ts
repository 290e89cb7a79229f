// "Did you mean …?" for a mistyped command or flag: the nearest names by edit distance, plus every
// name the typed word is a whole part of (`kraite accounts` → accounts:add, accounts:list, …).

/** Levenshtein distance between two short strings. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/** The known names closest to `typed`, best first (at most `max`); empty when nothing is close. */
export function suggestions(typed: string, known: readonly string[], max = 3): string[] {
  const word = typed.toLowerCase();
  const parts = (name: string) => name.split(/[:-]/);
  const scored = known.map((name) => {
    const d = editDistance(word, name);
    // A whole part of the name ("accounts" in accounts:list) is as good as one typo.
    const part = parts(name).includes(word) || name.startsWith(word) ? 1 : Infinity;
    return { name, score: Math.min(d, part) };
  });
  const limit = Math.max(2, Math.floor(word.length / 3));
  return scored.filter((s) => s.score <= limit).sort((a, b) => a.score - b.score || a.name.localeCompare(b.name)).slice(0, max).map((s) => s.name);
}

/** ` (did you mean X or Y?)`, or '' when nothing is close; `prefix` is shown before each name (`--`). */
export function didYouMean(typed: string, known: readonly string[], prefix = ''): string {
  const near = suggestions(typed, known).map((n) => `${prefix}${n}`);
  if (near.length === 0) return '';
  return ` (did you mean ${near.length === 1 ? near[0] : `${near.slice(0, -1).join(', ')} or ${near.at(-1)}`}?)`;
}
