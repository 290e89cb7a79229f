// A small Markdown renderer for the project's own docs (docs/*.md): headings (with ids), paragraphs,
// bullet and numbered lists, fenced code, tables, blockquotes, rules, and inline code, bold,
// italics and links. Everything is escaped first; only the markup produced here is HTML. Runs on
// any runtime (no dependency), so the Workers build renders the same pages as Node.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A heading's id: lower-case words joined by `-`. */
export function slugify(text: string): string {
  return text.toLowerCase().replace(/[`*_]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Links may point at pages, anchors or http(s) only (no javascript: or data: URLs). */
function safeHref(href: string): string | null {
  return /^(https?:\/\/|\/|#|\.\/|[a-z0-9-]+(\.md)?(#[\w-]*)?$)/i.test(href) && !/^\s*(javascript|data|vbscript):/i.test(href) ? href : null;
}

/** Renders inline markup of one already-unescaped line: `code`, **bold**, *em*, [text](href). */
export function renderInline(text: string, linkBase = ''): string {
  const codes: string[] = [];
  // Code spans first, so their contents are never read as markup.
  let out = text.replace(/`([^`]+)`/g, (_, code: string) => `\uE000${codes.push(code) - 1}\uE000`);
  out = escapeHtml(out);
  out = out.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label: string, href: string) => {
    const raw = href.replace(/&amp;/g, '&');
    const safe = safeHref(raw);
    if (!safe) return label;
    // docs-relative links (`servers.md#x`) become site paths.
    const target = /^[a-z0-9-]+\.md(#[\w-]*)?$/i.test(safe) ? `${linkBase}/${safe.replace(/\.md/, '')}` : safe;
    return `<a href="${escapeHtml(target)}">${label}</a>`;
  });
  out = out.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>').replace(/(^|[\s(])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>');
  return out.replace(/\uE000(\d+)\uE000/g, (_, i: string) => `<code>${escapeHtml(codes[Number(i)]!)}</code>`);
}

/** One heading of a rendered page (for the table of contents). */
export interface Heading {
  level: number;
  text: string;
  id: string;
}

/** Rendered HTML and its headings. */
export interface Rendered {
  html: string;
  headings: Heading[];
}

function tableRow(line: string): string[] {
  return line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
}

/** Renders a Markdown document. */
export function renderMarkdown(source: string, linkBase = ''): Rendered {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  const headings: Heading[] = [];
  const used = new Map<string, number>();
  let i = 0;
  const isBlockStart = (l: string) => /^(#{1,6}\s|```|\s*[-*]\s|\s*\d+\.\s|>|\||---\s*$)/.test(l);
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      i++;
    } else if (line.startsWith('```')) {
      const lang = line.slice(3).trim();
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) body.push(lines[i]!);
      i++;
      out.push(`<pre><code${lang ? ` class="language-${escapeHtml(lang)}"` : ''}>${escapeHtml(body.join('\n'))}</code></pre>`);
    } else if (/^#{1,6}\s/.test(line)) {
      const level = /^#+/.exec(line)![0].length;
      const text = line.slice(level).trim();
      const base = slugify(text) || 'section';
      const n = used.get(base) ?? 0;
      used.set(base, n + 1);
      const id = n ? `${base}-${n}` : base;
      headings.push({ level, text: text.replace(/[`*]/g, ''), id });
      out.push(`<h${level} id="${id}">${renderInline(text, linkBase)}</h${level}>`);
      i++;
    } else if (/^---\s*$/.test(line)) {
      out.push('<hr>');
      i++;
    } else if (line.startsWith('|') && i + 1 < lines.length && /^\|?\s*:?-{3,}/.test(lines[i + 1]!)) {
      const head = tableRow(line);
      const rows: string[][] = [];
      for (i += 2; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(tableRow(lines[i]!));
      out.push(`<table><thead><tr>${head.map((h) => `<th>${renderInline(h, linkBase)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${renderInline(c, linkBase)}</td>`).join('')}</tr>`).join('')}</tbody></table>`);
    } else if (line.startsWith('>')) {
      const body: string[] = [];
      for (; i < lines.length && lines[i]!.startsWith('>'); i++) body.push(lines[i]!.replace(/^>\s?/, ''));
      out.push(`<blockquote>${renderMarkdown(body.join('\n'), linkBase).html}</blockquote>`);
    } else if (/^\s*([-*]|\d+\.)\s/.test(line)) {
      const ordered = /^\s*\d+\.\s/.test(line);
      const items: string[] = [];
      for (; i < lines.length && (/^\s*([-*]|\d+\.)\s/.test(lines[i]!) || (/^\s{2,}\S/.test(lines[i]!) && items.length)); i++) {
        const l = lines[i]!;
        if (/^\s*([-*]|\d+\.)\s/.test(l)) items.push(l.replace(/^\s*([-*]|\d+\.)\s+/, ''));
        else items[items.length - 1] += ` ${l.trim()}`;
      }
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}>${items.map((it) => `<li>${renderInline(it, linkBase)}</li>`).join('')}</${tag}>`);
    } else {
      const para: string[] = [];
      for (; i < lines.length && lines[i]!.trim() && !isBlockStart(lines[i]!); i++) para.push(lines[i]!.trim());
      if (!para.length) {
        // A line that looked like a block start but was not one (e.g. a lone `|`): keep it as text.
        para.push(lines[i]!.trim());
        i++;
      }
      out.push(`<p>${renderInline(para.join(' '), linkBase)}</p>`);
    }
  }
  return { html: out.join('\n'), headings };
}

/** Markdown reduced to plain words (for the search index). */
export function plainText(source: string): string {
  return source.replace(/```[\s\S]*?```/g, ' ').replace(/\[([^\]]+)\]\([^)]*\)/g, '$1').replace(/[#*`>|_-]+/g, ' ').replace(/\s+/g, ' ').trim();
}
