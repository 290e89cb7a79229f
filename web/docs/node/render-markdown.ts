// Markdown to HTML for the docs pages, at build time (npm run docs:build), with marked (CommonMark
// and GitHub tables): nothing of it ships in the docs app, which serves the pages already rendered.
// On top of marked: heading ids for anchors, docs-relative links as site paths, screenshots as site
// paths, raw HTML shown as text and script links refused (the docs are ours, but the guarantee is
// cheap), and the plain text the search reads.
import { Marked, type Tokens } from 'marked';
import { escapeHtml, type Heading } from '../docs-page.ts';

/** A rendered page: its HTML, headings (for the table of contents) and plain text (for search). */
export interface RenderedMarkdown {
  html: string;
  headings: Heading[];
  text: string;
}

/** A heading's id: lower-case words joined by `-`. */
export function slugify(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Links may point at pages, anchors or http(s) only (no javascript: or data: URLs). */
function safeHref(href: string): string | null {
  return /^(https?:\/\/|\/|#|[a-z0-9-]+\.md(#[\w-]*)?$)/i.test(href) ? href : null;
}

/** `servers.md#x` → `<base>/servers#x`; anything else as given. */
function sitePath(href: string, base: string): string {
  return /^[a-z0-9-]+\.md(#[\w-]*)?$/i.test(href) ? `${base}/${href.replace(/\.md/, '')}` : href;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/** The text of rendered HTML: inline tags dropped, block tags made spaces, entities decoded, white space collapsed. */
export function htmlText(html: string): string {
  return html.replace(/<\/?(a|code|strong|em|del|img)\b[^>]*>/g, '').replace(/<[^>]+>/g, ' ').replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e]!).replace(/\s+/g, ' ').trim();
}

/** Renders one page; `base` prefixes page links and images (empty when the site owns its host). */
export function renderMarkdown(source: string, base = ''): RenderedMarkdown {
  const headings: Heading[] = [];
  const used = new Map<string, number>();
  const marked = new Marked({ gfm: true, async: false });
  marked.use({
    renderer: {
      heading({ tokens, depth }: Tokens.Heading) {
        const inner = this.parser.parseInline(tokens);
        const text = htmlText(inner);
        const slug = slugify(text) || 'section';
        const n = used.get(slug) ?? 0;
        used.set(slug, n + 1);
        const id = n ? `${slug}-${n}` : slug;
        headings.push({ level: depth, text, id });
        return `<h${depth} id="${id}">${inner}</h${depth}>\n`;
      },
      link({ href, title, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens);
        const safe = safeHref(href);
        if (!safe) return inner;
        return `<a href="${escapeHtml(sitePath(safe, base))}"${title ? ` title="${escapeHtml(title)}"` : ''}>${inner}</a>`;
      },
      image({ href, text }: Tokens.Image) {
        // Screenshots live in docs/screenshots/ and are served at /screenshots/ (docs-images.generated.ts).
        const shot = /^(?:\.\/)?screenshots\/([a-z0-9-]+\.png)$/.exec(href);
        if (!shot) return escapeHtml(text);
        return `<img src="${escapeHtml(`${base}/screenshots/${shot[1]!}`)}" alt="${escapeHtml(text)}" loading="lazy">`;
      },
      html({ text }: Tokens.HTML | Tokens.Tag) {
        // A comment (the generated pages' "do not edit" note) is for the source only.
        return /^\s*<!--[\s\S]*-->\s*$/.test(text) ? '' : escapeHtml(text);
      },
    },
  });
  const html = marked.parse(source) as string;
  return { html, headings, text: htmlText(html) };
}
