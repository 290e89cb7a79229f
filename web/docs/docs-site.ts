// The docs search: over the pages rendered at build time, matching every typed word in the title,
// headings and text, best first, with an escaped snippet.
import { escapeHtml, type DocPage } from './docs-page.ts';

/** One search hit: the page, where in it, and an escaped snippet with the match marked. */
export interface SearchHit {
  slug: string;
  title: string;
  score: number;
  snippet: string;
}

/** Characters that join the parts of a term: `stop-loss`, `take_profit`, `KRAITE_PORT`, `deploy:cooldown`. */
const JOINERS = '[\\s_:\\-]+';

/**
 * A typed word as a pattern: its parts joined by any run of spaces, hyphens, underscores or colons,
 * so `stop-loss`, `stop_loss` and `stop loss` find the same places (the page text keeps none of
 * those joiners as typed: markdown's `_` and `-` become spaces there).
 */
export function termPattern(word: string): RegExp {
  const parts = word.split(/[\s_:-]+/).filter(Boolean).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(parts.join(JOINERS), 'gi');
}

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

/** Pages matching every word of `query`, best first (title, then headings, then body). */
export function searchDocs(pages: DocPage[], query: string): SearchHit[] {
  const words = query.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).slice(0, 8);
  if (!words.length) return [];
  const patterns = words.map(termPattern);
  const hits: SearchHit[] = [];
  for (const p of pages) {
    if (!patterns.every((re) => count(p.text, re) > 0 || count(p.title, re) > 0)) continue;
    let score = 0;
    for (const re of patterns) {
      if (count(p.title, re) > 0) score += 10;
      score += 3 * p.headings.filter((h) => count(h.text, re) > 0).length;
      score += Math.min(10, count(p.text, re));
    }
    const first = new RegExp(patterns[0]!.source, 'i').exec(p.text);
    const at = first?.index ?? 0;
    const from = Math.max(0, at - 60);
    const raw = p.text.slice(from, at + 100);
    const marks = new RegExp(patterns.map((re) => re.source).join('|'), 'gi');
    const snippet = markMatches(raw, marks);
    hits.push({ slug: p.slug, title: p.title, score, snippet: `${from > 0 ? '…' : ''}${snippet}…` });
  }
  return hits.sort((a, b) => b.score - a.score || a.slug.localeCompare(b.slug));
}

/** Escapes `raw` and wraps each match of `marks` in <mark>, matching on the unescaped text. */
function markMatches(raw: string, marks: RegExp): string {
  let out = '';
  let last = 0;
  for (const m of raw.matchAll(marks)) {
    if (m[0].length === 0) continue;
    out += `${escapeHtml(raw.slice(last, m.index))}<mark>${escapeHtml(m[0])}</mark>`;
    last = m.index + m[0].length;
  }
  return out + escapeHtml(raw.slice(last));
}
