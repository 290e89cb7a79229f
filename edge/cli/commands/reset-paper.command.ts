// `kraite reset-paper --yes`: the embedded fleet (npm start) starts over — its kept store, paper
// venue and credentials key in KRAITE_DATA_DIR are deleted. Refused while a fleet runs there.
import { resolve } from 'node:path';
import { readControlFile } from '../../runtime/control-file.ts';
import { loadConfig } from '../../runtime/config.ts';
import { deletePaperState, lockHolder, processAlive } from '../../runtime/data-dir.ts';
import { defineCommand, UsageError } from '../command.ts';

/** Deletes the embedded state after --yes; exit 1 while the fleet runs. */
export const resetPaperCommand = defineCommand({
  name: 'reset-paper',
  group: 'operate',
  env: ['KRAITE_DATA_DIR (optional: .kraite in the working directory)'],
  example: 'reset-paper --yes',
  flags: { yes: 'really delete: every paper position, order, fill and setting of the embedded fleet' },
  summary: 'start paper trading over: delete the embedded fleet\'s kept state in KRAITE_DATA_DIR (stop npm start first)',
  usage: 'reset-paper --yes',
  options: { yes: { type: 'boolean' } },
  async run({ values }, io) {
    const dir = resolve(loadConfig(io.env).KRAITE_DATA_DIR);
    // The control file names the running fleet; the lock covers one still starting (before its endpoint is up).
    const control = await readControlFile(dir);
    const running = control && processAlive(control.pid) ? control.pid : lockHolder(dir);
    if (running !== null) {
      io.err(`reset-paper: the embedded fleet (pid ${running}) is running on ${dir}: stop it first (Ctrl-C in its terminal, or kill ${running})`);
      return 1;
    }
    if (!values.yes) throw new UsageError(`reset-paper deletes every paper position, order, fill and setting kept in ${dir}: run kraite reset-paper --yes`);
    const removed = deletePaperState(dir);
    io.out(removed.length
      ? `reset-paper: deleted ${removed.sort().join(', ')} from ${dir}; the next npm start begins afresh`
      : `reset-paper: nothing kept in ${dir}; the next npm start begins afresh`);
    return 0;
  },
});
