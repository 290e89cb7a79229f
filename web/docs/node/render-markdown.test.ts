import { describe, expect, it } from 'vitest';
import { htmlText, renderMarkdown } from './render-markdown.ts';

describe('rendering the docs Markdown with marked', () => {
  it('renders headings with unique ids for the table of contents', () => {
    const { html, headings } = renderMarkdown('# Title\n\n## The `run` command\n\n## Title\n');
    expect(html).toContain('<h1 id="title">Title</h1>');
    expect(html).toContain('<h2 id="the-run-command">The <code>run</code> command</h2>');
    expect(html).toContain('<h2 id="title-1">Title</h2>');
    expect(headings).toEqual([{ level: 1, text: 'Title', id: 'title' }, { level: 2, text: 'The run command', id: 'the-run-command' }, { level: 2, text: 'Title', id: 'title-1' }]);
  });

  it('gets right what the hand-written renderer got wrong: nested lists, \\| in cells, _em_ and indented code', () => {
    const { html } = renderMarkdown([
      '- outer', '  - inner one', '  - inner two', '- second', '',
      '| flag | meaning |', '|---|---|', '| `a \\| b` | either \\| or |', '',
      'Some _emphasis_ and snake_case_word stay apart.', '',
      '    indented <code>', '    second line', '',
    ].join('\n'));
    expect(html).toMatch(/<ul>\s*<li>outer<ul>\s*<li>inner one<\/li>\s*<li>inner two<\/li>\s*<\/ul>\s*<\/li>\s*<li>second<\/li>\s*<\/ul>/);
    expect(html).toContain('<td><code>a | b</code></td>');
    expect(html).toContain('<td>either | or</td>');
    expect(html).toContain('<em>emphasis</em>');
    expect(html).toContain('snake_case_word');
    expect(html).toContain('<pre><code>indented &lt;code&gt;\nsecond line\n</code></pre>');
  });

  it('shows raw HTML as text and refuses script links', () => {
    const { html } = renderMarkdown('<script>alert(1)</script>\n\nA <b>tag</b>, [x](javascript:alert(1)), [y](data:text/html,hi) and [z](https://kraite.com/?a=1&b=2).');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/href="(javascript|data):/);
    expect(html).toContain('<a href="https://kraite.com/?a=1&amp;b=2">z</a>');
    expect(renderMarkdown('# T\n\n<!-- Generated: do not edit. -->\n\nText.').html).toBe('<h1 id="t">T</h1>\n<p>Text.</p>\n');
  });

  it('turns docs links and screenshots into site paths', () => {
    const { html } = renderMarkdown('[servers](servers.md#boxes) ![the console](screenshots/console-home.png) ![elsewhere](https://x.test/a.png)', '/docs');
    expect(html).toContain('<a href="/docs/servers#boxes">servers</a>');
    expect(html).toContain('<img src="/docs/screenshots/console-home.png" alt="the console" loading="lazy">');
    expect(html).not.toContain('x.test');
  });

  it('gives search the page text with its joiners kept and its markup gone', () => {
    const { text } = renderMarkdown('# Stop-loss\n\nSet `KRAITE_PORT` &amp; run **deploy:cooldown**.\n\n```sh\nkraite take_profit\n```');
    expect(text).toBe('Stop-loss Set KRAITE_PORT & run deploy:cooldown. kraite take_profit');
    expect(htmlText('<p>a &lt;b&gt; &quot;c&quot; &#39;d&#39;</p>')).toBe('a <b> "c" \'d\'');
  });
});
