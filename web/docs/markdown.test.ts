import { describe, expect, it } from 'vitest';
import { renderInline, renderMarkdown } from './markdown.ts';

describe('markdown', () => {
  it('renders headings with ids, paragraphs, lists, code, tables and quotes', () => {
    const { html, headings } = renderMarkdown('# Title\n\nSome *em* and **bold** `x<y`.\n\n- a\n- b\n\n1. one\n2. two\n\n```sh\nnpm start <x>\n```\n\n| a | b |\n|---|---|\n| 1 | `2` |\n\n> quoted\n\n## Title');
    expect(html).toContain('<h1 id="title">Title</h1>');
    expect(html).toContain('<h2 id="title-1">Title</h2>');
    expect(html).toContain('<p>Some <em>em</em> and <strong>bold</strong> <code>x&lt;y</code>.</p>');
    expect(html).toContain('<ul><li>a</li><li>b</li></ul>');
    expect(html).toContain('<ol><li>one</li><li>two</li></ol>');
    expect(html).toContain('<pre><code class="language-sh">npm start &lt;x&gt;</code></pre>');
    expect(html).toContain('<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td><code>2</code></td></tr></tbody></table>');
    expect(html).toContain('<blockquote><p>quoted</p></blockquote>');
    expect(headings.map((h) => h.id)).toEqual(['title', 'title-1']);
  });

  it('escapes HTML and refuses script links', () => {
    expect(renderInline('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(renderInline('[x](javascript:void)')).toBe('x');
    expect(renderInline('[x](data:text/html,hi)')).toBe('x');
    expect(renderInline('[x](servers.md#a)', '/docs')).toBe('<a href="/docs/servers#a">x</a>');
    expect(renderInline('[x](https://kraite.com/?a=1&b=2)')).toBe('<a href="https://kraite.com/?a=1&amp;b=2">x</a>');
  });
});
