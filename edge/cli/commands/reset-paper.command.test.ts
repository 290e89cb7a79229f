import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { controlFilePath } from '../../runtime/control-file.ts';
import { dataDirFiles } from '../../runtime/data-dir.ts';
import { openPaperState } from '../../runtime/paper-state.ts';
import { main } from '../main.ts';

async function cli(argv: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('kraite reset-paper', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('wants --yes, refuses while the fleet runs, then deletes the kept state and nothing else', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kraite-data-'));
    dirs.push(dataDir);
    const env = { KRAITE_DATA_DIR: dataDir };
    const state = await openPaperState({ dataDir });
    await state.store.transaction((tx) => tx.insertRow('accounts', { id: 1, name: 'paper' }));
    // Running (this process holds the lock, as a fleet still starting does): refused, even with --yes.
    expect(await cli(['reset-paper', '--yes'], env)).toMatchObject({ code: 1, err: expect.stringContaining(`the embedded fleet (pid ${process.pid}) is running on ${dataDir}`) });
    await state.close();
    // A control file naming a live fleet refuses too; one a killed fleet left does not.
    writeFileSync(controlFilePath(dataDir), JSON.stringify({ url: 'http://127.0.0.1:9', token: 't', pid: process.pid }));
    expect((await cli(['reset-paper', '--yes'], env)).code).toBe(1);
    writeFileSync(controlFilePath(dataDir), JSON.stringify({ url: 'http://127.0.0.1:9', token: 't', pid: 2147483646 }));
    writeFileSync(join(dataDir, 'notes.txt'), 'mine');

    expect(await cli(['reset-paper'], env)).toMatchObject({ code: 2, err: expect.stringContaining('run kraite reset-paper --yes') });
    expect(existsSync(dataDirFiles(dataDir).snapshot)).toBe(true);
    const reset = await cli(['reset-paper', '--yes'], env);
    expect(reset).toMatchObject({ code: 0, out: expect.stringMatching(/^reset-paper: deleted control\.json, credentials\.key, paper-journal-\d+\.log, paper-snapshot\.json from /) });
    expect(readdirSync(dataDir)).toEqual(['notes.txt']);
    const fresh = await openPaperState({ dataDir });
    expect(fresh.loaded.snapshot).toBe(false);
    expect(await fresh.store.findRows('accounts', {})).toEqual([]);
    await fresh.close();
    expect((await cli(['reset-paper', '--yes'], { KRAITE_DATA_DIR: join(dataDir, 'none') })).out).toContain('nothing kept in');
  });
});
