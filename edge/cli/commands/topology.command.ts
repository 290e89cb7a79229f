// `kraite topology`: prints the fleet topology (or validates another file).
import { queuesForBox } from '../../../core/fleet/topology.ts';
import { loadTopology } from '../../fleet/load-topology.ts';
import { defineCommand } from '../command.ts';

/** Prints boxes, roles, queues and daemons; `--json` for machines. */
export const topologyCommand = defineCommand({
  name: 'topology',
  summary: 'print the fleet topology (boxes, roles, queues with concurrency, daemons); --json for machines',
  usage: 'topology [--json] [--file PATH]',
  options: { json: { type: 'boolean' }, file: { type: 'string' } },
  async run({ values }, io) {
    const topology = await loadTopology((values.file as string | undefined) ?? io.env.KRAITE_TOPOLOGY ?? undefined);
    if (values.json) {
      io.out(JSON.stringify(topology, null, 2));
      return 0;
    }
    io.out(`topology ${topology.name} (queue prefix ${topology.queuePrefix})`);
    for (const box of topology.boxes) {
      const queues = queuesForBox(topology, box.name).map((q) => `${q.lane}×${q.concurrency} → ${q.queue}`).join(', ') || '—';
      const extras = [...box.daemons, ...(box.web ?? []).map((w) => `web:${w}`), ...(box.services ?? [])].join(', ') || '—';
      io.out(`  ${box.name.padEnd(9)} ${box.roles.join('+').padEnd(11)} queues: ${queues}`);
      io.out(`  ${''.padEnd(9)} ${''.padEnd(11)} runs:   ${extras}`);
    }
    return 0;
  },
});
