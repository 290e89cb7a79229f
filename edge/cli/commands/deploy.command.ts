// `kraite deploy:cooldown` and `kraite deploy:warmup`: the deploy choreography around a release.
// Cooldown pauses the scheduler's step producers and waits until every physical queue of the
// topology has no ready or reserved job; warmup waits for the workers, then the daemons, to beat
// again, and clears the cooldown last so the scheduler resumes after everything else.
import { hostname, userInfo } from 'node:os';
import { ValidationError } from '../../../core/errors.ts';
import { findBox } from '../../../core/fleet/topology.ts';
import { loadBackupConfig, backupRequested } from '../../backup/backup-config.ts';
import { s3Store } from '../../backup/s3-store.ts';
import { takeBackup } from '../../backup/take-backup.ts';
import { openBullMqQueue } from '../../adapters/bullmq/open-bullmq-queue.ts';
import { physicalQueues, waitForDrain } from '../../deploy/drain.ts';
import { warmup, warmupPhases } from '../../deploy/warmup.ts';
import { healthBase, probe } from '../../metrics/probe-health.ts';
import { ownProcessDaemons } from '../../../infra/units/render-units.ts';
import { loadTopology } from '../../fleet/load-topology.ts';
import { loadConfig } from '../../runtime/config.ts';
import { openEdgeState } from '../../scheduler/edge-services.ts';
import { defineCommand, intOption, type CliIo } from '../command.ts';

function fleetConfig(io: CliIo) {
  const config = loadConfig(io.env);
  if (!config.REDIS_URL) {
    throw new ValidationError('deploy commands coordinate a fleet through Redis: set REDIS_URL (an embedded `npm start` process needs no cooldown: stop it)', 'NO_REDIS');
  }
  return { ...config, REDIS_URL: config.REDIS_URL };
}

const operator = () => {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return hostname();
  }
};

// Takes the "deploy" backup; false (after saying why) when it failed: the cooldown stays on.
async function preDeployBackup(io: CliIo): Promise<boolean> {
  try {
    const config = loadBackupConfig(io.env);
    const done = await takeBackup({ config, store: s3Store(config), reason: 'deploy' });
    io.out(`deploy:cooldown: pre-deploy backup ${done.key} (${(done.bytes / 1_048_576).toFixed(2)} MB, ${(done.tookMs / 1000).toFixed(1)} s)`);
    return true;
  } catch (error) {
    io.err(`deploy:cooldown: the pre-deploy backup failed: ${(error as Error).message}`);
    io.err('deploy:cooldown: the cooldown stays on: fix the backup and run deploy:cooldown again, or pass --skip-backup');
    return false;
  }
}

/** Starts a deploy cooldown and waits for the queues to drain. Exit 0 drained, 1 timed out (cooldown stays on). */
export const deployCooldownCommand = defineCommand({
  name: 'deploy:cooldown',
  group: 'deploy',
  env: ['REDIS_URL', 'KRAITE_TOPOLOGY (optional)'],
  example: 'deploy:cooldown --timeout 600 --reason "release 1.4"',
  flags: { timeout: 'give up after this many seconds (default 300)', reason: 'why, shown in kraite schedule and the admin', 'poll-ms': 'how often to look at the queues, in milliseconds', 'skip-backup': 'go on without the pre-deploy backup (taken when KRAITE_BACKUP_* is set)' },
  summary: 'pause the scheduler\'s step producers and wait (up to --timeout seconds, default 300) until every queue has no ready or reserved job',
  usage: 'deploy:cooldown [--timeout SECONDS] [--reason TEXT] [--poll-ms MS] [--skip-backup]',
  options: { timeout: { type: 'string' }, reason: { type: 'string' }, 'poll-ms': { type: 'string' }, 'skip-backup': { type: 'boolean' } },
  async run({ values }, io) {
    const timeoutMs = intOption(values, 'timeout', 300) * 1000;
    const pollMs = intOption(values, 'poll-ms', 500, 1);
    const config = fleetConfig(io);
    const topology = await loadTopology(config.KRAITE_TOPOLOGY);
    const state = openEdgeState(config);
    const queue = openBullMqQueue(config.REDIS_URL, config.KRAITE_QUEUE_PREFIX);
    try {
      const cooldown = await state.cooldown.begin(String(values.reason ?? 'deploy'), operator());
      io.out(`deploy:cooldown: cooldown on since ${new Date(cooldown.since).toISOString()} (${cooldown.reason}, by ${cooldown.by}); step-producing entries paused`);
      const names = physicalQueues(topology);
      io.out(`deploy:cooldown: waiting up to ${timeoutMs / 1000} s for ${names.length} queues to drain`);
      let lastLine = '';
      const result = await waitForDrain(queue, names, {
        timeoutMs, pollMs,
        onPoll: (busy) => {
          const line = busy.map((b) => `${b.queue} ready ${b.ready} reserved ${b.reserved}`).join('; ');
          if (line && line !== lastLine) io.out(`  busy: ${line}`);
          lastLine = line;
        },
      });
      if (result.drained) {
        // With the queues still, take the pre-deploy backup (where backups are configured) before saying "deploy now".
        if (backupRequested(io.env) && values['skip-backup'] !== true && !(await preDeployBackup(io))) return 1;
        io.out(`deploy:cooldown: every queue drained after ${(result.waitedMs / 1000).toFixed(1)} s: deploy now, then run \`kraite deploy:warmup\``);
        return 0;
      }
      io.err(`deploy:cooldown: timed out after ${timeoutMs / 1000} s; still busy: ${result.busy.map((b) => `${b.queue} (ready ${b.ready}, reserved ${b.reserved})`).join(', ')}`);
      io.err('deploy:cooldown: the cooldown stays on: retry, deploy anyway, or end it with `kraite deploy:warmup`');
      return 1;
    } finally {
      await queue.close();
      await state.close();
    }
  },
});

