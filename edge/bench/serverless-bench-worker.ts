// The Worker the `serverless` benchmark runs in workerd (bundled with esbuild, like wrangler would):
// 3-step blocks of no-op steps on the PlanetScale store, every hop a Queues message through
// consumeStepBatch. Runtime-neutral on purpose: it imports nothing Node-only.
//   POST /start {url, blocks, inFlight}   starts the run and answers at once
//   GET  /result                          progress, and the hop times once done
// Time inside workerd only moves across I/O, so a hop's ends are read at its I/O boundaries (the
// claim's answer, the finish's) — every hop does I/O, which is what this measures.
import { z } from 'zod';
import { PlanetScaleStepStore } from '../../core/adapters/planetscale/planetscale-step-store.ts';
import { CloudflareQueuePort, type MessageBatch, type QueueProducer } from '../../core/adapters/push/cloudflare-queues.ts';
import { consumeStepBatch } from '../../core/adapters/push/step-consumer.ts';
import { result } from '../../core/steps/effects.ts';
import { StepEngine } from '../../core/steps/engine.ts';
import { defineHandler, HandlerRegistry } from '../../core/steps/registry.ts';

const STEPS_PER_BLOCK = 3;

interface Run {
  store: PlanetScaleStepStore;
  engineFor(identity: string): StepEngine;
  total: number;
  blocks: number;
  started: number;
  ran: number;
  t0: number;
  t1: number | null;
  /** Handler start and end per step id, and each block's step ids. */
  starts: Map<number, number>;
  ends: Map<number, number>;
  ids: number[][];
  messages: number;
  retries: number;
}

let run: Run | null = null;

async function startBlock(r: Run): Promise<void> {
  r.started += 1;
  const steps = await r.engineFor('bench-producer').start(Array.from({ length: STEPS_PER_BLOCK }, () => ({ handler: 'bench.hop' })));
  r.ids.push(steps.map((s) => s.id));
}

export default {
  async fetch(request: Request, env: { STEPS: QueueProducer }): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/start') {
      const o = await request.json() as { url: string; blocks: number; inFlight: number };
      const store = new PlanetScaleStepStore({ url: o.url });
      await store.detectConsecutiveIds();
      const queue = new CloudflareQueuePort(() => env.STEPS);
      const r: Run = { store, engineFor: () => { throw new Error('not ready'); }, total: o.blocks * STEPS_PER_BLOCK, blocks: o.blocks, started: 0, ran: 0,
        t0: Date.now(), t1: null, starts: new Map(), ends: new Map(), ids: [], messages: 0, retries: 0 };
      const hop = defineHandler({
        name: 'bench.hop', lane: 'bench', args: z.object({}),
        run: async (job) => {
          r.starts.set(job.id, Date.now());
          r.ends.set(job.id, Date.now());
          return result.complete();
        },
      });
      const registry = new HandlerRegistry([hop]);
      r.engineFor = (identity) => new StepEngine({ store, queue, registry, worker: identity });
      run = r;
      for (let i = 0; i < Math.min(o.inFlight, o.blocks); i++) await startBlock(r);
      return Response.json({ ok: true });
    }
    if (pathname === '/result') {
      const r = run!;
      const hops: number[] = [];
      if (r.t1 !== null) for (const ids of r.ids) for (let i = 1; i < ids.length; i++) hops.push(r.starts.get(ids[i]!)! - r.ends.get(ids[i - 1]!)!);
      return Response.json({ done: r.t1 !== null, ran: r.ran, total: r.total, seconds: r.t1 === null ? null : (r.t1 - r.t0) / 1000, hops, messages: r.messages, retries: r.retries, statements: r.store.stats.statements, commits: r.store.stats.commits });
    }
    return new Response('not found', { status: 404 });
  },
  async queue(batch: MessageBatch): Promise<void> {
    const r = run!;
    r.messages += batch.messages.length;
    const finishedBlocks: number[] = [];
    await consumeStepBatch(batch, {
      engineFor: r.engineFor,
      retryDelaySeconds: () => 0,
      onResult: (x) => {
        if (x.outcome === 'retry') r.retries += 1;
        if (x.outcome !== 'ran') return;
        r.ran += 1;
        // The block's last step ran: start the next block, keeping `inFlight` blocks in flight.
        if (r.ids.some((ids) => ids[STEPS_PER_BLOCK - 1] === x.stepId)) finishedBlocks.push(x.stepId!);
      },
    });
    if (r.ran >= r.total && r.t1 === null) r.t1 = Date.now();
    for (const _ of finishedBlocks) if (r.started < r.blocks) await startBlock(r);
  },
};
