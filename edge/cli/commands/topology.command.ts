// `kraite topology`: prints the fleet topology as a table (or JSON), validates another file, and
// with --check verifies that this host has the egress addresses of the boxes it runs.
import { TopologyRouter } from '../../../core/fleet/lane-router.ts';
import type { Topology } from '../../../core/fleet/topology.schema.ts';
import { queuesForBox } from '../../../core/fleet/topology.ts';
import { checkEgress, missingEgress, type BoxEgress } from '../../fleet/egress-check.ts';
import { loadTopology, topologyPath } from '../../fleet/load-topology.ts';
import { defineCommand, UsageError } from '../command.ts';

const NONE = '—';

/** The human-readable table: one block per box, then each lane with its queue, total slots and candidates. */
export function topologyTable(topology: Topology, source: string): string[] {
  const nameWidth = Math.max(9, ...topology.boxes.map((b) => b.name.length + 1));
  const roleWidth = Math.max(11, ...topology.boxes.map((b) => b.roles.join('+').length + 1));
  const indent = `  ${''.padEnd(nameWidth)} ${''.padEnd(roleWidth)}`;
  const lines = [`topology ${topology.name} from ${source} (${topology.boxes.length} boxes, queue prefix ${topology.queuePrefix})`];
  for (const box of topology.boxes) {
    const queues = queuesForBox(topology, box.name).map((q) => `${q.lane}×${q.concurrency} → ${q.queue}`).join(', ') || NONE;
    const runs = [...box.daemons, ...(box.web ?? []).map((w) => `web:${w}`), ...(box.services ?? [])].join(', ') || NONE;
    const net = [box.privateAddress && `private ${box.privateAddress}`, box.egressIps?.length && `egress ${box.egressIps.join(', ')}`].filter(Boolean).join('; ');
    lines.push(`  ${box.name.padEnd(nameWidth)} ${box.roles.join('+').padEnd(roleWidth)} queues: ${queues}`);
    lines.push(`${indent} runs:   ${runs}`);
    if (net) lines.push(`${indent} net:    ${net}`);
  }
  const router = new TopologyRouter(topology);
  const lanes = [...new Set(topology.boxes.flatMap((b) => b.queues.map((q) => q.lane)))];
  const laneWidth = Math.max(...lanes.map((l) => l.length), 4) + 2;
  const queueWidth = Math.max(...lanes.map((l) => router.queueFor(l).length), 5) + 2;
  lines.push('', `  ${'lane'.padEnd(laneWidth)}${'queue'.padEnd(queueWidth)}slots  boxes`);
  for (const lane of lanes) {
    const slots = topology.boxes.flatMap((b) => b.queues).filter((q) => q.lane === lane).reduce((sum, q) => sum + q.concurrency, 0);
    lines.push(`  ${lane.padEnd(laneWidth)}${router.queueFor(lane).padEnd(queueWidth)}${String(slots).padStart(5)}  ${router.candidates(lane).join(', ')}`);
  }
  return lines;
}

/** One line per egress address: the box, the address, and whether this host has it. */
export function egressLines(results: readonly BoxEgress[]): string[] {
  const width = Math.max(9, ...results.map((r) => r.box.length + 1));
  const addressWidth = Math.max(16, ...results.flatMap((r) => r.probes.map((p) => p.address.length + 1)));
  return results.flatMap((r) => (r.probes.length === 0 ? [`  ${r.box.padEnd(width)} ${'(none)'.padEnd(addressWidth)} default route`]
    : r.probes.map((p) => `  ${r.box.padEnd(width)} ${p.address.padEnd(addressWidth)} ${p.ok ? 'ok' : `MISSING (${p.code})`}`)));
}

/** Prints boxes, roles, queues with concurrency, daemons; `--json` prints the validated topology; `--file` checks another file; `--check` the egress addresses. */
export const topologyCommand = defineCommand({
  name: 'topology',
  group: 'deploy',
  env: ['KRAITE_TOPOLOGY (optional)'],
  example: 'topology --check --box eos',
  flags: { json: 'print JSON instead of a table', file: 'validate and print this topology file instead', check: 'check this host has the egress addresses of its boxes', box: 'with --check: only this box (repeat for several)' },
  summary: 'print the fleet topology (boxes, roles, queues with concurrency, daemons); --json for machines, --file to validate another file, --check this host\'s egress addresses',
  usage: 'topology [--json] [--file PATH] [--check [--box NAME]...]   (default: $KRAITE_TOPOLOGY, else infra/topology.json)',
  options: { json: { type: 'boolean' }, file: { type: 'string' }, check: { type: 'boolean' }, box: { type: 'string', multiple: true } },
  async run({ values }, io) {
    const path = topologyPath(io.env, values.file as string | undefined);
    const topology = await loadTopology(path);
    const boxes = values.box as string[] | undefined;
    if (boxes && !values.check) throw new UsageError('topology: --box goes with --check');
    if (values.check) {
      const unknown = (boxes ?? []).filter((b) => !topology.boxes.some((x) => x.name === b));
      if (unknown.length > 0) throw new UsageError(`topology --check: no box ${unknown.join(', ')} in ${path} (boxes: ${topology.boxes.map((b) => b.name).join(', ')})`);
      const results = await checkEgress(topology, boxes);
      io.out(`egress addresses of ${boxes ? boxes.join(', ') : 'every box that lists any'} (topology ${topology.name} from ${path}) on this host:`);
      if (results.length === 0) io.out('  no box lists egress addresses: every box leaves from the default route');
      for (const line of egressLines(results)) io.out(line);
      const missing = missingEgress(results, topology.name);
      if (missing) {
        io.err(missing.message);
        return 1;
      }
      return 0;
    }
    if (values.json) io.out(JSON.stringify(topology, null, 2));
    else for (const line of topologyTable(topology, path)) io.out(line);
    return 0;
  },
});
