// `kraite deploy:units [--out DIR]`: renders the systemd units per box, redis.conf, the MySQL config and the monitoring
// (Prometheus scrape config, alert rules, Grafana dashboards) from the topology (default: into infra/; --check fails on drift).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderInfra } from '../../../infra/units/render-all.ts';
import { loadTopology } from '../../fleet/load-topology.ts';
import { loadConfig } from '../../runtime/config.ts';
import { defineCommand, intOption } from '../command.ts';

const INFRA = fileURLToPath(new URL('../../../infra/', import.meta.url));

/** Writes (or checks) the generated infrastructure files. */
export const deployUnitsCommand = defineCommand({
  name: 'deploy:units',
  group: 'deploy',
  env: ['KRAITE_TOPOLOGY (optional)'],
  example: 'deploy:units --check',
  flags: { out: 'write the files under this directory (default: infra/)', check: 'write nothing; fail when the shipped files differ from the topology', 'longest-job-seconds': 'the longest step a worker may be finishing when stopped (sets TimeoutStopSec)' },
  summary: 'render systemd units per box, redis.conf, the MySQL config and the monitoring (Prometheus scrape config, alert rules, Grafana dashboards) from the topology (--check: fail when the shipped files drifted)',
  usage: 'deploy:units [--out DIR] [--check] [--longest-job-seconds N]',
  options: { out: { type: 'string' }, check: { type: 'boolean' }, 'longest-job-seconds': { type: 'string' } },
  async run({ values }, io) {
    const config = loadConfig(io.env);
    const topology = await loadTopology(config.KRAITE_TOPOLOGY);
    const out = String(values.out ?? INFRA);
    const files = renderInfra(topology, { longestJobSec: intOption(values, 'longest-job-seconds', 300, 1) });
    let drift = 0;
    for (const f of files) {
      const path = join(out, f.path);
      if (values.check) {
        const current = await readFile(path, 'utf8').catch(() => null);
        if (current !== f.content) {
          drift += 1;
          io.err(`deploy:units: ${path} is ${current === null ? 'missing' : 'out of date'}`);
        }
        continue;
      }
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, f.content);
      io.out(`wrote ${path}`);
    }
    if (values.check) {
      if (drift) return 1;
      io.out(`deploy:units: ${files.length} files up to date`);
    }
    return 0;
  },
});
