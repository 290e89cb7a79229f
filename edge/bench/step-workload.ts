// The step benchmark's workload: 3-step blocks of no-op handlers that time each hop in-process.
import { z } from 'zod';
import type { QueuePort, StepJob } from '../../core/queue/queue.port.ts';
import { result } from '../../core/steps/effects.ts';
import { StepEngine } from '../../core/steps/engine.ts';
import { DispatchDaemon } from '../../core/steps/dispatch-daemon.ts';
import { defineHandler, HandlerRegistry } from '../../core/steps/registry.ts';
import type { StepStore } from '../../core/steps/step-store.port.ts';
import { percentile } from './stats.ts';

/** What one workload run measured. */
export interface WorkloadResult {
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  hopP50Ms: number;
  hopP99Ms: number;
}

/** Runs `blocks` blocks of `hops + 1` no-op steps with `inFlight` blocks at a time. */
export async function runStepWorkload(o: {
  store: StepStore; queue: QueuePort; blocks: number; stepsPerBlock: number; inFlight: number; concurrency: number; queueName?: string;
  /** Run promoted siblings in the same worker slot (what fleet processes do). */
  chain?: boolean;
  /** Blocks started at once, each starter one after another (default 1): a fleet starts blocks from many places. */
  starters?: number;
  /** Wraps the registry and sees each job first (the metrics-cost figure instruments both like a fleet process). */
  instrument?: { registry: (r: HandlerRegistry) => HandlerRegistry; onJob: (queue: string, job: StepJob) => void };
}): Promise<WorkloadResult> {
  const started = new Map<number, number>();
  const ended = new Map<number, number>();
  const hop = defineHandler({
    name: 'bench.hop', lane: o.queueName ?? 'bench', args: z.object({}),
    run: async (job) => {
      started.set(job.id, performance.now());
      const r = result.complete();
      ended.set(job.id, performance.now());
      countRun();
      return r;
    },
  });
  const total = o.blocks * o.stepsPerBlock;
  let ran = 0;
  let finish!: () => void;
  const allDone = new Promise<void>((resolve) => (finish = resolve));
  const engine = new StepEngine({ store: o.store, queue: o.queue, registry: o.instrument ? o.instrument.registry(new HandlerRegistry([hop])) : new HandlerRegistry([hop]), worker: 'bench', onDeferred: (at) => daemon.wake(at),
    chain: o.chain ? () => true : undefined });
  const daemon = new DispatchDaemon(engine, { recoverEveryMs: 0 });
  const consumer = o.queue.consume(o.queueName ?? 'bench', o.concurrency, async (job) => {
    o.instrument?.onJob(o.queueName ?? 'bench', job);
    await engine.execute(job);
  });
  // Count completions by handler runs: with chaining one job runs several steps. A starter waits
  // for room on a promise, not a timer loop, so an idle wait costs no CPU the figures would count.
  const room: (() => void)[] = [];
  const countRun = () => {
    if (++ran === total) finish();
    if (room.length > 0 && ran % o.stepsPerBlock === 0) room.shift()!();
  };
  daemon.start();
  const blocks: number[][] = [];
  const t0 = performance.now();
  let next = 0;
  const startOne = async (): Promise<void> => {
    while (next < o.blocks) {
      next += 1;
      const steps = await engine.start(Array.from({ length: o.stepsPerBlock }, () => ({ handler: 'bench.hop' })));
      blocks.push(steps.map((s) => s.id));
      // Keep at most `inFlight` blocks unfinished at once.
      while (blocks.length - Math.floor(ran / o.stepsPerBlock) >= o.inFlight) await new Promise<void>((r) => room.push(r));
    }
  };
  await Promise.all(Array.from({ length: o.starters ?? 1 }, () => startOne()));
  await allDone;
  // The last handlers have returned; wait for their finishing transactions too.
  while (((await o.store.countByState('default')).completed ?? 0) < total) await new Promise((r) => setTimeout(r, 5));
  const seconds = (performance.now() - t0) / 1000;
  await daemon.stop();
  await consumer.close(5_000);
  const hops: number[] = [];
  for (const ids of blocks) for (let i = 1; i < ids.length; i++) hops.push(started.get(ids[i]!)! - ended.get(ids[i - 1]!)!);
  return { steps: total, seconds, stepsPerSecond: total / seconds, hopP50Ms: percentile(hops, 50), hopP99Ms: percentile(hops, 99) };
}
