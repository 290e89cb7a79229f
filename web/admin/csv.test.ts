import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';

describe('toCsv (RFC 4180)', () => {
  it('quotes fields with commas, quotes and line breaks, doubles quotes, ends lines with CRLF', () => {
    expect(toCsv(['id', 'note'], [['1', 'plain'], ['2', 'a,b'], ['3', 'say "hi"'], ['4', 'two\nlines'], ['5', null], ['-6', '=1+1']]))
      .toBe('id,note\r\n1,plain\r\n2,"a,b"\r\n3,"say ""hi"""\r\n4,"two\nlines"\r\n5,\r\n-6,=1+1\r\n');
  });
  it('writes just the header for no rows', () => {
    expect(toCsv(['a'], [])).toBe('a\r\n');
  });
});
