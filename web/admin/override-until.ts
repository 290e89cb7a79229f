// The override form's `until`: an ISO time (UTC when it names no zone, as every admin page shows
// UTC) or a duration from now like 90m, 6h, 2d — the same two forms `kraite regime:override` takes.

const RELATIVE = /^(\d{1,6})(m|h|d)$/;
const UNIT = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The epoch-ms time `raw` names at `now`, or null when it is neither form. */
export function parseUntil(raw: string, now: number): number | null {
  const text = raw.trim();
  const rel = RELATIVE.exec(text);
  if (rel) return now + Number(rel[1]) * UNIT[rel[2] as keyof typeof UNIT];
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return null;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
  const t = Date.parse(zoned);
  return Number.isFinite(t) ? t : null;
}
