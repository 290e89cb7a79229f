// `kraite steps`: list and filter steps, or show one step tree.
import { STEP_SETS, STEP_STATES, type StepSet, type StepState } from '../../../core/steps/step.ts';
import { buildTree, renderTree } from '../../../core/steps/tree.ts';
import { cliStore } from '../cli-store.ts';
import { defineCommand, intOption, UsageError } from '../command.ts';

const parseSet = (v: unknown): StepSet => {
  const set = (v ?? 'trading') as StepSet;
  if (!STEP_SETS.includes(set)) throw new UsageError(`--set must be one of ${STEP_SETS.join(', ')}, got "${String(v)}"`);
  return set;
};

/** Lists steps or prints a tree. */
export const stepsCommand = defineCommand({
  name: 'steps',
  group: 'operate',
  env: ['DATABASE_URL (without it: the running npm start)'],
  example: 'steps --state failed,retrying --limit 20',
  flags: { set: 'which step set: trading (default) or default', state: 'only these states, comma-separated', handler: 'only steps of this handler', label: 'only steps with this label', limit: 'at most this many (default 50)', tree: 'show the whole tree of this step id', json: 'print JSON instead of lines' },
  summary: 'list steps (filter by set, state, handler, label) or show one step tree',
  usage: 'steps [--set default|trading] [--state S[,S]] [--handler H] [--label L] [--limit N] [--tree STEP_ID] [--json]',
  options: {
    set: { type: 'string' }, state: { type: 'string' }, handler: { type: 'string' }, label: { type: 'string' },
    limit: { type: 'string' }, tree: { type: 'string' }, json: { type: 'boolean' },
  },
  async run({ values }, io) {
    const set = parseSet(values.set);
    const states = values.state === undefined ? undefined : String(values.state).split(',') as StepState[];
    for (const s of states ?? []) if (!STEP_STATES.includes(s)) throw new UsageError(`--state: unknown state "${s}" (one of ${STEP_STATES.join(', ')})`);
    const limit = intOption(values, 'limit', 50, 1);
    const store = await cliStore(io);
    try {
      if (values.tree !== undefined) {
        const id = intOption(values, 'tree', 0, 1);
        const step = await store.getStep(set, id);
        if (!step) {
          io.err(`no ${set} step ${id}`);
          return 1;
        }
        const steps = await store.listSteps(set, { treeUuid: step.treeUuid, limit: 10_000 });
        if (values.json) io.out(JSON.stringify(buildTree(steps), null, 2));
        else for (const line of renderTree(buildTree(steps))) io.out(line);
        return 0;
      }
      const steps = await store.listSteps(set, {
        state: states, handler: values.handler as string | undefined, label: values.label as string | undefined, limit,
      });
      if (values.json) io.out(JSON.stringify(steps, null, 2));
      else for (const s of steps) io.out(`#${s.id} ${s.state.padEnd(12)} ${s.handler} ${s.group} ${s.lane} attempt ${s.attempts}/${s.maxAttempts}${s.label ? ` ${s.label}` : ''}${s.errorMessage ? ` — ${s.errorMessage}` : ''}`);
      return 0;
    } finally {
      await store.close();
    }
  },
});
