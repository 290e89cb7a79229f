import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { frame, JournalFile } from './journal-file.ts';

describe('journal file', () => {
  const dirs: string[] = [];
  const path = () => {
    const dir = mkdtempSync(join(tmpdir(), 'kraite-journal-'));
    dirs.push(dir);
    return join(dir, 'j.log');
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('reads back what was appended, in order, after a sync and a reopen', async () => {
    const file = path();
    const { journal, contents } = JournalFile.open(file);
    expect(contents).toEqual({ records: [], droppedBytes: 0 });
    journal.append({ n: 1, text: 'Ⓢ ünïcode' });
    journal.append({ n: 2 });
    await journal.sync();
    await journal.close();
    expect(JournalFile.open(file).contents).toEqual({ records: [{ n: 1, text: 'Ⓢ ünïcode' }, { n: 2 }], droppedBytes: 0 });
  });

  it.each([
    ['a frame cut inside its payload', (file: string, whole: number) => truncateSync(file, whole + 11)],
    ['a frame cut inside its header', (file: string, whole: number) => truncateSync(file, whole + 3)],
    ['a frame whose checksum does not match', (file: string, whole: number) => {
      truncateSync(file, whole);
      const bad = frame({ n: 3 });
      bad[bad.length - 2]! ^= 0xff;
      appendFileSync(file, bad);
    }],
    ['a length beyond the file', (file: string, whole: number) => {
      truncateSync(file, whole);
      appendFileSync(file, Buffer.from([0xff, 0xff, 0x00, 0x00, 1, 2, 3, 4, 5]));
    }],
  ])('drops a torn tail — %s — keeps every whole record, and appends after them', async (_name, tear) => {
    const file = path();
    const { journal } = JournalFile.open(file);
    journal.append({ n: 1 });
    journal.append({ n: 2 });
    const whole = journal.size;
    journal.append({ n: 3, padding: 'x'.repeat(40) });
    await journal.close();
    tear(file, whole);
    const torn = statSync(file).size;
    expect(JournalFile.read(file)).toEqual({ records: [{ n: 1 }, { n: 2 }], droppedBytes: torn - whole });
    const reopened = JournalFile.open(file);
    expect(reopened.contents).toEqual({ records: [{ n: 1 }, { n: 2 }], droppedBytes: torn - whole });
    // Cut back to the last whole frame, so the next record follows it and reads back.
    expect(statSync(file).size).toBe(whole);
    reopened.journal.append({ n: 4 });
    await reopened.journal.close();
    expect(JournalFile.read(file).records).toEqual([{ n: 1 }, { n: 2 }, { n: 4 }]);
    expect(readFileSync(file).length).toBe(whole + frame({ n: 4 }).length);
  });
});
