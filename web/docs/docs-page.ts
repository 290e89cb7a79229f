// What the docs app serves: pages rendered at build time (web/docs/node/), as plain data, so
// neither a Markdown renderer nor a file system is needed where the site runs (Node or Workers).

/** One heading of a rendered page (for the table of contents). */
export interface Heading {
  level: number;
  text: string;
  id: string;
}

/** One rendered docs page, in navigation order within its section. */
export interface DocPage {
  slug: string;
  /** The sidebar group the page sits under ("Start here", "How it works", "Reference"). */
  section: string;
  title: string;
  html: string;
  headings: Heading[];
  /** The page's plain text, for search. */
  text: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A page's path on the site: `/` for the overview, `/<slug>` otherwise. */
export function pagePath(slug: string): string {
  return slug === 'index' ? '/' : `/${slug}`;
}