/** Waits for workers, then daemons, to beat again, then clears the cooldown. Exit 0 done, 1 timed out. */
export const deployWarmupCommand = defineCommand({
  name: 'deploy:warmup',
  group: 'deploy',
  env: ['REDIS_URL', 'KRAITE_TOPOLOGY (optional)'],
  example: 'deploy:warmup --timeout 300',
  flags: { timeout: 'give up after this many seconds', 'fresh-seconds': 'a heartbeat younger than this counts as alive (default: KRAITE_HEARTBEAT_STALE_MS)', 'skip-ready': 'do not wait for each box\'s /health/ready' },
  summary: 'after a deploy: wait for the workers, then the daemons, to publish heartbeats, then resume the scheduler (clears the cooldown)',
  usage: 'deploy:warmup [--timeout SECONDS] [--fresh-seconds N] [--skip-ready]',
  options: { timeout: { type: 'string' }, 'fresh-seconds': { type: 'string' }, 'skip-ready': { type: 'boolean' } },
  async run({ values }, io) {
    const timeoutMs = intOption(values, 'timeout', 300) * 1000;
    const config = fleetConfig(io);
    const freshMs = intOption(values, 'fresh-seconds', Math.round(config.KRAITE_HEARTBEAT_STALE_MS / 1000)) * 1000;
    const topology = await loadTopology(config.KRAITE_TOPOLOGY);
    const state = openEdgeState(config);
    try {
      for (const phase of warmupPhases(topology)) io.out(`deploy:warmup: ${phase.name}: ${phase.boxes.join(', ') || '(none)'}`);
      const result = await warmup(topology, {
        heartbeats: state.heartbeats, cooldown: state.cooldown, freshSince: Date.now() - freshMs, timeoutMs, say: (line) => io.out(line),
        // A box is ready when its main process and the daemons running as their own unit there are.
        ready: values['skip-ready'] ? undefined : async (box) => {
          const daemons = ownProcessDaemons(findBox(topology, box));
          const answers = await Promise.all([undefined, ...daemons].map(async (process) => [process, await probe(`${healthBase(topology, box, false, process)}/health/ready`)] as const));
          const failing = answers.filter(([, r]) => !r.ok).map(([process, r]) => `${process ? `${process}: ` : ''}${r.failing.join(', ') || `HTTP ${r.status}`}`);
          return failing.length === 0 ? null : failing.join('; ');
        },
      });
      if (result.ok) return 0;
      io.err(`deploy:warmup: ${result.failed!.phase} not back within ${timeoutMs / 1000} s: ${result.failed!.missing.join(', ')} (cooldown stays on)`);
      return 1;
    } finally {
      await state.close();
    }
  },
});
