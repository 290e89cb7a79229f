// `kraite steps:recover-stale`, `steps:archive`, `steps:purge`: recovery and tree-aware retention.
import { StepEngine } from '../../../core/steps/engine.ts';
import { recoverStale } from '../../../core/steps/recovery.ts';
import { STEP_SETS } from '../../../core/steps/step.ts';
import { createRegistry } from '../../../handlers/index.ts';
import { openBackends, openStore } from '../../runtime/backends.ts';
import { recoveryLimits } from '../../runtime/recovery-config.ts';
import { defineCommand, intOption } from '../command.ts';

const DAY = 86_400_000;

/** Runs one stale-recovery pass over both step sets. */
export const recoverStaleCommand = defineCommand({
  name: 'steps:recover-stale',
  group: 'operate',
  env: ['DATABASE_URL'],
  example: 'steps:recover-stale',
  flags: {},
  summary: 'running steps with a dead heartbeat → pending; stalled dispatched steps → priority lane',
  usage: 'steps:recover-stale',
  options: {},
  async run(_args, io) {
    const backends = await openBackends(io.env);
    try {
      // The fleet's own thresholds: a pass by hand must not call a step dead sooner than the daemon would.
      const engine = new StepEngine({ store: backends.store, queue: backends.queue, registry: createRegistry(), router: backends.router, worker: 'cli', limits: recoveryLimits(backends.config) });
      for (const set of STEP_SETS) {
        const r = await recoverStale(engine, set);
        io.out(`${set}: ${r.runningRecovered} running recovered, ${r.dispatchedRequeued} dispatched re-queued, ${r.alerts} alerts`);
      }
      return 0;
    } finally {
      await backends.close();
    }
  },
});

/** Moves settled trees older than N days to the archive tables. */
export const archiveCommand = defineCommand({
  name: 'steps:archive',
  group: 'operate',
  env: ['DATABASE_URL'],
  example: 'steps:archive --days 7',
  flags: { days: 'archive settled trees older than this many days (default 7)' },
  summary: 'move settled step trees older than --days (default 7) into the archive tables',
  usage: 'steps:archive [--days N]',
  options: { days: { type: 'string' } },
  async run({ values }, io) {
    const days = intOption(values, 'days', 7, 0);
    const store = await openStore(io.env);
    try {
      for (const set of STEP_SETS) io.out(`${set}: ${await store.archiveSettledTrees(set, Date.now() - days * DAY, 1_000_000)} steps archived`);
      return 0;
    } finally {
      await store.close();
    }
  },
});

/** Deletes archived trees older than N days. */
export const purgeCommand = defineCommand({
  name: 'steps:purge',
  group: 'operate',
  env: ['DATABASE_URL'],
  example: 'steps:purge --days 30',
  flags: { days: 'delete archived trees older than this many days (default 30)' },
  summary: 'delete archived step trees older than --days (default 30)',
  usage: 'steps:purge [--days N]',
  options: { days: { type: 'string' } },
  async run({ values }, io) {
    const days = intOption(values, 'days', 30, 0);
    const store = await openStore(io.env);
    try {
      for (const set of STEP_SETS) io.out(`${set}: ${await store.purgeArchive(set, Date.now() - days * DAY, 1_000_000)} archived steps purged`);
      return 0;
    } finally {
      await store.close();
    }
  },
});
