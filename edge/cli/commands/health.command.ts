// `kraite health --box NAME [--process DAEMON] [--live] [--local] [--timeout S]`: waits until the
// box's /health/ready (or /health/live) answers 200 — of its main process, or with --process of a
// daemon running as its own process there. systemd units run it after start; an operator by hand.
import { PROCESS_METRICS_OFFSETS, type ProcessDaemon } from '../../../core/fleet/topology.schema.ts';
import { probe, healthBase } from '../../metrics/probe-health.ts';
import { loadTopology } from '../../fleet/load-topology.ts';
import { loadConfig } from '../../runtime/config.ts';
import { defineCommand, intOption, UsageError } from '../command.ts';

/** Exit 0 once the box is healthy; 1 when the timeout passes first (the last answer is printed). */
export const healthCommand = defineCommand({
  name: 'health',
  group: 'deploy',
  env: ['KRAITE_TOPOLOGY (optional)', 'KRAITE_METRICS_PORT, KRAITE_METRICS_HOST (optional)'],
  example: 'health --box eos --live',
  flags: { box: 'the box whose metrics port to probe', process: `a daemon running as its own process on the box (${Object.keys(PROCESS_METRICS_OFFSETS).join(', ')})`, live: 'probe /health/live instead of /health/ready', local: 'probe 127.0.0.1 rather than the box\'s private address', timeout: 'give up after this many seconds' },
  summary: "wait until a box's /health/ready (--live: /health/live) answers 200; --local probes 127.0.0.1",
  usage: 'health --box NAME [--process DAEMON] [--live] [--local] [--timeout SECONDS]',
  options: { box: { type: 'string' }, process: { type: 'string' }, live: { type: 'boolean' }, local: { type: 'boolean' }, timeout: { type: 'string' } },
  async run({ values }, io) {
    if (!values.box) throw new UsageError('health needs --box NAME');
    const process = values.process === undefined ? undefined : String(values.process);
    if (process !== undefined && !(process in PROCESS_METRICS_OFFSETS)) throw new UsageError(`--process must be one of ${Object.keys(PROCESS_METRICS_OFFSETS).join(', ')}, got "${process}"`);
    const config = loadConfig(io.env);
    const topology = await loadTopology(config.KRAITE_TOPOLOGY);
    const base = config.KRAITE_METRICS_PORT !== undefined && values.local
      ? `http://127.0.0.1:${config.KRAITE_METRICS_PORT}`
      : healthBase(topology, String(values.box), Boolean(values.local), process as ProcessDaemon | undefined);
    const url = `${base}/health/${values.live ? 'live' : 'ready'}`;
    const deadline = Date.now() + intOption(values, 'timeout', 60) * 1000;
    for (;;) {
      const r = await probe(url);
      if (r.ok) {
        io.out(`health: ${values.box}${process ? ` ${process}` : ''} ${values.live ? 'live' : 'ready'} (${url})`);
        return 0;
      }
      if (Date.now() >= deadline) {
        io.err(`health: ${values.box}${process ? ` ${process}` : ''} not ${values.live ? 'live' : 'ready'} at ${url}: ${r.failing.join(', ') || `HTTP ${r.status}`}`);
        return 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  },
});
