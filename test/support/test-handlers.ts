// Handlers used by the engine's contract suite: each records what it did so tests can assert order.
import { z } from 'zod';
import { NonRetriableError, ThrottledError } from '../../core/errors.ts';
import { result, type BlockStepSpec } from '../../core/steps/effects.ts';
import { defineHandler } from '../../core/steps/registry.ts';

/** How many times each tag's handler body ran (in this process). */
export const runs = new Map<string, number>();
/** Promises a `test.gate` step waits on, by tag; resolve them from the test. */
export const gates = new Map<string, { promise: Promise<void>; open: () => void; entered: boolean }>();

/** Creates a gate a `test.gate` step will wait on. */
export function gate(tag: string): { open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  gates.set(tag, { promise, open, entered: false });
  return { open };
}

const count = (tag: string) => {
  const n = (runs.get(tag) ?? 0) + 1;
  runs.set(tag, n);
  return n;
};
const tagged = z.object({ tag: z.string().min(1) });
const log = (tag: string) => ({ kind: 'notify' as const, subject: 'log', message: tag });

const childSpec: z.ZodType<BlockStepSpec> = z.object({
  handler: z.string(), args: z.record(z.string(), z.unknown()).optional(), index: z.number().int().optional(),
  resolveException: z.boolean().optional(), delayMs: z.number().optional(), lane: z.string().optional(),
});

/** Every test handler. */
export const testHandlers = [
  defineHandler({ name: 'test.log', lane: 'work', args: tagged, run: async (job) => {
    count(job.args.tag);
    return result.complete([log(job.args.tag)], { tag: job.args.tag });
  } }),
  defineHandler({ name: 'test.trading-log', lane: 'work', set: 'trading', args: tagged, run: async (job) => {
    count(job.args.tag);
    return result.complete([log(job.args.tag)]);
  } }),
  defineHandler({ name: 'test.fail', lane: 'work', args: tagged, run: async (job) => {
    count(job.args.tag);
    return result.fail(`${job.args.tag} failed on purpose`, [log(job.args.tag)]);
  } }),
  defineHandler({ name: 'test.stop', lane: 'work', args: tagged, run: async (job) => {
    count(job.args.tag);
    return result.stop('guard said stop', [log(job.args.tag)]);
  } }),
  defineHandler({ name: 'test.throw', lane: 'work', maxAttempts: 5, backoffMs: 100,
    args: tagged.extend({ times: z.number().int(), final: z.boolean().default(false) }), run: async (job) => {
      const n = count(job.args.tag);
      if (job.args.final) throw new NonRetriableError(`${job.args.tag} cannot go on`);
      if (n <= job.args.times) throw new Error(`${job.args.tag} transient ${n}`);
      return result.complete([log(job.args.tag)], { attempt: job.attempt });
    } }),
  defineHandler({ name: 'test.throttle', lane: 'work', args: tagged.extend({ ms: z.number().int() }), run: async (job) => {
    const n = count(job.args.tag);
    if (n === 1) throw new ThrottledError(job.args.ms);
    return result.complete([log(job.args.tag)], { attempt: job.attempt });
  } }),
  defineHandler({ name: 'test.spawn', lane: 'work', args: tagged.extend({ children: z.array(childSpec) }), run: async (job) => {
    count(job.args.tag);
    return result.complete([log(job.args.tag), { kind: 'spawn', steps: job.args.children }]);
  } }),
  defineHandler({ name: 'test.start-block', lane: 'work', args: tagged.extend({ key: z.string() }), run: async (job) => {
    count(job.args.tag);
    return result.complete([{ kind: 'start-block', dedupeKey: job.args.key, steps: [{ handler: 'test.log', args: { tag: `${job.args.tag}-started` } }] }]);
  } }),
  defineHandler({ name: 'test.hang-first', lane: 'work', args: tagged, run: async (job) => {
    // The first attempt never returns (its worker is killed); later attempts complete.
    if (job.attempt === 1) await new Promise(() => {});
    return result.complete([log(job.args.tag)], { attempt: job.attempt });
  } }),
  defineHandler({ name: 'test.gate', lane: 'work', args: tagged, run: async (job) => {
    count(job.args.tag);
    const g = gates.get(job.args.tag);
    if (g) {
      g.entered = true;
      await g.promise;
    }
    return result.complete([log(job.args.tag)]);
  } }),
];
