// `kraite bench <name>`: runs a benchmark and prints its figures.
import { benchmarks } from '../../bench/index.ts';
import { defineCommand, UsageError } from '../command.ts';

/** Runs one named benchmark. */
export const benchCommand = defineCommand({
  name: 'bench',
  group: 'develop',
  env: [],
  example: 'bench --list',
  flags: { list: 'list the benchmarks and what each measures' },
  summary: 'run a benchmark and print its figures (kraite bench --list)',
  usage: `bench <${Object.keys(benchmarks).join('|')}> [benchmark options] | bench --list`,
  options: { list: { type: 'boolean' } },
  positionals: true,
  passRest: true,
  async run({ values, positionals }, io) {
    if (values.list) {
      for (const [name, b] of Object.entries(benchmarks)) io.out(`${name}  ${b.summary}`);
      return 0;
    }
    const [name, ...rest] = positionals;
    if (!name) throw new UsageError(`bench needs a name: one of ${Object.keys(benchmarks).join(', ')}`);
    const entry = benchmarks[name];
    if (!entry) throw new UsageError(`unknown benchmark "${name}" (one of ${Object.keys(benchmarks).join(', ')})`);
    return (await entry.load()).run(io, rest);
  },
});
