// The docs as data: every page rendered once at start (title, HTML, headings, plain text for
// search) in navigation order, and the search over them.
import { escapeHtml, plainText, renderMarkdown, type Heading } from './markdown.ts';

/** One rendered docs page. */
export interface DocPage {
  slug: string;
  title: string;
  html: string;
  headings: Heading[];
  text: string;
}

/** The navigation order; pages not listed follow alphabetically. */
export const DOCS_ORDER = ['index', 'servers', 'subsystems', 'domains', 'lifecycles', 'operating'];

/** Renders every source; `base` prefixes page links (empty when the site owns its host). */
export function buildDocs(sources: Record<string, string>, base = ''): DocPage[] {
  const slugs = Object.keys(sources).sort((a, b) => {
    const ia = DOCS_ORDER.indexOf(a);
    const ib = DOCS_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  return slugs.map((slug) => {
    const source = sources[slug]!;
    const rendered = renderMarkdown(source, base);
    const title = rendered.headings.find((h) => h.level === 1)?.text ?? slug;
    return { slug, title, html: rendered.html, headings: rendered.headings, text: plainText(source) };
  });
}

/** One search hit: the page, where in it, and an escaped snippet with the match marked. */
export interface SearchHit {
  slug: string;
  title: string;
  score: number;
  snippet: string;
}

/** Pages matching every word of `query`, best first (title, then headings, then body). */
export function searchDocs(pages: DocPage[], query: string): SearchHit[] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w.length > 0).slice(0, 8);
  if (!words.length) return [];
  const hits: SearchHit[] = [];
  for (const p of pages) {
    const text = p.text.toLowerCase();
    if (!words.every((w) => text.includes(w) || p.title.toLowerCase().includes(w))) continue;
    let score = 0;
    for (const w of words) {
      if (p.title.toLowerCase().includes(w)) score += 10;
      score += 3 * p.headings.filter((h) => h.text.toLowerCase().includes(w)).length;
      score += Math.min(10, text.split(w).length - 1);
    }
    const at = Math.max(0, text.indexOf(words[0]!));
    const from = Math.max(0, at - 60);
    const raw = p.text.slice(from, at + 100);
    const snippet = escapeHtml(raw).replace(new RegExp(`(${words.map((w) => escapeHtml(w).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'gi'), '<mark>$1</mark>');
    hits.push({ slug: p.slug, title: p.title, score, snippet: `${from > 0 ? '…' : ''}${snippet}…` });
  }
  return hits.sort((a, b) => b.score - a.score || a.slug.localeCompare(b.slug));
}
